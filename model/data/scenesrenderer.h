#pragma once

#include "imageu8.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/**
 * 3D Shapes factor order and sizes (Burgess & Kim 2018): floor hue 10, wall hue 10, object hue 10, scale 8,
 * shape 4, orientation 15; 480,000 scenes in all.
 */
enum class SceneFactor { FloorHue = 0, WallHue, ObjectHue, Scale, Shape, Orientation };
constexpr int SceneFactorCount = 6;
constexpr std::array<int, SceneFactorCount> SceneFactorSizes = {10, 10, 10, 8, 4, 15};
enum class SceneShape { Cube = 0, Cylinder = 1, Sphere = 2, Capsule = 3 };
constexpr int SceneResolution = 64; // 3D Shapes' native size

/** Which surface a pixel shows; Mixed marks an antialiased edge pixel that blends several regions. */
enum class SceneRegion : std::uint8_t { Floor = 0, Wall = 1, Object = 2, Mixed = 255 };

/** One scene as factor indices (each in 0..SceneFactorSizes[f]-1). */
struct SceneFactors {
    int floorHue = 0;
    int wallHue = 0;
    int objectHue = 0;
    int scale = 0;
    int shape = 0;
    int orientation = 0;

    int index(SceneFactor factor) const;
    void setIndex(SceneFactor factor, int value);
    bool operator==(const SceneFactors &other) const;
};

/** 3D Shapes' factor names: floor_hue, wall_hue, object_hue, scale, shape, orientation. */
std::string sceneFactorName(SceneFactor factor);
std::vector<std::string> sceneFactorNames();
/** The factor a name spells; throws std::invalid_argument naming the unknown factor and the known ones. */
SceneFactor sceneFactorFromName(const std::string &name);
/** cube, cylinder, sphere, capsule */
std::vector<std::string> sceneShapeNames();

/** Number of factor tuples (480,000). */
std::int64_t sceneCount();
/** Row-major index in 3D Shapes' order (floor hue slowest, orientation fastest), as in its images array. */
std::int64_t sceneIndex(const SceneFactors &factors);
/** The inverse of sceneIndex; throws std::invalid_argument outside 0..sceneCount()-1. */
SceneFactors sceneFactorsAt(std::int64_t index);

/** Values behind the indices, as in 3D Shapes: hue i/10 in [0, 1), scale linspace(0.75, 1.25, 8), orientation
 *  linspace(-30, 30, 15) degrees. Throw std::invalid_argument naming the factor on an index out of range. */
double sceneHue(int index);
double sceneScale(int index);
double sceneOrientationDegrees(int index);

/**
 * Renders a room corner (floor, two walls) with one object on the floor, ray cast per pixel and lit by one point
 * light, exactly and deterministically from the factors (the traced geometry of each shape, scale, orientation and
 * resolution is kept, so later renders of it only mix the three hues; the bytes are the same either way). RGB,
 * resolution x resolution (16..256; 64 is the native size). Orientation turns the camera about the object, so the
 * walls' corner and the object's faces move. Every pixel's colour is its region's hue (fixed saturation and value)
 * times shading that depends only on the geometry factors, so a hue factor changes only the pixels of its region (edge
 * pixels are 3x3 supersampled and may blend regions). Throws std::invalid_argument naming the factor on an index out of
 * range, or on a bad resolution.
 */
ImageU8 renderScene(const SceneFactors &factors, int resolution = SceneResolution);
/** Same, into resolution*resolution*3 bytes at out (no allocation of the image: used to render whole datasets). */
void renderSceneInto(const SceneFactors &factors, int resolution, std::uint8_t *out);
/**
 * Renders scenes[i] into out + i * resolution*resolution*3 for every i, on `threads` threads (0 = one per core).
 * The bytes do not depend on the thread count. Checks every tuple before rendering any.
 */
void renderScenesInto(const std::vector<SceneFactors> &scenes, int resolution, std::uint8_t *out, int threads = 0);
/** Forgets the traced geometries (up to 64 MB; for benchmarks and callers done with scenes). Thread-safe. */
void clearSceneCache();
/** One channel of SceneRegion values: which region each pixel of renderScene shows (Mixed where it blends). */
ImageU8 sceneRegions(const SceneFactors &factors, int resolution = SceneResolution);

} // namespace untangle
