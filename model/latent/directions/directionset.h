#pragma once
#include "common/latentmatrix.h"
#include "confidenceinterval.h"
#include <string>
#include <vector>

namespace untangle {

/** Largest latent (style) size a direction file may declare: StyleGAN's 512 with room to spare; a bigger number is a
 *  damaged file, not a generator. */
constexpr int MaxStyleSize = 65536;
/** Largest sigma (the slider unit) a direction may carry: style coordinates are O(1) to O(100) in every generator we
 *  know; above this a traversal's shifts overflow float32 into inf. */
constexpr double MaxDirectionSigma = 1e6;
/** Largest magnitude of a direction's entry: a unit vector's are at most 1; a saved set may be unnormalised, not
 * absurd. */
constexpr double MaxDirectionValue = 1e3;
/** Largest image channel count and resolution a direction file may record for its generator: beyond any generator. */
constexpr int MaxGeneratorImageChannels = 4;
constexpr int MaxGeneratorImageResolution = 4096;
/** Length of a generator fingerprint as direction files record it (hex digits of a 64-bit hash). */
constexpr std::size_t GeneratorFingerprintDigits = 16;

/** Most latents an attribution may say it was measured on, and most factors it may name: beyond any world. */
constexpr int MaxAttributionSamples = 1000000;
constexpr int MaxAttributionFactors = 64;

/**
 * A set's direction x factor attribution as `label` measured it (factorrescoring.h: |mean change| of each factor at
 * +-1.5 sigma, read by the world's factor reader, on `samples` latents), stored with the set so the app names and
 * shows it without measuring again. It holds for the weights the set records (DirectionSet::generatorFingerprint)
 * only; samples == 0 means none is stored.
 */
struct StoredAttribution {
    int samples = 0;
    std::vector<std::string> factorNames; // the world's, "floor_hue", ...
    Matrix magnitude; // directions x factors
    std::vector<double> randomFloor; // per factor, what a random orthonormal direction moves of it
    ConfidenceInterval authorsDiagonal; // the authors' matched statistic with its 95% bootstrap interval
    ConfidenceInterval authorsOffDiagonal;
    bool empty() const { return samples == 0; }
};

/** One latent direction as the user sees it: a unit vector with a name, a display sign and a note. */
struct NamedDirection {
    std::string name; // "direction 3" until renamed
    std::string note; // free text ("moves x, some scale")
    int sign = 1; // +1 or -1: display convention only (docs/methods/sre.md, pitfall 3); the vector is never flipped
    double score = 0.0; // the method's own score (eigenvalue, std, ranking accuracy)
    double sigma = 0.0; // std of sampled w along it, the unit of slider ranges (docs/methods/sre.md §7.4); 0 = unknown
    std::vector<double> vector;
};

/**
 * K directions in a generator's style space plus where they came from, saved as JSON (directions.json). This is
 * what `directions`, `sre` and the GUI exchange; it is independent of torch.
 */
struct DirectionSet {
    std::string method; // "sefa", "ganspace", "voynov", "sefa+sre", ...
    std::string generator; // path of the generator they belong to
    int styleSize = 0;
    /** What that generator draws (channels x resolution x resolution); 0 when the file does not say (written before
     *  this was recorded). Directions of a 1-channel Sprites generator mean nothing on a 3-channel Scenes generator of
     *  the same latent size, and labelling them there names the other world's factors: requireGenerator refuses. */
    int generatorChannels = 0;
    int generatorResolution = 0;
    /** Which weights (gan/weightsfingerprint.h); empty when the file does not say. Another seed or checkpoint of the
     *  same kind and size draws differently along the same vector, so requireGenerator refuses a different one. */
    std::string generatorFingerprint;
    std::vector<NamedDirection> directions;
    /** Set by `label`; kept through renames and sign flips (the vectors are what it measured), dropped by anything that
     *  makes new vectors. */
    StoredAttribution attribution;
    /** Free-form provenance: seeds, sample counts, steps, learning rate, the initial set's file ... */
    std::vector<std::pair<std::string, std::string>> provenance;

    int count() const { return int(directions.size()); }
    /** K x styleSize, the raw vectors (signs not applied). */
    Matrix matrix() const;
    /** Builds a set with default names ("<method> 1" ...) from K x styleSize rows and per-row scores. */
    static DirectionSet fromMatrix(const std::string &method, const Matrix &rows, const std::vector<double> &scores);
    /** Throws std::invalid_argument: empty, a vector of the wrong size, non-finite values, sign not +-1, sigma outside
     *  0 (unknown) to MaxDirectionSigma; an attribution without a generator fingerprint, of another number of rows
     *  than directions or of columns than factor names, or with values that are negative or not finite. */
    void validate() const;
    /** The attribution part of validate(). */
    void validateAttribution() const;
    /** Throws DataError when these directions cannot be used with a generator of this style size (the files do not
     *  belong together: bad data, not a bad option). */
    void requireStyleSize(int generatorStyleSize) const;
    /** requireStyleSize, and, when the set records what its generator draws, a DataError naming both generators unless
     *  this one (`description`: its kind and file) draws the same channels and resolution; and, when both the set
     *  and this generator have a fingerprint, unless they are the same weights. */
    void requireGenerator(int generatorStyleSize, int channels, int resolution, const std::string &description,
        const std::string &fingerprint) const;
};

/** The directions file inside a run folder (`directions --out`, an SRE run). */
constexpr const char *DirectionsFileName = "directions.json";

/**
 * path itself when it is not a folder; path/directions.json when it is one (so a run folder can be given wherever a
 * directions file is asked for, as --generator takes a GAN run folder). Throws DataError when the folder has none.
 */
std::string directionsFileOf(const std::string &path);

/** Atomic JSON write. Throws DataError. */
void saveDirectionSet(const DirectionSet &set, const std::string &path);
/**
 * Reads a directions file (or a run folder's, see directionsFileOf). Throws DataError naming the file and what is
 * wrong (not JSON, missing field, ragged vectors, styleSize not a whole number in 1..MaxStyleSize, sigma present but
 * not in (0, MaxDirectionSigma]...). Size and nesting are bounded (jsonlimits.h) before parsing.
 */
DirectionSet loadDirectionSet(const std::string &path);

} // namespace untangle
