#pragma once
// model-internal: generators on disk.
#include "gan/stylegenerator.h"
#include <string>

namespace untangle {

/** File name of the built-in generator inside a GAN run folder (the EMA weights of the selected checkpoint). */
constexpr const char *GeneratorFileName = "generator.pt";

/** Atomic write of a built-in generator (config + weights) to a single file. Throws DataError. */
void saveStyleGenerator(const StyleNetwork &network, const std::string &path);

/** Reads a file written by saveStyleGenerator. Throws DataError naming what is wrong (truncated, foreign...). */
StyleNetwork loadStyleNetwork(const std::string &path);

/**
 * Opens any generator the user can point at: a GAN run folder (its generator.pt), a built-in generator file, or a
 * TorchScript module (see scriptedgenerator.h; latentSizeHint is used when the module does not say). Throws
 * DataError with a message that names the file and what is wrong.
 */
GeneratorPtr loadGenerator(const std::string &path, int latentSizeHint = 0);

} // namespace untangle
