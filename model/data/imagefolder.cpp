#include "imagefolder.h"

#include "dataerror.h"
#include "imageheader.h"
#include "numberedlabels.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <optional>

namespace untangle {
namespace {

namespace fs = std::filesystem;

constexpr int Channels = 3; // images are decoded as colour, RGB
constexpr int MaxImageSize = 1024; // far above what the networks take (BFFHQ runs at 224); bounds memory
constexpr std::size_t ProgressEveryFiles = 200; // smooth enough for a progress bar, rare enough to cost nothing
constexpr std::size_t MaxListedWarnings
    = 200; // a wholly bad folder would otherwise bury the list; the rest are counted
constexpr std::size_t MaxLabelDigits = 4; // room for zero-padded labels ("0007"); the value is checked separately
constexpr const char *NamePattern = "<name>_<target>_<bias>.<ext>";

enum SplitIndex { Train, Valid, Test, NumSplits };
constexpr std::array<const char *, NumSplits> SplitNames = {"train", "valid", "test"};

struct Candidate {
    std::string path;
    std::int64_t target = 0;
    std::int64_t bias = 0;
};

/** Collects skipped files, listing the first MaxListedWarnings and counting the rest. */
class SkipList {
public:
    void add(const std::string &path, const std::string &reason)
    {
        if (m_listed.size() < MaxListedWarnings)
            m_listed.push_back(path + ": " + reason);
        ++m_total;
    }
    std::size_t total() const { return m_total; }
    std::string first() const { return m_listed.empty() ? std::string() : m_listed.front(); }
    void appendTo(std::vector<std::string> &warnings) const
    {
        warnings.insert(warnings.end(), m_listed.begin(), m_listed.end());
        if (m_total > m_listed.size())
            warnings.push_back("... and " + std::to_string(m_total - m_listed.size()) + " more skipped files");
    }

private:
    std::vector<std::string> m_listed;
    std::size_t m_total = 0;
};

std::optional<std::int64_t> parseLabel(const std::string &field)
{
    if (field.empty() || field.size() > MaxLabelDigits
        || !std::all_of(field.begin(), field.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    const std::int64_t label = std::stoll(field);
    if (label > MaxNumberedLabel)
        return std::nullopt;
    return label;
}

/** Target and bias from "<name>_<target>_<bias>.<ext>", or nothing when the name does not follow that pattern. */
std::optional<Candidate> parseName(const fs::path &file)
{
    if (!file.has_extension() || file.extension() == ".")
        return std::nullopt;
    const std::string stem = file.stem().string();
    const auto last = stem.rfind('_');
    if (last == std::string::npos || last == 0)
        return std::nullopt;
    const auto middle = stem.rfind('_', last - 1);
    if (middle == std::string::npos || middle == 0)
        return std::nullopt;
    const auto target = parseLabel(stem.substr(middle + 1, last - middle - 1));
    const auto bias = parseLabel(stem.substr(last + 1));
    if (!target || !bias)
        return std::nullopt;
    return Candidate {file.string(), *target, *bias};
}

/** Every visible regular file under dir, sorted so the dataset order never depends on the file system. */
std::vector<fs::path> listFiles(const std::string &dir)
{
    std::vector<fs::path> files;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    if (ec)
        throw DataError(dir + ": cannot list the folder (" + ec.message() + ")");
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec)
            throw DataError(dir + ": cannot list the folder (" + ec.message() + ")");
        // Dot files are OS metadata (.DS_Store, macOS ._x_0_1.png twins), never dataset images.
        if (it->path().filename().string().rfind('.', 0) == 0) {
            if (it->is_directory(ec))
                it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file(ec))
            files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

/**
 * Decodes, resizes and converts one file straight into its slot; the reason it was skipped otherwise (too many
 * pixels for MaxImagePixels, checked from the header before decoding, or not readable by OpenCV).
 */
std::optional<std::string> readInto(const std::string &path, int imageSize, std::uint8_t *dst)
{
    try {
        checkDecodableImage(path);
    } catch (const DataError &error) {
        const std::string text = error.what();
        return text.substr(std::min(text.size(), text.find(path + ": ") + path.size() + 2)); // without the path
    }
    const std::string unreadable = "cannot be read as an image";
    cv::Mat image;
    try {
        image = cv::imread(path, cv::IMREAD_COLOR);
        if (image.empty() || image.type() != CV_8UC3)
            return unreadable;
        if (image.rows != imageSize || image.cols != imageSize) {
            cv::Mat resized;
            cv::resize(image, resized, cv::Size(imageSize, imageSize), 0, 0, cv::INTER_AREA);
            image = resized;
        }
        cv::Mat out(imageSize, imageSize, CV_8UC3, dst); // wraps the dataset buffer; cvtColor writes in place
        cv::cvtColor(image, out, cv::COLOR_BGR2RGB);
        return out.data == dst ? std::nullopt : std::optional<std::string>(unreadable);
    } catch (const cv::Exception &) {
        return unreadable;
    }
}

} // namespace

BiasedDataset loadImageFolder(const std::string &root, int imageSize, const ProgressFn &progress)
{
    std::error_code ec;
    if (!fs::is_directory(root, ec))
        throw DataError(root + ": folder not found");
    if (imageSize <= 0 || imageSize > MaxImageSize)
        throw DataError(
            root + ": image size " + std::to_string(imageSize) + " is outside 1.." + std::to_string(MaxImageSize));
    const std::string trainDir = (fs::path(root) / SplitNames[Train]).string();
    if (!fs::is_directory(trainDir, ec))
        throw DataError(trainDir + ": folder not found; expected " + root + "/train/**/" + NamePattern);

    BiasedDataset dataset;
    SkipList skipped;
    std::array<std::vector<Candidate>, NumSplits> candidates;
    std::size_t totalFiles = 0;
    for (int split = 0; split < NumSplits; ++split) {
        const std::string dir = (fs::path(root) / SplitNames[split]).string();
        if (!fs::is_directory(dir, ec)) {
            dataset.warnings.push_back(dir + ": not found; the dataset has no " + SplitNames[split] + " split");
            continue;
        }
        for (const fs::path &file : listFiles(dir)) {
            if (auto candidate = parseName(file))
                candidates[split].push_back(std::move(*candidate));
            else
                skipped.add(file.string(),
                    std::string("name does not match ") + NamePattern + " with labels 0.."
                        + std::to_string(MaxNumberedLabel));
        }
        totalFiles += candidates[split].size();
    }

    const std::size_t imageBytes = std::size_t(imageSize) * imageSize * Channels;
    std::size_t done = 0;
    std::int64_t maxTarget = 0, maxBias = 0;
    for (int split = 0; split < NumSplits; ++split) {
        LabeledImages &images = split == Train ? dataset.train : split == Valid ? dataset.valid : dataset.test;
        images.allocate(int(candidates[split].size()), imageSize, imageSize, Channels);
        int kept = 0;
        for (const Candidate &candidate : candidates[split]) {
            if (done % ProgressEveryFiles == 0)
                reportProgress(progress, double(done) / double(totalFiles),
                    std::string("Reading ") + SplitNames[split] + " images from " + root);
            ++done;
            if (const auto problem = readInto(candidate.path, imageSize, images.imageData(kept))) {
                skipped.add(candidate.path, *problem);
                continue;
            }
            images.targets[kept] = candidate.target;
            images.biases[kept] = candidate.bias;
            maxTarget = std::max(maxTarget, candidate.target);
            maxBias = std::max(maxBias, candidate.bias);
            ++kept;
        }
        if (kept < images.count) {
            images.count = kept;
            images.pixels.resize(imageBytes * std::size_t(kept));
            images.targets.resize(std::size_t(kept));
            images.biases.resize(std::size_t(kept));
        }
    }
    skipped.appendTo(dataset.warnings);

    if (dataset.train.count == 0)
        throw DataError(trainDir + ": no readable images named " + NamePattern + " (" + std::to_string(skipped.total())
            + " files skipped)" + (skipped.total() ? "; first: " + skipped.first() : std::string()));

    dataset.name = "folder";
    dataset.description = "Image folder " + root + ", " + std::to_string(imageSize) + "x" + std::to_string(imageSize)
        + ", " + std::to_string(dataset.train.count) + " train / " + std::to_string(dataset.valid.count) + " valid / "
        + std::to_string(dataset.test.count) + " test";
    dataset.targetNames = numberedNames(maxTarget + 1);
    dataset.biasNames = numberedNames(maxBias + 1);
    return dataset;
}

} // namespace untangle
