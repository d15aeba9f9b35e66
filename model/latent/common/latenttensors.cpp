#include "common/latenttensors.h"

#include "explore/traversalgrid.h"

namespace untangle {

Matrix toMatrix(const torch::Tensor &tensor)
{
    const auto values = tensor.detach().to(torch::kFloat64).contiguous();
    Matrix matrix;
    matrix.rows = int(values.size(0));
    matrix.cols = int(values.size(1));
    matrix.values.assign(values.data_ptr<double>(), values.data_ptr<double>() + values.numel());
    return matrix;
}

torch::Tensor toTensor(const Matrix &matrix, torch::Dtype dtype)
{
    return torch::tensor(matrix.values, torch::kFloat64).view({matrix.rows, matrix.cols}).to(dtype);
}

ImageU8 toImage(const torch::Tensor &image)
{
    // (C, R, R) in [-1, 1] -> (R, R, C) bytes
    const auto bytes
        = ((image.detach().clamp(-1, 1) + 1.0) * 127.5).round().to(torch::kUInt8).permute({1, 2, 0}).contiguous();
    ImageU8 out;
    out.channels = int(image.size(0));
    out.height = int(image.size(1));
    out.width = int(image.size(2));
    out.bytes.assign(bytes.data_ptr<std::uint8_t>(), bytes.data_ptr<std::uint8_t>() + bytes.numel());
    return out;
}

ImageU8 tileImages(const torch::Tensor &images, int columns, int gap)
{
    std::vector<ImageU8> tiles;
    for (int64_t i = 0; i < images.size(0); ++i)
        tiles.push_back(toImage(images[i]));
    return tileImageGrid(tiles, columns, gap);
}

} // namespace untangle
