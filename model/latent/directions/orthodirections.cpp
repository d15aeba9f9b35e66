#include "directions/orthodirections.h"

namespace untangle {

torch::Tensor orthonormalColumns(const torch::Tensor &m)
{
    auto [q, r] = torch::linalg_qr(m, "reduced");
    // QR is unique only up to column signs; fixing diag(R) >= 0 makes column k point the way m's column k did.
    auto signs = torch::where(r.diagonal() < 0, -torch::ones_like(r.diagonal()), torch::ones_like(r.diagonal()));
    return q * signs.unsqueeze(0);
}

double orthonormalityError(const torch::Tensor &columns)
{
    const auto c = columns.to(torch::kFloat64);
    const auto gram = torch::matmul(c.t(), c);
    return (gram - torch::eye(c.size(1), torch::kFloat64)).abs().max().item<double>();
}

OrthoDirectionsImpl::OrthoDirectionsImpl(const torch::Tensor &initial)
{
    matrix = register_parameter("matrix", initial.detach().to(torch::kFloat32).clone());
}

void OrthoDirectionsImpl::retract()
{
    torch::NoGradGuard noGrad;
    matrix.copy_(orthonormalColumns(matrix));
}

torch::Tensor OrthoDirectionsImpl::forward(const torch::Tensor &eps)
{
    return torch::matmul(eps, matrix.t());
}

torch::Tensor OrthoDirectionsImpl::directions() const
{
    torch::NoGradGuard noGrad;
    return orthonormalColumns(matrix.detach());
}

} // namespace untangle
