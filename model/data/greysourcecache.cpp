#include "greysourcecache.h"

#include <filesystem>
#include <map>
#include <mutex>

namespace untangle {
namespace {

struct CacheEntry {
    std::filesystem::file_time_type imagesTime, labelsTime;
    std::uintmax_t imagesSize = 0, labelsSize = 0;
    std::shared_ptr<const GreyImages> images;
};

struct FileStamp {
    std::filesystem::file_time_type time;
    std::uintmax_t size = 0;
};

FileStamp stamp(const std::string &path)
{
    std::error_code ec;
    FileStamp s;
    s.time = std::filesystem::last_write_time(path, ec);
    s.size = std::filesystem::file_size(path, ec);
    return s;
}

} // namespace

std::shared_ptr<const GreyImages> loadGreyImagesCached(const std::string &imagesPath, const std::string &labelsPath)
{
    static std::mutex mutex;
    static std::map<std::string, CacheEntry> cache;

    const std::string key = imagesPath + '\n' + labelsPath;
    const FileStamp images = stamp(imagesPath), labels = stamp(labelsPath);
    {
        std::lock_guard<std::mutex> lock(mutex);
        auto it = cache.find(key);
        if (it != cache.end() && it->second.imagesTime == images.time && it->second.labelsTime == labels.time
            && it->second.imagesSize == images.size && it->second.labelsSize == labels.size)
            return it->second.images;
    }
    // Read outside the lock: two first calls may both read, which is harmless and keeps other sources responsive.
    auto loaded = std::make_shared<const GreyImages>(readIdxImages(imagesPath, labelsPath));
    std::lock_guard<std::mutex> lock(mutex);
    cache[key] = CacheEntry {images.time, labels.time, images.size, labels.size, loaded};
    return loaded;
}

} // namespace untangle
