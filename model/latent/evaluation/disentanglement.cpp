// Shared pieces of the disentanglement metrics: input checks, discrete information theory, noise floors.
#include "evaluation/disentanglement.h"

#include "seededrandom.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <stdexcept>

namespace untangle {

namespace {

[[noreturn]] void fail(const std::string &message)
{
    throw std::invalid_argument(message);
}

int largestLabel(const std::vector<int> &labels, const char *what)
{
    int top = 0;
    for (int label : labels) {
        if (label < 0)
            fail(std::string(what) + ": labels must be non-negative integers, got " + std::to_string(label));
        top = std::max(top, label);
    }
    return top;
}

} // namespace

void FactorMatrix::validate(const std::string &what) const
{
    if (rows <= 0 || sizes.empty())
        fail(what + " is empty (" + std::to_string(rows) + " rows, " + std::to_string(sizes.size()) + " factors)");
    for (std::size_t f = 0; f < sizes.size(); ++f)
        if (sizes[f] < 1)
            fail(what + ": factor " + std::to_string(f) + " has size " + std::to_string(sizes[f]));
    if (values.size() != std::size_t(rows) * sizes.size())
        fail(what + " holds " + std::to_string(values.size()) + " values but claims " + std::to_string(rows) + " x "
            + std::to_string(sizes.size()));
    for (std::size_t i = 0; i < values.size(); ++i) {
        const std::size_t f = i % sizes.size();
        if (values[i] < 0 || values[i] >= sizes[f])
            fail(what + ": factor " + std::to_string(f) + " has value " + std::to_string(values[i]) + " at row "
                + std::to_string(i / sizes.size()) + ", outside 0 .. " + std::to_string(sizes[f] - 1));
    }
}

FactorMatrix FactorMatrix::fromRows(const std::vector<std::vector<int>> &rows, std::vector<int> sizes)
{
    FactorMatrix m;
    m.rows = int(rows.size());
    m.sizes = std::move(sizes);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (rows[r].size() != m.sizes.size())
            fail("factor row " + std::to_string(r) + " has " + std::to_string(rows[r].size()) + " values for "
                + std::to_string(m.sizes.size()) + " factors");
        m.values.insert(m.values.end(), rows[r].begin(), rows[r].end());
    }
    return m;
}

std::vector<int> histogramDiscretize(const std::vector<double> &values, int bins)
{
    if (values.empty())
        fail("histogramDiscretize: no values");
    if (bins < 1)
        fail("histogramDiscretize: bins must be positive, got " + std::to_string(bins));
    const auto [lowIt, highIt] = std::minmax_element(values.begin(), values.end());
    double low = *lowIt, high = *highIt;
    if (!std::isfinite(low) || !std::isfinite(high))
        fail("histogramDiscretize: values must be finite");
    if (low == high) { // numpy.histogram's rule for a degenerate range
        low -= 0.5;
        high += 0.5;
    }
    // Left edges computed as numpy.linspace does (start + i * step), so boundary values land in numpy's bin.
    const double step = (high - low) / bins;
    std::vector<double> leftEdges(static_cast<std::size_t>(bins));
    for (int i = 0; i < bins; ++i)
        leftEdges[std::size_t(i)] = low + double(i) * step;
    std::vector<int> out(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const auto above = std::upper_bound(leftEdges.begin(), leftEdges.end(), values[i]);
        out[i] = int(above - leftEdges.begin()) - 1; // digitize counts edges <= x; minus one for 0-based bins
    }
    return out;
}

double discreteEntropy(const std::vector<int> &labels)
{
    if (labels.empty())
        fail("discreteEntropy: no labels");
    std::vector<double> counts(std::size_t(largestLabel(labels, "discreteEntropy")) + 1, 0.0);
    for (int label : labels)
        counts[std::size_t(label)] += 1.0;
    const double n = double(labels.size());
    double h = 0.0;
    for (double c : counts)
        if (c > 0.0)
            h -= c / n * std::log(c / n);
    return std::max(h, 0.0);
}

double mutualInformation(const std::vector<int> &a, const std::vector<int> &b)
{
    if (a.empty() || a.size() != b.size())
        fail("mutualInformation: label vectors must be non-empty and equally long (" + std::to_string(a.size()) + " vs "
            + std::to_string(b.size()) + ")");
    const std::size_t na = std::size_t(largestLabel(a, "mutualInformation")) + 1;
    const std::size_t nb = std::size_t(largestLabel(b, "mutualInformation")) + 1;
    std::vector<double> joint(na * nb, 0.0), pa(na, 0.0), pb(nb, 0.0);
    for (std::size_t i = 0; i < a.size(); ++i) {
        joint[std::size_t(a[i]) * nb + std::size_t(b[i])] += 1.0;
        pa[std::size_t(a[i])] += 1.0;
        pb[std::size_t(b[i])] += 1.0;
    }
    const double n = double(a.size());
    double mi = 0.0;
    for (std::size_t i = 0; i < na; ++i)
        for (std::size_t j = 0; j < nb; ++j) {
            const double c = joint[i * nb + j];
            if (c > 0.0)
                mi += c / n * std::log(c * n / (pa[i] * pb[j]));
        }
    return std::max(mi, 0.0); // sklearn clips the rounding-level negatives of independent labels
}

