#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace untangle {

/**
 * Largest image decoded from a user's file: 64 megapixels (8192 x 8192, above any camera's 48-50 MP), about 200 MB
 * once decoded as 8-bit RGB. A PNG "bomb" of a few hundred KB can claim billions of pixels; OpenCV's own limit is
 * 2^30 pixels (3 GB decoded), far too many for a desktop tool that decodes several files at once.
 */
constexpr std::uint64_t MaxImagePixels = std::uint64_t(1) << 26;

/** What an image file's header says, read without decoding any pixel. */
struct ImageHeader {
    std::string format; // "PNG", "JPEG", "BMP", "TIFF", "WebP", "PNM"
    std::int64_t width = 0;
    std::int64_t height = 0;
};

/**
 * The format and dimensions from the first bytes of an image file (PNG IHDR, JPEG SOF, BMP DIB header, TIFF's first
 * IFD, WebP VP8/VP8L/VP8X, PNM); nothing when the file is none of these or its header is damaged.
 */
std::optional<ImageHeader> readImageHeader(const std::string &path);

/**
 * The header of an image that may be decoded: one of the formats above, with both sides positive and at most
 * MaxImagePixels pixels. Throws DataError("<what> <path>: ...") stating the limit otherwise, before any decoder
 * allocates what a forged header claims. Formats this cannot read the size of (JPEG 2000, OpenEXR, HDR, Sun
 * raster) are refused, since their size cannot be bounded before decoding.
 */
ImageHeader checkDecodableImage(const std::string &path, const std::string &what = "image");

} // namespace untangle
