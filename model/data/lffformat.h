#pragma once

#include "biaseddataset.h"

#include <string>

namespace untangle {

/**
 * The LfF / DeNetDM research format: <dir>/<split>/images.npy (uint8, N x H x W x 3) and
 * <dir>/<split>/attrs.npy (int64 little-endian, N x 2 = [target, bias]) for split in train, valid, test.
 * Files are written atomically. Throws DataError (naming the file) on any I/O problem.
 */
void exportLff(const BiasedDataset &dataset, const std::string &dir);

/**
 * Reads that format back. Validates the .npy magic, version, header dict (descr, fortran_order, shape), the
 * dtype, that N matches between images and attrs, and the file length, before allocating. Label names are
 * numbered from the largest label found. Throws DataError naming the file and the problem.
 */
BiasedDataset importLff(const std::string &dir);

} // namespace untangle
