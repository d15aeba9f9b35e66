#pragma once
// The procedural worlds whose images come with exact ground-truth factors (Sprites, Scenes), behind one description:
// factor readers, rescoring, the disentanglement metrics and the renderer sanity check work on any of them.
// Std types only.
#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

class SeededRandom;

/** How a factor's classes relate, which decides how a change of it is measured (factorrescoring.h). */
enum class FactorKind {
    Ordinal, // classes on a line (scale, position, the scene's orientation): change = shift of the expected index
    Categorical, // no order (shape): change = total-variation distance between mean class distributions
    Circular, // classes around a circle (hues; the sprite's angle): change = shift of the circular mean
};

/**
 * Whether two values of a factor of `size` classes describe the same attribute, as retrieval judges a result against
 * its query: Categorical only when equal; Ordinal within one step (|a - b| <= 1); Circular within one step around the
 * circle, so 0 and size - 1 are neighbours (min(|a - b|, size - |a - b|) <= 1).
 */
bool factorValuesRelevant(FactorKind kind, int size, int a, int b);

struct WorldFactor {
    std::string name; // as in the dataset's files: "floor_hue", "shape", ...
    int size = 0;
    FactorKind kind = FactorKind::Ordinal;
};

enum class WorldKind { Sprites, Scenes };

/** A factor's name as people read it: "floor_hue" -> "floor hue" (the files keep the key). */
std::string factorDisplayName(std::string name);

class FactorWorld {
public:
    static const FactorWorld &of(WorldKind kind);
    /** "sprites" or "scenes"; nullptr for any other key. */
    static const FactorWorld *byKey(const std::string &key);
    /** The world whose renderer draws images of this kind: 1 channel at 32 or 64 pixels = Sprites, 3 channels at
     *  16..256 = Scenes; nullptr otherwise. */
    static const FactorWorld *forImages(int channels, int resolution);

    WorldKind kind = WorldKind::Sprites;
    std::string key; // "sprites", "scenes"
    std::string title; // "Sprites", "Scenes"
    int channels = 1;
    std::vector<WorldFactor> factors;

    int factorCount() const { return int(factors.size()); }
    std::vector<int> sizes() const;
    std::vector<std::string> names() const;
    std::vector<FactorKind> kinds() const;
    bool rendersAt(int resolution) const;
    /** Throws std::invalid_argument naming the resolutions the renderer draws. */
    void requireResolution(int resolution) const;
    /** The factor a name spells; throws std::invalid_argument naming the unknown name and the known ones. */
    int factorIndex(const std::string &name) const;
    /** Appends one tuple of uniformly drawn factor indices to out. */
    void appendRandomTuple(SeededRandom &random, std::vector<int> &out) const;
    /** count tuples of uniformly drawn indices, row-major (count x factorCount). */
    std::vector<int> randomTuples(int count, SeededRandom &random) const;
    /**
     * Renders tuples (count x factorCount, row-major) into out: count images of resolution^2 x channels bytes each,
     * pixel-major (HWC). Deterministic; checks every tuple before drawing (std::invalid_argument naming the factor).
     */
    void render(const std::vector<int> &tuples, int resolution, std::uint8_t *out) const;
    std::size_t imageBytes(int resolution) const { return std::size_t(resolution) * resolution * channels; }
};

} // namespace untangle
