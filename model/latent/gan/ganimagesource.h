#pragma once
// model-internal: where a GAN's real images come from.
#include "common/imagesharpness.h"
#include "labeledimages.h"
#include "scenesrenderer.h"
#include "spritesrenderer.h"
#include <cstdint>
#include <string>
#include <torch/torch.h>
#include <vector>

namespace untangle {

/** Bit f set = scene factor f varies in a GAN's training stream. */
constexpr unsigned AllSceneFactors = (1u << SceneFactorCount) - 1;
/** The mask of the named factors (sceneFactorNames), all six for an empty list. Throws std::invalid_argument naming
 *  an unknown or repeated factor. */
unsigned variedSceneFactorMask(const std::vector<std::string> &names);
/** The mask of the factors view negatives average a room over (GanConfig::viewNegativeFactors): orientation alone
 *  for an empty list. Throws as variedSceneFactorMask. */
unsigned viewNegativeFactorMask(const std::vector<std::string> &names);
/** The value a factor that does not vary is held at: a cube at scale 4 of 8, turned to the centre orientation (0
 *  degrees), on a red floor (hue 0) before a green wall (hue 3) in blue (hue 6), three hues far apart. */
SceneFactors heldSceneFactors();

/**
 * Real training images as (n, C, R, R) floats in [-1, 1]. Sprites and Scenes are rendered on demand from uniformly
 * drawn factors (unbiased dSprites- and 3D-Shapes-like streams, docs/methods/sre.md §7.1); a dataset's training split
 * is resized once with OpenCV. Batches depend only on (seed, iteration), so a resumed run sees the same data as an
 * uninterrupted one.
 */
class GanImageSource {
public:
    static GanImageSource sprites(int resolution);
    /** RGB scenes (scenesrenderer.h) at any resolution the renderer draws (16..256); the factors outside `varied`
     *  are held at heldSceneFactors(). Every factor is drawn either way, so a batch's varied factors do not depend on
     *  which others are held. */
    static GanImageSource scenes(int resolution, unsigned varied = AllSceneFactors);
    static GanImageSource fromImages(const LabeledImages &images, int resolution);
    int channels() const { return m_channels; }
    int resolution() const { return m_resolution; }
    torch::Tensor batch(int n, std::uint64_t seed, std::int64_t iteration) const;
    /** Scenes only: n rooms drawn as batch() draws them (another stream of the same seed and iteration), each rendered
     *  at k distinct values of one factor, k uniform in 2..(the factor's value count), and averaged: by default the
     *  orientation, views no camera takes, from two blended to the dome of all 15. With more factors in `averaged`
     *  (a factor mask, as variedSceneFactorMask) each room picks one of them at random: averaged over its shapes or
     *  scales a room's object is a blur no render draws. Throws std::logic_error on another world and
     *  std::invalid_argument on an empty mask. */
    torch::Tensor viewAverages(int n, std::uint64_t seed, std::int64_t iteration,
        unsigned averaged = 1u << int(SceneFactor::Orientation)) const;
    /** Sprites only: n sprites drawn as batch() draws them (another stream of the same seed and iteration), each
     *  morphed toward another of the three shapes (renderSpriteMorphInto, t uniform in [MinShapeMorph,
     *  MaxShapeMorph]): as binary and as crisp as a real sprite but no shape of the world (a heart with its cleft
     *  filled, a squared ellipse). Throws std::logic_error on another world. */
    torch::Tensor shapeMorphs(int n, std::uint64_t seed, std::int64_t iteration) const;

private:
    int m_resolution = 0;
    int m_channels = 1;
    enum class Kind { Sprites, Scenes, Images };
    Kind m_kind = Kind::Sprites;
    unsigned m_variedSceneFactors = AllSceneFactors;
    torch::Tensor m_images; // dataset images, (N, C, R, R) in [-1, 1]
};

/** The range of t in a shape negative: nearer an end, the morph is that shape but for a pixel or two. */
constexpr double MinShapeMorph = 0.3;
constexpr double MaxShapeMorph = 0.7;
/** The sprite of `factors` morphed toward `otherShape` at the same scale, orientation and position: the two renders'
 *  signed distances to their edges (in pixels) mixed t : 1 - t and thresholded at 0, into resolution^2 bytes (0 or
 *  255) at out. t = 1 draws the sprite, t = 0 the other shape. Throws std::invalid_argument as renderSpriteInto. */
void renderSpriteMorphInto(const SpriteFactors &factors, int otherShape, double t, int resolution, std::uint8_t *out);

/** laplacianEnergy (common/imagesharpness.h) of (n, C, R, R) images. */
double laplacianEnergy(const torch::Tensor &images);

/** Images a generator's sharpness is read against: as many real images of its world, fixed (seed 1), capped at 512,
 *  which already pins the mean energy to about a percent. */
constexpr int RealSharpnessImages = 512;
/** samples' sharpness against min(their count, RealSharpnessImages) real images from world. */
Sharpness sharpnessAgainst(const torch::Tensor &samples, const GanImageSource &world);

} // namespace untangle
