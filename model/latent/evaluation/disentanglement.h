#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/latentmatrix.h"

namespace untangle {

/*
 * Supervised disentanglement metrics (MIG, DCI, FactorVAE, beta-VAE) as the SRE paper's evaluation code computes
 * them (DisCo-style, docs/methods/sre.md §4.1 and §7.5), which in turn follows google-research/disentanglement_lib.
 * Plain std types in and out; OpenCV stays inside the .cpp files. Every score has a noise floor: the same metric on
 * random Gaussian codes of the same shape, so a score is always read against what an uninformative representation gets.
 */

// ---- MIG (Chen et al. 2018) ----
/** Equal-width bins per code dimension: disentanglement_lib's histogram discretizer default, used by the SRE code. */
constexpr int MigHistogramBins = 20;
/** Points the SRE code draws for MIG; a protocol default for callers, the functions take any count. */
constexpr int MigSampleCount = 10000;

// ---- DCI (Eastwood & Williams 2018) ----
/** Train and test points per DCI evaluation in the SRE code (5000 / 5000). */
constexpr int DciTrainSampleCount = 5000;
constexpr int DciTestSampleCount = 5000;
/** Share used for training when one code set is split here: 5000 / 5000 as in the SRE code. */
constexpr double DciTrainFraction = 0.5;
/** Trees per factor: OpenCV's RTrees default count; D and C then move by about 0.002 between seeds. */
constexpr int DciForestTrees = 50;
/** Depth cap and minimum node size to split. Together they make the forest's D and C track sklearn's default
 *  GradientBoostingClassifier (the reference code's classifier) within 0.03 on synthetic codes from clean to noisy;
 *  fully grown trees memorise noise through uninformative dimensions and pulled D and C up to 0.2 below it. */
constexpr int DciMaxTreeDepth = 12;
constexpr int DciMinSplitSamples = 20;
/** Added to every importance before an entropy, exactly as disentanglement_lib's dci.py (keeps log 0 out). */
constexpr double DciEntropyEpsilon = 1e-11;

// ---- FactorVAE score (Kim & Mnih 2018) ----
/** Codes per vote: disentanglement_lib's and the SRE code's 64. */
constexpr int FactorVaeBatchSize = 64;
/** Votes to fit and to score the majority-vote classifier: the CPU-reduced 1000 / 1000 of docs/methods/sre.md §7.5
 *  (the SRE code uses 5000 / 5000, disentanglement_lib 10000 / 5000), to keep it cheap on a 2-core CPU. */
constexpr int FactorVaeTrainVotes = 1000;
constexpr int FactorVaeEvalVotes = 1000;
/** Codes for the global per-dimension variance (the SRE code's 5000). */
constexpr int FactorVaeVarianceSamples = 5000;
/** Dimensions whose global std is below this are collapsed and never vote (SRE / DisCo code). */
constexpr double FactorVaePruneStd = 0.05;

// ---- beta-VAE score (Higgins et al. 2017) ----
/** Pairs averaged into one feature vector: disentanglement_lib's and the SRE code's 64. */
constexpr int BetaVaeBatchSize = 64;
/** Training and evaluation points: the CPU-reduced 1000 / 1000 of docs/methods/sre.md §7.5 (SRE code: 5000 / 5000). */
constexpr int BetaVaeTrainPoints = 1000;
constexpr int BetaVaeEvalPoints = 1000;
/** Inverse L2 strength C of the multinomial logistic regression: sklearn LogisticRegression's default, which the SRE
 *  code and disentanglement_lib use unchanged (objective C * sum of log losses + |W|^2 / 2, intercepts free). */
constexpr double BetaVaeInverseRegularisation = 1.0;
/** Newton steps cap; the convex problem converged in at most 5 steps on every case tried (up to 64 dimensions). */
constexpr int BetaVaeMaxNewtonSteps = 100;

/** N x D latent codes, row-major (the shared latent Matrix). */
using CodeMatrix = Matrix;

/** N x F ground-truth factor classes, row-major; factor f takes the values 0 .. sizes[f] - 1. */
struct FactorMatrix {
    int rows = 0;
    std::vector<int> sizes;
    std::vector<int> values;

    int factorCount() const { return int(sizes.size()); }
    int at(int row, int factor) const { return values[std::size_t(row) * sizes.size() + std::size_t(factor)]; }
    /** Throws std::invalid_argument naming `what` if empty, ragged, or a value is out of its factor's range. */
    void validate(const std::string &what) const;

