#include "latenttensors.h"

#include <cstring>

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

torch::Tensor toTensor(const Matrix &matrix)
{
    return torch::tensor(matrix.values, torch::kFloat64).view({matrix.rows, matrix.cols}).to(torch::kFloat32);
}

ImageU8 toImage(const torch::Tensor &image)
{
    return tileImages(image.unsqueeze(0), 1, 0);
}

ImageU8 tileImages(const torch::Tensor &images, int columns, int gap)
{
    const int count = int(images.size(0));
    const int channels = int(images.size(1));
    const int size = int(images.size(2));
    const int rows = (count + columns - 1) / columns;
    ImageU8 grid;
    grid.channels = channels;
    grid.width = columns * size + (columns - 1) * gap;
    grid.height = rows * size + (rows - 1) * gap;
    grid.bytes.assign(std::size_t(grid.width) * grid.height * channels, 96);
    // (N, C, R, R) in [-1, 1] -> (N, R, R, C) bytes
    const auto bytes = ((images.detach().clamp(-1, 1) + 1.0) * 127.5).round().to(torch::kUInt8).permute({0, 2, 3, 1})
                           .contiguous();
    const auto *source = bytes.data_ptr<std::uint8_t>();
    const std::size_t rowBytes = std::size_t(size) * channels;
    for (int i = 0; i < count; ++i) {
        const int left = (i % columns) * (size + gap);
        const int top = (i / columns) * (size + gap);
        for (int y = 0; y < size; ++y)
            std::memcpy(grid.bytes.data() + (std::size_t(top + y) * grid.width + left) * channels,
                        source + (std::size_t(i) * size + y) * rowBytes, rowBytes);
    }
    return grid;
}

} // namespace untangle
