#pragma once
#include "latentmatrix.h"
#include <string>
#include <vector>

namespace untangle {

/** One latent direction as the user sees it: a unit vector with a name, a display sign and a note. */
struct NamedDirection {
    std::string name; // "direction 3" until renamed
    std::string note; // free text ("moves x, some scale")
    int sign = 1; // +1 or -1: display convention only (docs/methods/sre.md, pitfall 3); the vector is never flipped
    double score = 0.0; // the method's own score (eigenvalue, std, ranking accuracy)
    double sigma = 0.0; // std of sampled w along it, the natural unit for slider ranges (docs/methods/sre.md §7.4)
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
    std::vector<NamedDirection> directions;
    /** Free-form provenance: seeds, sample counts, steps, learning rate, the initial set's file ... */
    std::vector<std::pair<std::string, std::string>> provenance;

    int count() const { return int(directions.size()); }
    /** K x styleSize, the raw vectors (signs not applied). */
    Matrix matrix() const;
    /** Builds a set with default names ("<method> 1" ...) from K x styleSize rows and per-row scores. */
    static DirectionSet fromMatrix(const std::string &method, const Matrix &rows, const std::vector<double> &scores);
    /** Throws std::invalid_argument: empty, a vector of the wrong size, non-finite values, sign not +-1. */
    void validate() const;
    /** Throws std::invalid_argument when these directions cannot be used with a generator of this style size. */
    void requireStyleSize(int generatorStyleSize) const;
};

/** Atomic JSON write. Throws DataError. */
void saveDirectionSet(const DirectionSet &set, const std::string &path);
/** Throws DataError naming the file and what is wrong (not JSON, missing field, ragged vectors...). */
DirectionSet loadDirectionSet(const std::string &path);

} // namespace untangle
