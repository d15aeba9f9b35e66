#include "selfcheck/retrievalselfcheck.h"

#include "sre/scorenetwork.h"

namespace untangle::selfcheck {

void writeRandomScoreNetwork(const std::string &path, int channels, int resolution, int outputs, std::uint64_t seed,
    const std::string &kind, int hidden, const std::string &directionsPath)
{
    torch::manual_seed(seed);
    ScoreNetworkConfig config;
    config.channels = channels;
    config.resolution = resolution;
    config.outputs = outputs;
    config.hidden = hidden;
    ScoreFile file;
    file.network = ScoreNetwork(config);
    file.kind = kind;
    file.directionsPath = directionsPath;
    saveScoreFile(file, path);
}

} // namespace untangle::selfcheck
