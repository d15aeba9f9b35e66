#pragma once
// One policy for the .jsonl record files runs append to (GAN and SRE metrics, debias evaluations and probes): a line
// that cannot be read is damage, named by file and line; only the last line may be torn, a write a kill cut short.
// Std types only.
#include "dataerror.h"

#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace untangle {

/**
 * Each of `lines` (the file's lines, in order) with its record, parse(line), which throws on a line it cannot read.
 * Throws DataError "<file>, line N: not a record (why); the folder is damaged" for such a line, unless it is the last
 * one, which is left out (a torn append).
 */
template <typename Parse>
auto parseRecordLines(const std::string &file, const std::vector<std::string> &lines, Parse parse)
{
    std::vector<std::pair<std::string, decltype(parse(std::string()))>> records;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        try {
            records.emplace_back(lines[i], parse(lines[i]));
        } catch (const std::exception &error) {
            if (i + 1 == lines.size())
                break;
            throw DataError(file + ", line " + std::to_string(i + 1) + ": not a record ("
                + std::string(error.what()).substr(0, 120) + "); the folder is damaged");
        }
    }
    return records;
}

} // namespace untangle
