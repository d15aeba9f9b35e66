// FactorVAE score (Kim & Mnih 2018) as disentanglement_lib's factor_vae.py computes it: with one factor fixed, the
// code dimension with the smallest variance (relative to its global variance) should be the one encoding that
// factor; a majority-vote classifier from dimension to factor is fitted on training votes and scored on new votes.
#include "evaluation/disentanglement.h"

#include "seededrandom.h"

#include <cmath>
#include <stdexcept>

namespace untangle {

namespace {

/** Per-column unbiased variance (ddof 1, as numpy.var(..., ddof=1) in disentanglement_lib) of rows x cols values. */
std::vector<double> columnVariances(const std::vector<double> &values, int rows, int cols)
{
    std::vector<double> mean(std::size_t(cols), 0.0), variance(std::size_t(cols), 0.0);
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j)
            mean[std::size_t(j)] += values[std::size_t(i) * cols + j] / rows;
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < cols; ++j) {
            const double delta = values[std::size_t(i) * cols + j] - mean[std::size_t(j)];
            variance[std::size_t(j)] += delta * delta / (rows - 1);
        }
    return variance;
}

struct VoteSource {
    const FactorSampler &sampler;
    const FactorVaeOptions &options;
    const std::vector<double> &globalVariance;
    const std::vector<bool> &active;
    SeededRandom &random;
    std::vector<double> codes;

    /** votes[dim * F + factor] += 1 for `count` fresh batches. */
    void collect(std::vector<int> &votes, int count)
    {
        const int d = sampler.codeDim, f = int(sampler.factorSizes.size());
        for (int v = 0; v < count; ++v) {
            const int factor = random.below(f);
            const int value = random.below(sampler.factorSizes[std::size_t(factor)]);
            sampler.sampleWithFactorFixed(factor, value, options.batchSize, codes);
            sampler.checkBatch(codes, options.batchSize, "sampleWithFactorFixed");
            const std::vector<double> local = columnVariances(codes, options.batchSize, d);
            int best = -1;
            double bestRatio = 0.0;
            for (int j = 0; j < d; ++j) {
                if (!active[std::size_t(j)])
                    continue;
                const double ratio = local[std::size_t(j)] / globalVariance[std::size_t(j)];
                if (best < 0 || ratio < bestRatio) { // strict: ties keep the first dimension, as numpy.argmin
                    best = j;
                    bestRatio = ratio;
                }
            }
            ++votes[std::size_t(best) * f + factor];
        }
    }
};

double majorityAccuracy(const std::vector<int> &votes, const std::vector<int> &dimToFactor, int factors)
{
    long long correct = 0, total = 0;
    for (std::size_t j = 0; j < dimToFactor.size(); ++j)
        for (int k = 0; k < factors; ++k) {
            const int count = votes[j * factors + std::size_t(k)];
            total += count;
            if (k == dimToFactor[j])
                correct += count;
        }
    return total > 0 ? double(correct) / double(total) : 0.0;
}

} // namespace

FactorVaeResult computeFactorVae(const FactorSampler &sampler, const FactorVaeOptions &options)
{
    sampler.validate();
    if (!sampler.sample)
        throw std::invalid_argument("FactorVAE: FactorSampler::sample is not set (the global variance needs it)");
    if (options.batchSize < 2 || options.varianceSamples < 2)
        throw std::invalid_argument("FactorVAE: batchSize and varianceSamples must be at least 2 (unbiased variance)");
    if (options.trainVotes < 1 || options.evalVotes < 1)
        throw std::invalid_argument("FactorVAE: trainVotes and evalVotes must be positive");
    if (!(options.pruneStd > 0.0)) // a kept zero-variance dimension would divide by zero
        throw std::invalid_argument("FactorVAE: pruneStd must be positive");
    const int d = sampler.codeDim, f = int(sampler.factorSizes.size());

    FactorVaeResult result;
    std::vector<double> codes;
    sampler.sample(options.varianceSamples, codes);
    sampler.checkBatch(codes, options.varianceSamples, "sample");
    const std::vector<double> globalVariance = columnVariances(codes, options.varianceSamples, d);
    std::vector<bool> active(static_cast<std::size_t>(d));
    for (int j = 0; j < d; ++j) {
        result.globalStd.push_back(std::sqrt(globalVariance[std::size_t(j)]));
        active[std::size_t(j)] = result.globalStd.back() >= options.pruneStd;
        result.activeDims += active[std::size_t(j)];
    }
    result.votes.assign(std::size_t(d) * std::size_t(f), 0);
    result.dimToFactor.assign(std::size_t(d), -1);
    if (result.activeDims == 0) // every dimension collapsed: disentanglement_lib reports 0 / 0
        return result;

    SeededRandom random(options.seed);
    VoteSource source {sampler, options, globalVariance, active, random, {}};
    source.collect(result.votes, options.trainVotes);
    for (int j = 0; j < d; ++j) {
        if (!active[std::size_t(j)])
            continue;
        int best = 0; // numpy.argmax: a dimension that never won a vote maps to factor 0
        for (int k = 1; k < f; ++k)
            if (result.votes[std::size_t(j) * f + k] > result.votes[std::size_t(j) * f + best])
                best = k;
        result.dimToFactor[std::size_t(j)] = best;
    }
    result.trainAccuracy = majorityAccuracy(result.votes, result.dimToFactor, f);

    std::vector<int> evalVotes(std::size_t(d) * std::size_t(f), 0);
    source.collect(evalVotes, options.evalVotes);
    result.evalAccuracy = majorityAccuracy(evalVotes, result.dimToFactor, f);
    return result;
}

} // namespace untangle
