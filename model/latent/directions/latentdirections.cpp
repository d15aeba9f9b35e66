#include "directions/latentdirections.h"

#include "common/latenttensors.h"
#include "gan/stylesampling.h"

#include <stdexcept>

namespace untangle {
namespace {

torch::Tensor validatedTensor(const Matrix &m)
{
    m.validate("latent matrix");
    return toTensor(m, torch::kFloat64);
}

/** Top-k eigenpairs of a symmetric matrix, largest first, each vector with its largest component positive. */
LatentDirections topEigenvectors(const torch::Tensor &symmetric, int k, const std::string &method)
{
    const auto n = symmetric.size(0);
    if (k < 1 || k > n)
        throw std::invalid_argument(
            method + ": " + std::to_string(k) + " directions requested from a latent of size " + std::to_string(n));
    const auto [eigenvalues, eigenvectors] = torch::linalg_eigh(symmetric); // ascending
    LatentDirections out;
    out.method = method;
    out.directions = Matrix {k, int(n), {}};
    for (int i = 0; i < k; ++i) {
        const std::int64_t column = n - 1 - i;
        auto vector = eigenvectors.select(1, column).contiguous();
        const auto largest = vector.abs().argmax().item<std::int64_t>();
        if (vector[largest].item<double>() < 0)
            vector = -vector;
        const double *v = vector.data_ptr<double>();
        out.directions.values.insert(out.directions.values.end(), v, v + n);
        out.scores.push_back(eigenvalues[column].item<double>());
    }
    return out;
}

torch::Tensor covariance(const Matrix &samples)
{
    if (samples.rows < 2)
        throw std::invalid_argument(
            "principal components need at least 2 samples, got " + std::to_string(samples.rows));
    const auto x = validatedTensor(samples);
    const auto centred = x - x.mean(0, true);
    return centred.t().mm(centred) / double(samples.rows - 1);
}

} // namespace

LatentDirections sefaDirections(const Matrix &weight, int k)
{
    const auto a = validatedTensor(weight);
    return topEigenvectors(a.t().mm(a), k, "sefa");
}

LatentDirections ganspaceDirections(const Matrix &samples, int k)
{
    LatentDirections out = topEigenvectors(covariance(samples), k, "ganspace");
    for (double &variance : out.scores)
        variance = std::sqrt(std::max(0.0, variance)); // report standard deviations, the unit sliders move in
    return out;
}

LatentDirections randomDirections(int latentSize, int k, std::uint64_t seed)
{
    if (k < 1 || k > latentSize)
        throw std::invalid_argument("random: " + std::to_string(k) + " directions requested from a latent of size "
            + std::to_string(latentSize));
    const auto gaussian = sampleLatents(latentSize, k, seed).to(torch::kFloat64);
    auto [q, r] = torch::linalg::qr(gaussian); // latentSize x k, orthonormal columns
    // Sign fix: diag(R) >= 0 makes Q unique (docs/methods/sre.md §1.5).
    const auto signs
        = torch::where(r.diagonal() < 0, -torch::ones({k}, torch::kFloat64), torch::ones({k}, torch::kFloat64));
    const auto rows = (q * signs.unsqueeze(0)).t().contiguous();
    LatentDirections out;
    out.method = "random";
    out.directions
        = Matrix {k, latentSize, std::vector<double>(rows.data_ptr<double>(), rows.data_ptr<double>() + rows.numel())};
    out.scores.assign(std::size_t(k), 0.0);
    return out;
}

double principalStdRatio(const Matrix &samples)
{
    if (samples.cols < 2)
        throw std::invalid_argument("the std ratio needs a latent of at least 2 dimensions");
    const LatentDirections top = ganspaceDirections(samples, 2);
    return top.scores[1] > 0 ? top.scores[0] / top.scores[1] : std::numeric_limits<double>::infinity();
}

} // namespace untangle
