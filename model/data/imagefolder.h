#pragma once

#include "biaseddataset.h"
#include "progress.h"

#include <string>

namespace untangle {

/**
 * A bring-your-own dataset laid out as <root>/<split>/(any subfolders)/<name>_<target>_<bias>.<ext> (the BFFHQ naming),
 * split in train, valid, test; ext PNG, JPEG, BMP, TIFF, WebP or PNM (imageheader.h: their size is read before
 * decoding). Images are decoded with OpenCV, converted to RGB and resized to imageSize x imageSize (INTER_AREA). Files
 * that cannot be read, whose header claims more than MaxImagePixels, or whose name does not end in _<label>_<label>
 * with labels 0..MaxNumberedLabel, are skipped and listed with their paths and the reason in dataset.warnings. Throws
 * DataError when root or its train split is missing or no image at all could be read. Label counts are 1 + the largest
 * label seen.
 */
BiasedDataset loadImageFolder(const std::string &root, int imageSize, const ProgressFn &progress = {});

} // namespace untangle
