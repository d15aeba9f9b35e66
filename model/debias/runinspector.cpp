#include "runinspector.h"

#include "checkpointarchive.h"
#include "dataerror.h"
#include "evalbatches.h"
#include "methodtrainer.h"
#include "runfolder.h"
#include "splittensors.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace untangle {
namespace {

torch::Tensor imagesTensor(const std::vector<ImageU8> &images)
{
    std::vector<torch::Tensor> rows;
    for (const auto &image : images) {
        auto bytes = torch::from_blob(
            const_cast<std::uint8_t *>(image.bytes.data()), {image.height, image.width, image.channels}, torch::kUInt8);
        rows.push_back(bytes.permute({2, 0, 1}).to(torch::kFloat32).div_(255.0f));
    }
    return torch::stack(rows).contiguous();
}

} // namespace

struct RunInspector::Impl {
    DebiasConfig config;
    std::unique_ptr<MethodTrainer> trainer;
    int stages = 1; // stages whose heads are available
    std::vector<std::pair<std::string, int>> heads; // head -> stage
    HeadWeights weights[3]; // per stage (1, 2): the epoch its weights are from
    int numClasses = 0;
    ImageU8 shape; // width/height/channels of valid inputs (no bytes)

    std::vector<torch::Tensor> logits(const torch::Tensor &images)
    {
        std::vector<torch::Tensor> out;
        for (int stage = 1; stage <= stages; ++stage) {
            auto part = trainer->headLogits(stage, images);
            out.insert(out.end(), part.begin(), part.end());
        }
        return out;
    }

    std::vector<ImagePredictions> predictTensor(const torch::Tensor &images)
    {
        torch::NoGradGuard noGrad;
        std::vector<ImagePredictions> result(std::size_t(images.size(0)));
        if (images.size(0) == 0)
            return result;
        const auto all = logits(images);
        for (std::size_t h = 0; h < all.size(); ++h) {
            const auto probabilities = torch::softmax(all[h], 1).to(torch::kFloat64).contiguous();
            for (std::int64_t i = 0; i < probabilities.size(0); ++i) {
                const double *p = probabilities[i].data_ptr<double>();
                HeadPrediction prediction;
                prediction.head = heads[h].first;
                prediction.probabilities.assign(p, p + numClasses);
                const auto best = std::max_element(prediction.probabilities.begin(), prediction.probabilities.end());
                prediction.predicted = int(best - prediction.probabilities.begin());
                prediction.confidence = *best;
                result[std::size_t(i)].push_back(prediction);
            }
        }
        return result;
    }

    void checkShape(const ImageU8 &image) const
    {
        if (image.width != shape.width || image.height != shape.height || image.channels != shape.channels)
            throw DataError("image of " + std::to_string(image.width) + "x" + std::to_string(image.height) + "x"
                + std::to_string(image.channels) + " does not fit this run's " + std::to_string(shape.width) + "x"
                + std::to_string(shape.height) + "x" + std::to_string(shape.channels) + " inputs");
    }
};

