#pragma once
// Std-only helpers for retrieval tests.
#include <cstdint>
#include <string>

namespace untangle::selfcheck {

/** Writes a randomly initialised light-CNN score network (saveScoreFile) with K outputs; hidden is the MLP width
 *  (tests use a narrow one, benchmarks the real 256); directionsPath names the set its outputs belong to. */
void writeRandomScoreNetwork(const std::string &path, int channels, int resolution, int outputs, std::uint64_t seed,
    const std::string &kind = "sre-estimator", int hidden = 32, const std::string &directionsPath = "");

} // namespace untangle::selfcheck