    static FactorMatrix fromRows(const std::vector<std::vector<int>> &rows, std::vector<int> sizes);
};

// ---- Information theory on integer labels (natural log, plug-in estimates as sklearn's mutual_info_score) ----

/** numpy.digitize(x, numpy.histogram(x, bins)[1][:-1]) - 1: bin indices 0 .. bins - 1, the maximum in the last bin;
 *  a constant input falls in bin bins / 2 because numpy widens its range to [c - 0.5, c + 0.5]. */
std::vector<int> histogramDiscretize(const std::vector<double> &values, int bins);
/** H(a) in nats. Labels are non-negative integers. */
double discreteEntropy(const std::vector<int> &labels);
/** I(a; b) in nats from the joint histogram, clipped at 0 like sklearn. */
double mutualInformation(const std::vector<int> &a, const std::vector<int> &b);

// ---- MIG ----

struct MigResult {
    int codeDim = 0;
    int factorCount = 0;
    double mig = 0.0; // mean of perFactor
    std::vector<double> perFactor; // (top1 - top2 MI) / H(factor), F values
    std::vector<int> topCode; // code dimension with the largest MI, per factor
    std::vector<double> factorEntropy; // nats, F values
    std::vector<double> mutualInformation; // D x F, row-major, nats

    double mi(int code, int factor) const { return mutualInformation[std::size_t(code) * factorCount + factor]; }
};

/** Needs D >= 2 (MIG is a gap between the two best dimensions) and every factor to vary among the N rows. */
MigResult computeMig(const CodeMatrix &codes, const FactorMatrix &factors, int bins = MigHistogramBins);

// ---- DCI ----

struct DciOptions {
    int trees = DciForestTrees;
    int maxDepth = DciMaxTreeDepth;
    int minSplitSamples = DciMinSplitSamples;
    double trainFraction = DciTrainFraction; // only for the overload that splits one set
    std::uint64_t seed = 0;
};

struct DciResult {
    int codeDim = 0;
    int factorCount = 0;
    double disentanglement = 0.0; // D: sum_j rho_j (1 - H_F(row j of R)), rho_j = row share of the total
    double completeness = 0.0; // C: sum_k w_k (1 - H_D(column k of R)); computeDci's columns sum to 1: w_k = 1 / F
    double informativeness = 0.0; // I: mean test accuracy over factors (higher is better)
    double trainAccuracy = 0.0; // mean train accuracy, to see how much the forests overfit
    std::vector<double> importance; // R, D x F row-major; column k = the factor-k forest's importances
    std::vector<double> perCode, codeWeight; // 1 - H_F(p_j) and rho_j, D values each
    std::vector<double> perFactor, factorWeight;
    std::vector<double> testAccuracy, trainAccuracyPerFactor;

    double r(int code, int factor) const { return importance[std::size_t(code) * factorCount + factor]; }
    /** (D + C + (1 - I)) / 3: what the SRE code returns as "DCI". Nonstandard (it rewards errors,
     *  docs/methods/sre.md, pitfall 10); shown only to compare with that code, never as our headline. */
    double sreCodeScore() const { return (disentanglement + completeness + (1.0 - informativeness)) / 3.0; }
};

/**
 * One random forest (OpenCV RTrees, every code dimension considered at every split) per factor, trained on `train`
 * and scored on `test`. R is each forest's mean decrease in Gini impurity, normalised per tree and averaged like
 * sklearn's feature_importances_ (OpenCV 4.6's own getVarImportance is biased towards uniform, see dci.cpp).
 * Deterministic for a given seed. Needs D >= 2, F >= 2 and two classes of every factor in the train set.
 */
DciResult computeDci(const CodeMatrix &trainCodes, const FactorMatrix &trainFactors, const CodeMatrix &testCodes,
    const FactorMatrix &testFactors, const DciOptions &options = {});
/** The same on one set, split by a seeded shuffle: the first round(trainFraction * N) rows train, the rest test. */
DciResult computeDci(const CodeMatrix &codes, const FactorMatrix &factors, const DciOptions &options = {});
/** D and C (and the per-code / per-factor terms) of a given D x F importance matrix; I and accuracies stay 0. */
DciResult dciFromImportance(const std::vector<double> &importance, int codeDim, int factorCount);

// ---- Sampling-based scores: FactorVAE and beta-VAE ----

/**
 * Where FactorVAE and beta-VAE get codes: the caller's generator + encoder, or a synthetic process. Each callback
 * resizes `out` to batch x codeDim values (row-major) and fills them. Factors are drawn uniformly, as the metrics
 * assume (disentanglement_lib samples ground-truth factors uniformly).
 */
struct FactorSampler {
    std::vector<int> factorSizes;
    int codeDim = 0;
    /** `batch` codes with every factor random: the global variance of FactorVAE. */
    std::function<void(int batch, std::vector<double> &out)> sample;
    /** `batch` codes whose factor `factor` equals `value`, the other factors random. */
    std::function<void(int factor, int value, int batch, std::vector<double> &out)> sampleWithFactorFixed;
    /** Optional: `batch` pairs, pair i sharing factor `factor` (its own random value per pair), all else independent.
     *  When empty, beta-VAE builds each pair from sampleWithFactorFixed(factor, random value, 2). */
    std::function<void(int factor, int batch, std::vector<double> &first, std::vector<double> &second)> samplePairs;

