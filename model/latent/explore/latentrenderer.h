#pragma once
#include "common/latentmatrix.h"
#include "imageu8.h"
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace untangle {

/** What the user is told about an opened generator. */
struct GeneratorInfo {
    int latentSize = 0;
    int styleSize = 0;
    int resolution = 0;
    int channels = 0;
    bool hasStyleSpace = false;
    std::string description; // kind and file
    std::string fingerprint; // which weights (gan/weightsfingerprint.h); empty when unknown
};

/**
 * A generator opened for interactive use (std types only, so app/ and ui/ can hold one): styles for seeds, and
 * images for styles plus a shift. Not thread-safe: one renderer per worker thread.
 */
class LatentRenderer {
public:
    /** Opens anything loadGenerator() accepts. Throws DataError. */
    explicit LatentRenderer(const std::string &generatorPath);
    ~LatentRenderer();
    LatentRenderer(const LatentRenderer &) = delete;
    LatentRenderer &operator=(const LatentRenderer &) = delete;

    const GeneratorInfo &info() const;
    const std::string &path() const { return m_path; }
    /** One w per seed (z ~ N(0, I) from the seed alone), truncated by psi around a fixed mean. */
    Matrix styles(const std::vector<std::uint64_t> &seeds, double psi = 1.0);
    /** G(w_i + shift) for every row w_i; shift empty means no shift. Throws std::invalid_argument on bad sizes. */
    std::vector<ImageU8> render(const Matrix &styles, const std::vector<double> &shift = {});
    /** The same for one style and many shifts: G(w + shifts_j) (a traversal row, a before/after pair). */
    std::vector<ImageU8> renderShifts(const std::vector<double> &style, const Matrix &shifts);

private:
    struct State;
    std::unique_ptr<State> m_state;
    std::string m_path;
};

} // namespace untangle