void FactorSampler::validate() const
{
    if (factorSizes.empty())
        fail("FactorSampler: no factors");
    for (std::size_t f = 0; f < factorSizes.size(); ++f)
        if (factorSizes[f] < 1)
            fail("FactorSampler: factor " + std::to_string(f) + " has size " + std::to_string(factorSizes[f]));
    if (codeDim < 1)
        fail("FactorSampler: codeDim must be positive, got " + std::to_string(codeDim));
    if (!sampleWithFactorFixed)
        fail("FactorSampler: sampleWithFactorFixed is not set");
}

void FactorSampler::checkBatch(const std::vector<double> &out, int batch, const char *callback) const
{
    const std::size_t expected = std::size_t(batch) * std::size_t(codeDim);
    if (out.size() != expected)
        fail(std::string("FactorSampler::") + callback + " returned " + std::to_string(out.size())
            + " values, expected batch x codeDim = " + std::to_string(expected));
    for (double v : out)
        if (!std::isfinite(v))
            fail(std::string("FactorSampler::") + callback + " returned a non-finite code value");
}

CodeMatrix gaussianCodes(int rows, int cols, std::uint64_t seed)
{
    if (rows <= 0 || cols <= 0)
        fail("gaussianCodes: shape must be positive, got " + std::to_string(rows) + " x " + std::to_string(cols));
    CodeMatrix m;
    m.rows = rows;
    m.cols = cols;
    m.values.resize(std::size_t(rows) * std::size_t(cols));
    SeededRandom random(seed);
    for (double &v : m.values)
        v = random.normal();
    return m;
}

FactorSampler gaussianSampler(const std::vector<int> &factorSizes, int codeDim, std::uint64_t seed)
{
    FactorSampler s;
    s.factorSizes = factorSizes;
    s.codeDim = codeDim;
    // One shared stream: the callbacks are called in a fixed order by the metrics, so results stay reproducible.
    auto random = std::make_shared<SeededRandom>(seed);
    auto fill = [random, codeDim](int batch, std::vector<double> &out) {
        out.resize(std::size_t(batch) * std::size_t(codeDim));
        for (double &v : out)
            v = random->normal();
    };
    s.sample = fill;
    s.sampleWithFactorFixed = [fill](int, int, int batch, std::vector<double> &out) { fill(batch, out); };
    s.samplePairs = [fill](int, int batch, std::vector<double> &first, std::vector<double> &second) {
        fill(batch, first);
        fill(batch, second);
    };
    return s;
}

MigResult migNoiseFloor(const FactorMatrix &factors, int codeDim, std::uint64_t seed, int bins)
{
    factors.validate("MIG noise-floor factors");
    return computeMig(gaussianCodes(factors.rows, codeDim, seed), factors, bins);
}

DciResult dciNoiseFloor(
    const FactorMatrix &trainFactors, const FactorMatrix &testFactors, int codeDim, const DciOptions &options)
{
    trainFactors.validate("DCI noise-floor train factors");
    testFactors.validate("DCI noise-floor test factors");
    const CodeMatrix train = gaussianCodes(trainFactors.rows, codeDim, SeededRandom::derive(options.seed, 1));
    const CodeMatrix test = gaussianCodes(testFactors.rows, codeDim, SeededRandom::derive(options.seed, 2));
    return computeDci(train, trainFactors, test, testFactors, options);
}

DciResult dciNoiseFloor(const FactorMatrix &factors, int codeDim, const DciOptions &options)
{
    factors.validate("DCI noise-floor factors");
    return computeDci(gaussianCodes(factors.rows, codeDim, SeededRandom::derive(options.seed, 1)), factors, options);
}

FactorVaeResult factorVaeNoiseFloor(const std::vector<int> &factorSizes, int codeDim, const FactorVaeOptions &options)
{
    return computeFactorVae(gaussianSampler(factorSizes, codeDim, SeededRandom::derive(options.seed, 1)), options);
}

BetaVaeResult betaVaeNoiseFloor(const std::vector<int> &factorSizes, int codeDim, const BetaVaeOptions &options)
{
    return computeBetaVae(gaussianSampler(factorSizes, codeDim, SeededRandom::derive(options.seed, 1)), options);
}

std::string withNoiseFloor(const std::string &name, double score, double noiseFloor)
{
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, " %.3f (noise floor %.3f)", score, noiseFloor);
    return name + buffer;
}

} // namespace untangle