    /** Throws std::invalid_argument if sizes, codeDim or the required callbacks are missing. */
    void validate() const;
    /** Throws std::invalid_argument if a callback returned the wrong number of values or a non-finite one. */
    void checkBatch(const std::vector<double> &out, int batch, const char *callback) const;
};

struct FactorVaeOptions {
    int batchSize = FactorVaeBatchSize;
    int trainVotes = FactorVaeTrainVotes;
    int evalVotes = FactorVaeEvalVotes;
    int varianceSamples = FactorVaeVarianceSamples;
    double pruneStd = FactorVaePruneStd;
    std::uint64_t seed = 0;
};

struct FactorVaeResult {
    double trainAccuracy = 0.0;
    double evalAccuracy = 0.0; // the reported score
    int activeDims = 0;
    std::vector<double> globalStd; // per code dimension (ddof 1)
    std::vector<int> votes; // D x F training votes, row-major
    std::vector<int> dimToFactor; // majority factor per code dimension, -1 for pruned dimensions
};

/** Each vote: a random factor k and value v, a batch with k fixed at v, normalise the batch variance by the global
 *  one, vote (argmin dimension, k). The classifier maps each dimension to its majority factor. */
FactorVaeResult computeFactorVae(const FactorSampler &sampler, const FactorVaeOptions &options = {});

struct BetaVaeOptions {
    int batchSize = BetaVaeBatchSize;
    int trainPoints = BetaVaeTrainPoints;
    int evalPoints = BetaVaeEvalPoints;
    double inverseRegularisation = BetaVaeInverseRegularisation;
    std::uint64_t seed = 0;
};

struct BetaVaeResult {
    double trainAccuracy = 0.0;
    double evalAccuracy = 0.0; // the reported score
};

/** Each point: a random factor k, batch pairs sharing k, feature = mean |z1 - z2| over the pairs, label k; a
 *  multinomial logistic regression (sklearn defaults, fitted by Newton's method) predicts k. */
BetaVaeResult computeBetaVae(const FactorSampler &sampler, const BetaVaeOptions &options = {});

// ---- Noise floors: the same metric on seeded standard-normal codes that carry no factor information ----

CodeMatrix gaussianCodes(int rows, int cols, std::uint64_t seed);
/** Ignores the factors: every callback returns fresh N(0, I) codes. */
FactorSampler gaussianSampler(const std::vector<int> &factorSizes, int codeDim, std::uint64_t seed);

MigResult migNoiseFloor(const FactorMatrix &factors, int codeDim, std::uint64_t seed, int bins = MigHistogramBins);
DciResult dciNoiseFloor(
    const FactorMatrix &trainFactors, const FactorMatrix &testFactors, int codeDim, const DciOptions &options = {});
DciResult dciNoiseFloor(const FactorMatrix &factors, int codeDim, const DciOptions &options = {});
FactorVaeResult factorVaeNoiseFloor(
    const std::vector<int> &factorSizes, int codeDim, const FactorVaeOptions &options = {});
BetaVaeResult betaVaeNoiseFloor(const std::vector<int> &factorSizes, int codeDim, const BetaVaeOptions &options = {});

/** "MIG 0.412 (noise floor 0.021)": the form every report line uses, so no score is printed without its floor. */
std::string withNoiseFloor(const std::string &name, double score, double noiseFloor);

} // namespace untangle
