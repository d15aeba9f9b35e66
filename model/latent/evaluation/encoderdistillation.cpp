#include "evaluation/encoderdistillation.h"

#include "evaluation/evaluationstreams.h"
#include "gan/stylesampling.h"
#include "seededrandom.h"
#include "sprites/spritegeneratorevaluation.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace untangle {

DistillationSplit planDistillationSplit(int n, double heldOutFraction, std::uint64_t seed)
{
    std::vector<int> order(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        order[std::size_t(i)] = i;
    SeededRandom random(seed);
    random.shuffle(order);
    const int heldOut = std::clamp(int(std::lround(heldOutFraction * n)), 1, n - 1);
    DistillationSplit split;
    split.heldOut.assign(order.begin(), order.begin() + heldOut);
    split.train.assign(order.begin() + heldOut, order.end());
    // Sorted, so batches read the image tensor in memory order (the batch order is shuffled per epoch anyway).
    std::sort(split.heldOut.begin(), split.heldOut.end());
    std::sort(split.train.begin(), split.train.end());
    return split;
}

torch::Tensor distillationLatents(int n, int latentSize, std::uint64_t seed)
{
    return sampleLatents(n, latentSize, seed);
}

DistillationData generateDistillationData(Generator &generator, const EvaluationOptions &options,
    const ProgressFn &progress, double progressFrom, double progressTo)
{
    torch::NoGradGuard noGrad;
    const auto shape = generator.shape();
    const auto mean = styleMean(generator); // the app-wide fixed truncation centre (docs/methods/sre.md, pitfall 8)
    const auto z = distillationLatents(
        options.images, shape.latentSize, evaluationStream(options.seed, EvaluationStream::Latents));
    DistillationData data;
    data.images = torch::empty({options.images, shape.channels, shape.resolution, shape.resolution}, torch::kFloat32);
    data.styles = torch::empty({options.images, shape.styleSize}, torch::kFloat32);
    for (int begin = 0; begin < options.images; begin += options.generationBatch) {
        const int end = std::min(options.images, begin + options.generationBatch);
        const auto w = truncatedStyles(generator, z.slice(0, begin, end), mean, options.truncation);
        data.styles.slice(0, begin, end).copy_(w);
        const auto images = generator.synthesis(w);
        requireFiniteImages(images, generator); // NaN images would train an encoder of NaNs and score it silently
        data.images.slice(0, begin, end).copy_(images);
        reportProgress(progress, progressFrom + (progressTo - progressFrom) * end / options.images,
            "generating images for the encoder");
    }
    return data;
}

namespace {

torch::Tensor indexTensor(const std::vector<int> &indices)
{
    return torch::tensor(std::vector<int64_t>(indices.begin(), indices.end()), torch::kInt64);
}

std::vector<double> toDoubles(const torch::Tensor &values)
{
    const auto contiguous = values.to(torch::kFloat64).contiguous();
    return std::vector<double>(contiguous.data_ptr<double>(), contiguous.data_ptr<double>() + contiguous.numel());
}

struct HeldOutScore {
    double mse = 0.0;
    std::vector<double> r2;
};

/** Forward passes over the held-out split in chunks: the MSE on standardised labels and R^2 per direction. */
HeldOutScore scoreHeldOut(ScoreNetwork &network, const torch::Tensor &images, const torch::Tensor &labels, int chunk)
{
    torch::NoGradGuard noGrad;
    network->eval();
    std::vector<torch::Tensor> predictions;
    for (int64_t begin = 0; begin < images.size(0); begin += chunk)
        predictions.push_back(network->forward(images.slice(0, begin, std::min(images.size(0), begin + chunk))));
    const auto prediction = torch::cat(predictions).to(torch::kFloat64);
    const auto truth = labels.to(torch::kFloat64);
    const auto residual = (prediction - truth).pow(2).sum(0);
    const auto spread = (truth - truth.mean(0, true)).pow(2).sum(0).clamp_min(std::numeric_limits<double>::min());
    HeldOutScore score;
    score.mse = (prediction - truth).pow(2).mean().item<double>();
    score.r2 = toDoubles(1.0 - residual / spread);
    return score;
}

} // namespace

DistilledEncoder distillEncoder(const torch::Tensor &images, const torch::Tensor &rawLabels,
    const DistillationSplit &split, const EvaluationOptions &options, const ProgressFn &progress, double progressFrom,
    double progressTo)
{
    const int k = int(rawLabels.size(1));
    const auto trainIndex = indexTensor(split.train);
    const auto heldOutIndex = indexTensor(split.heldOut);

    // Standardise with the train split's statistics only: the held-out labels must not inform the model.
    const auto trainLabels = rawLabels.index_select(0, trainIndex);
    const auto labelMean = trainLabels.mean(0, true);
    const auto labelStd = trainLabels.std(0, true, true) + DistillationLabelStdEpsilon;
    const auto labels = (rawLabels - labelMean) / labelStd;
    const auto heldOutImages = images.index_select(0, heldOutIndex);
    const auto heldOutLabels = labels.index_select(0, heldOutIndex);

    ScoreNetworkConfig config;
    config.backbone = ScoreBackbone::LightCnn;
    config.channels = int(images.size(1));
    config.resolution = int(images.size(2));
    config.outputs = k;
    config.hidden = options.hidden;
    torch::manual_seed(evaluationStream(options.seed, EvaluationStream::EncoderInit));
    ScoreNetwork network(config);
    torch::optim::Adam optimizer(network->parameters(), torch::optim::AdamOptions(options.learningRate));

    DistilledEncoder result;
    auto &report = result.report;
    report.trainImages = int(split.train.size());
    report.heldOutImages = int(split.heldOut.size());
    report.labelMean = toDoubles(labelMean.squeeze(0));
    report.labelStd = toDoubles(labelStd.squeeze(0));

    SeededRandom batchOrder(evaluationStream(options.seed, EvaluationStream::BatchOrder));
    std::vector<int> order = split.train;
    std::vector<torch::Tensor> best;
    double bestMse = std::numeric_limits<double>::infinity();
    int epochsWithoutGain = 0;
    const int batchesPerEpoch
        = int((order.size() + std::size_t(options.batchSize) - 1) / std::size_t(options.batchSize));
    for (int epoch = 1; epoch <= options.epochs; ++epoch) {
        // StepLR(step, gamma) stepped once per epoch, as the paper's regressor.
        const double lr = options.learningRate * std::pow(options.lrGamma, (epoch - 1) / options.lrStepEpochs);
        static_cast<torch::optim::AdamOptions &>(optimizer.param_groups()[0].options()).lr(lr);
        network->train();
        batchOrder.shuffle(order);
        double lossSum = 0.0;
        for (int batch = 0; batch < batchesPerEpoch; ++batch) {
            const std::size_t begin = std::size_t(batch) * std::size_t(options.batchSize);
            const std::size_t end = std::min(order.size(), begin + std::size_t(options.batchSize));
            const auto index = indexTensor(
                std::vector<int>(order.begin() + std::ptrdiff_t(begin), order.begin() + std::ptrdiff_t(end)));
            const auto loss
                = torch::mse_loss(network->forward(images.index_select(0, index)), labels.index_select(0, index));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            lossSum += loss.item<double>() * double(end - begin);
            const double done = (epoch - 1 + double(batch + 1) / batchesPerEpoch) / options.epochs;
            reportProgress(progress, progressFrom + (progressTo - progressFrom) * done,
                "distilling the encoder, epoch " + std::to_string(epoch) + " of at most "
                    + std::to_string(options.epochs));
        }
        // Train MSE = the mean loss over the epoch's batches (what the paper's code logs); held-out after the epoch.
        report.trainMsePerEpoch.push_back(lossSum / double(order.size()));
        const auto heldOut = scoreHeldOut(network, heldOutImages, heldOutLabels, options.batchSize);
        report.heldOutMsePerEpoch.push_back(heldOut.mse);
        report.epochsRun = epoch;
        if (heldOut.mse < bestMse) {
            bestMse = heldOut.mse;
            report.bestEpoch = epoch;
            report.trainMse = report.trainMsePerEpoch.back();
            report.heldOutMse = heldOut.mse;
            report.heldOutR2 = heldOut.r2;
            best.clear();
            for (const auto &parameter : network->parameters())
                best.push_back(parameter.detach().clone());
            epochsWithoutGain = 0;
        } else if (++epochsWithoutGain >= options.patience) {
            break;
        }
    }
    {
        torch::NoGradGuard noGrad;
        auto parameters = network->parameters();
        for (std::size_t i = 0; i < parameters.size(); ++i)
            parameters[i].copy_(best[i]);
    }
    network->eval();
    result.network = network;
    return result;
}

} // namespace untangle
