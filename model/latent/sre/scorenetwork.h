#pragma once
// model-internal: networks that map one image to K real scores (SRE's estimator, the distilled evaluation encoder).
#include <string>
#include <torch/torch.h>

namespace untangle {

enum class ScoreBackbone { LightCnn, ResNet18 };

struct ScoreNetworkConfig {
    ScoreBackbone backbone = ScoreBackbone::LightCnn;
    int channels = 1;
    int resolution = 64;
    int outputs = 10; // K
    int hidden = 256; // light CNN's MLP width (docs/methods/sre.md §4.1: 256)
};

/**
 * Image (B, C, R, R) in [-1, 1] -> (B, K), never squeezed (docs/methods/sre.md, pitfall 13). LightCnn is the
 * paper's CNN_Encoder (docs/methods/sre.md §4.1): 4 x [conv k4 s2 p1, ReLU] with 32, 32, 64, 64 channels, flatten,
 * ReLU, Linear(hidden), ReLU, Linear(K); our CPU default for both SRE and the evaluation encoder (a recorded
 * deviation from ResNet-18). ResNet18 is torchvision's ResNet-18, randomly initialised, conv1 replaced by
 * C -> 64 k7 s2 p3 (docs/methods/sre.md §1.2).
 */
struct ScoreNetworkImpl : torch::nn::Module {
    explicit ScoreNetworkImpl(const ScoreNetworkConfig &config);
    torch::Tensor forward(const torch::Tensor &images);
    ScoreNetworkConfig config;
    torch::nn::Sequential body {nullptr};
};
TORCH_MODULE(ScoreNetwork);

/** Builds the ResNet-18 body (features -> (B, 512)); defined in scoreresnet.cpp. */
torch::nn::Sequential resnet18Body(int channels);

/** Multiply-accumulates of one forward for one image (benchmarks' FLOP bound). */
double scoreNetworkMacs(const ScoreNetworkConfig &config);

void writeScoreConfig(
    torch::serialize::OutputArchive &archive, const std::string &key, const ScoreNetworkConfig &config);
ScoreNetworkConfig readScoreConfig(torch::serialize::InputArchive &archive, const std::string &key);

/**
 * One score network per file (an SRE estimator or a distilled encoder), with what its outputs mean: the direction
 * file it scores (so retrieval can name directions) and a kind ("sre-estimator", "encoder"). Atomic; DataError.
 */
struct ScoreFile {
    ScoreNetwork network {nullptr};
    std::string kind;
    std::string directionsPath;
};
void saveScoreFile(const ScoreFile &file, const std::string &path);
/** Throws DataError naming the file (missing, truncated, not a score network). */
ScoreFile loadScoreFile(const std::string &path);

} // namespace untangle
