#pragma once
// Value types that cross between the GUI thread and the latent render worker (never tensors).
#include "explore/latentrenderer.h"
#include "imageu8.h"

#include <QMetaType>
#include <QString>

#include <cstdint>
#include <vector>

namespace untangle {

/** One interactive frame to draw: a grid of seeds at truncation psi, unedited and under each shift. */
struct RenderRequest {
    std::uint64_t id = 0; // increasing; the frame that answers carries it back
    std::vector<std::uint64_t> seeds; // one image per seed (the 1-9 sample grid)
    double psi = 1.0;
    std::vector<std::vector<double>> shifts; // one edited panel per shift (e.g. before SRE, after SRE)
};

/** What the worker answers: panels[0] is the unedited grid, panels[1 + i] the grid under shifts[i]. */
struct RenderFrame {
    std::uint64_t id = 0;
    std::vector<std::vector<ImageU8>> panels;
    double renderMs = 0.0; // generator time for this frame (worker side, styles and cached panels included)
    int skipped = 0; // requests that were replaced by newer ones before this frame started
};

} // namespace untangle

Q_DECLARE_METATYPE(untangle::RenderFrame)
Q_DECLARE_METATYPE(untangle::GeneratorInfo)
