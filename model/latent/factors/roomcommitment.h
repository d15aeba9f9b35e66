#pragma once
// model-internal: does a Scenes image show one view of a room, or the room averaged over its views? A GAN that does
// not commit to an orientation draws the mean of the 15 camera angles: flat walls over a domed floor edge
// (docs/studies/latent-generators.md, "The critic cannot see the room"). The coverage reports and the GAN runner's
// checkpoint lines say how many samples commit.
#include <torch/torch.h>

#include <vector>

namespace untangle {

/** Samples the measure reads at most (each costs 15 renders). */
constexpr int RoomViewImages = 256;

/**
 * Share of Scenes images (N, 3, R, R) in [-1, 1] that commit to one view: nearer (mean absolute difference) to a
 * render of what the reader reads on them (hues, scale, shape) at some orientation than to that room averaged over
 * its 15 orientations. `probabilities` are the Scenes reader's answers on the same images (FactorReader::predict).
 * Real renders score 1; a render blended half and half with its mirror image about 0.43; the domed rooms of the
 * first shipped generator 0.33. Reads the first min(N, RoomViewImages) images. Throws std::invalid_argument on an
 * empty batch or images that are not 3-channel squares.
 */
double roomViewShare(const torch::Tensor &images, const std::vector<torch::Tensor> &probabilities);

} // namespace untangle
