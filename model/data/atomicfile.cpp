#include "atomicfile.h"

#include "dataerror.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace untangle {

void writeFileAtomically(const std::string &path, const std::string &bytes)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path target(path);
    if (target.has_parent_path()) {
        fs::create_directories(target.parent_path(), ec);
        if (ec)
            throw DataError(target.parent_path().string() + ": cannot create folder (" + ec.message() + ")");
    }
    const std::string temp = path + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw DataError(temp + ": cannot open for writing");
        out.write(bytes.data(), std::streamsize(bytes.size()));
        out.flush();
        if (!out) {
            out.close();
            fs::remove(temp, ec);
            throw DataError(path + ": write failed (disk full?)");
        }
    }
    fs::rename(temp, target, ec);
    if (ec) {
        fs::remove(temp, ec);
        throw DataError(path + ": cannot move the finished file into place");
    }
}

} // namespace untangle