RunInspector::RunInspector(const std::string &runDir, const BiasedDataset &dataset)
    : m_impl(std::make_unique<Impl>())
{
    const RunFolder folder(runDir);
    m_impl->config = folder.readConfig();
    if (!folder.hasCheckpoint())
        throw DataError(folder.checkpointPath() + ": no checkpoint yet; a run can be inspected after its first epoch");
    m_impl->numClasses = dataset.numTargets();
    m_impl->shape = ImageU8 {dataset.train.width, dataset.train.height, dataset.train.channels, {}};
    m_impl->trainer
        = makeMethodTrainer(m_impl->config, inputShapeOf(dataset.train), dataset.numTargets(), dataset.train.count);
    torch::serialize::InputArchive archive;
    loadCheckpointArchive(archive, folder.checkpointPath());
    try {
        const auto stored = readRecord(archive, "stage").item<std::int64_t>();
        // Checked before it indexes anything: a damaged archive with a valid checksum (or none) must not crash here.
        if (stored < 1 || stored > m_impl->trainer->stageCount())
            throw DataError(folder.checkpointPath() + ": stage " + std::to_string(stored)
                + " is not a stage of this run (1 to " + std::to_string(m_impl->trainer->stageCount()) + ")");
        const int stage = int(stored);
        const SplitTensors train = toSplitTensors(dataset.train);
        m_impl->trainer->load(archive, stage, train.images);
        // The selected epoch's weights of the newest stage (earlier stages were restored before the next began).
        const auto count = readRecord(archive, "best_state_count").item<std::int64_t>();
        const auto live = m_impl->trainer->stageState(stage);
        const bool selected = count > 0 && count == std::int64_t(live.size());
        if (selected) {
            torch::NoGradGuard noGrad;
            for (std::int64_t i = 0; i < count; ++i)
                live[std::size_t(i)].copy_(readRecord(archive, "best_state/" + std::to_string(i)));
        }
        // Which epoch each stage's weights are from: views state it, since the timeline may show another one.
        m_impl->weights[stage] = selected
            ? HeadWeights {stage, int(readRecord(archive, "best_epoch").item<std::int64_t>()), true}
            : HeadWeights {stage, int(readRecord(archive, "epochs_done").item<std::int64_t>()), false};
        if (stage == 2)
            m_impl->weights[1]
                = HeadWeights {1, int(readRecord(archive, "stage1_selected").item<std::int64_t>()), true};
        m_impl->stages = stage;
    } catch (const DataError &) {
        throw;
    } catch (const std::exception &error) {
        std::string what = error.what();
        throw DataError(
            folder.checkpointPath() + ": cannot load the run's models (" + what.substr(0, what.find('\n')) + ")");
    }
    m_impl->trainer->setTraining(false);
    for (int stage = 1; stage <= m_impl->stages; ++stage)
        for (const auto &head : m_impl->trainer->heads(stage))
            m_impl->heads.emplace_back(head, stage);
}

RunInspector::~RunInspector() = default;

HeadWeights RunInspector::weightsOf(const std::string &head) const
{
    for (const auto &[name, stage] : m_impl->heads)
        if (name == head)
            return m_impl->weights[stage];
    return {};
}

const DebiasConfig &RunInspector::config() const
{
    return m_impl->config;
}

std::vector<std::string> RunInspector::heads() const
{
    std::vector<std::string> names;
    for (const auto &head : m_impl->heads)
        names.push_back(head.first);
    return names;
}

std::vector<ImagePredictions> RunInspector::predict(const std::vector<ImageU8> &images)
{
    for (const auto &image : images)
        m_impl->checkShape(image);
    return images.empty() ? std::vector<ImagePredictions>() : m_impl->predictTensor(imagesTensor(images));
}

std::vector<ImagePredictions> RunInspector::predict(const LabeledImages &split, const std::vector<int> &indices)
{
    std::vector<ImageU8> images;
    for (int index : indices)
        images.push_back(split.image(index));
    return predict(images);
}

ImageU8 RunInspector::saliencyOverlay(const ImageU8 &image, const std::string &head, int classIndex, int upscale)
{
    m_impl->checkShape(image);
    const auto found
        = std::find_if(m_impl->heads.begin(), m_impl->heads.end(), [&](const auto &h) { return h.first == head; });
    if (found == m_impl->heads.end())
        throw DataError("this run has no head called " + head);
    const int headIndex = int(found - m_impl->heads.begin());
    auto input = imagesTensor({image}).requires_grad_(true);
    const auto logits = m_impl->logits(input)[std::size_t(headIndex)];
    const int target = classIndex >= 0 ? classIndex : int(logits.argmax(1).item<std::int64_t>());
    logits[0][target].backward();
    auto saliency = input.grad().abs().amax(1)[0]; // H x W
    saliency = (saliency / saliency.max().clamp_min(1e-12) * 255.0).to(torch::kUInt8).contiguous();

    const cv::Mat heat(image.height, image.width, CV_8UC1, saliency.data_ptr<std::uint8_t>());
    cv::Mat colored;
    cv::applyColorMap(heat, colored, cv::COLORMAP_JET);
    cv::cvtColor(colored, colored, cv::COLOR_BGR2RGB);
    cv::Mat base(image.height, image.width, image.channels == 3 ? CV_8UC3 : CV_8UC1,
        const_cast<std::uint8_t *>(image.bytes.data()));
    if (image.channels == 1)
        cv::cvtColor(base, base, cv::COLOR_GRAY2RGB);
    cv::Mat blended;
    cv::addWeighted(base, 0.45, colored, 0.55, 0.0, blended); // image still readable under the map
    cv::resize(blended, blended, cv::Size(), upscale, upscale, cv::INTER_NEAREST);
    ImageU8 out {blended.cols, blended.rows, 3, {}};
    out.bytes.assign(blended.data, blended.data + blended.total() * 3);
    return out;
}

} // namespace untangle
