#pragma once
// A walk along one latent direction written as a video file (OpenCV VideoWriter). Std types only.
#include "directions/directionset.h"

#include <cstdint>
#include <string>

namespace untangle {

class LatentRenderer;

struct WalkOptions {
    std::uint64_t seed = 0; // the z the walk starts from
    double truncation = 1.0;
    double range = 3.0; // the walk reaches +-range * sigma_k (sigma_k = 1 when the set has none)
    int frames = 60; // one loop: 0 -> +range -> -range -> 0
    double fps = 24.0;
    int scale = 4; // nearest-neighbour upscaling: 64 px sprites become a watchable 256 px video
    /** Throws std::invalid_argument naming the bad field. */
    void validate() const;
};

/** The shift of frame f in units of sigma: a triangle wave 0 -> +range -> -range -> 0 over the frames. */
double walkAmount(const WalkOptions &options, int frame);

/**
 * Renders G(w + walkAmount(f) * sign_k * sigma_k * d_k) for every frame and writes them to path: .avi (Motion JPEG)
 * or .mp4 (MPEG-4 part 2), chosen by the extension. Written to a temporary file and renamed, so a failed write
 * leaves nothing under the final name. Throws std::invalid_argument (bad options or direction index), DataError
 * (unknown extension, no encoder, unwritable folder).
 */
void writeWalkVideo(LatentRenderer &renderer, const DirectionSet &directions, int direction, const WalkOptions &options,
    const std::string &path);

} // namespace untangle
