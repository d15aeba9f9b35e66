#include "imageheader.h"

#include "dataerror.h"

#include <array>
#include <cctype>
#include <cstdlib>
#include <fstream>

namespace untangle {
namespace {

constexpr std::size_t HeadBytes = 64; // enough for every fixed-position header below (WebP VP8X needs 30)
constexpr int MaxJpegSegments = 4096; // APPn/COM segments before the frame header; real files have a handful

std::uint32_t be16(const unsigned char *p)
{
    return (std::uint32_t(p[0]) << 8) | p[1];
}

std::uint32_t be32(const unsigned char *p)
{
    return (be16(p) << 16) | be16(p + 2);
}

std::uint32_t le16(const unsigned char *p)
{
    return (std::uint32_t(p[1]) << 8) | p[0];
}

std::uint32_t le32(const unsigned char *p)
{
    return (le16(p + 2) << 16) | le16(p);
}

std::uint32_t le24(const unsigned char *p)
{
    return (std::uint32_t(p[2]) << 16) | le16(p);
}

bool readAt(std::ifstream &in, std::uint64_t offset, unsigned char *dst, std::size_t n)
{
    in.clear();
    in.seekg(std::streamoff(offset));
    in.read(reinterpret_cast<char *>(dst), std::streamsize(n));
    return std::size_t(in.gcount()) == n;
}

std::optional<ImageHeader> jpegHeader(std::ifstream &in)
{
    // Walk the marker segments after SOI (FFD8) to the first start-of-frame, which holds the size.
    std::uint64_t offset = 2;
    for (int segment = 0; segment < MaxJpegSegments; ++segment) {
        unsigned char marker[2];
        if (!readAt(in, offset, marker, 2) || marker[0] != 0xFF)
            return std::nullopt;
        if (marker[1] == 0xFF) { // fill byte before a marker
            ++offset;
            continue;
        }
        const unsigned char code = marker[1];
        offset += 2;
        if (code == 0x01 || (code >= 0xD0 && code <= 0xD7)) // markers without a length
            continue;
        if (code == 0xD9 || code == 0xDA) // end of image or start of scan before any frame header
            return std::nullopt;
        unsigned char length[2];
        if (!readAt(in, offset, length, 2) || be16(length) < 2)
            return std::nullopt;
        const bool frame = code >= 0xC0 && code <= 0xCF && code != 0xC4 && code != 0xC8 && code != 0xCC;
        if (frame) {
            unsigned char sof[5]; // precision, height, width
            if (!readAt(in, offset + 2, sof, 5))
                return std::nullopt;
            return ImageHeader {"JPEG", be16(sof + 3), be16(sof + 1)};
        }
        offset += be16(length);
    }
    return std::nullopt;
}

std::optional<ImageHeader> tiffHeader(std::ifstream &in, bool little)
{
    auto u16 = [little](const unsigned char *p) { return little ? le16(p) : be16(p); };
    auto u32 = [little](const unsigned char *p) { return little ? le32(p) : be32(p); };
    unsigned char head[8];
    if (!readAt(in, 0, head, 8) || u16(head + 2) != 42) // 43 is BigTIFF: not read here
        return std::nullopt;
    const std::uint64_t ifd = u32(head + 4);
    unsigned char count[2];
    if (!readAt(in, ifd, count, 2))
        return std::nullopt;
    std::int64_t width = 0, height = 0;
    for (std::uint32_t i = 0; i < u16(count); ++i) {
        unsigned char entry[12]; // tag, type, count, value
        if (!readAt(in, ifd + 2 + 12 * std::uint64_t(i), entry, 12))
            return std::nullopt;
        const std::uint32_t tag = u16(entry), type = u16(entry + 2);
        if (tag != 256 && tag != 257)
            continue;
        const std::int64_t value = type == 3 ? u16(entry + 8) : type == 4 ? u32(entry + 8) : -1; // SHORT or LONG
        if (value < 0)
            return std::nullopt;
        (tag == 256 ? width : height) = value;
    }
    if (width == 0 || height == 0)
        return std::nullopt;
    return ImageHeader {"TIFF", width, height};
}

std::optional<ImageHeader> webpHeader(const unsigned char *h, std::size_t n)
{
    if (n < 30)
        return std::nullopt;
    const std::string chunk(reinterpret_cast<const char *>(h + 12), 4);
    if (chunk == "VP8X")
        return ImageHeader {"WebP", std::int64_t(le24(h + 24)) + 1, std::int64_t(le24(h + 27)) + 1};
    if (chunk == "VP8L" && h[20] == 0x2F) {
        const std::uint32_t bits = le32(h + 21);
        return ImageHeader {"WebP", std::int64_t(bits & 0x3FFF) + 1, std::int64_t((bits >> 14) & 0x3FFF) + 1};
    }
    if (chunk == "VP8 " && h[23] == 0x9D && h[24] == 0x01 && h[25] == 0x2A)
        return ImageHeader {"WebP", std::int64_t(le16(h + 26) & 0x3FFF), std::int64_t(le16(h + 28) & 0x3FFF)};
    return std::nullopt;
}

std::optional<ImageHeader> pnmHeader(const unsigned char *h, std::size_t n)
{
    // "P<1-6>" then width and height as decimal numbers, separated by whitespace and # comments.
    std::size_t pos = 2;
    std::array<std::int64_t, 2> sides {};
    for (auto &side : sides) {
        while (pos < n && (std::isspace(h[pos]) || h[pos] == '#')) {
            if (h[pos] == '#')
                while (pos < n && h[pos] != '\n')
                    ++pos;
            else
                ++pos;
        }
        if (pos >= n || !std::isdigit(h[pos]))
            return std::nullopt;
        for (int digits = 0; pos < n && std::isdigit(h[pos]); ++pos, ++digits) {
            if (digits == 10) // more than 10 digits is no image side
                return std::nullopt;
            side = side * 10 + (h[pos] - '0');
        }
        if (pos >= n) // the number may go on past what was read
            return std::nullopt;
    }
    return ImageHeader {"PNM", sides[0], sides[1]};
}

std::string withCommas(std::uint64_t value)
{
    std::string digits = std::to_string(value), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

} // namespace

std::optional<ImageHeader> readImageHeader(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::array<unsigned char, HeadBytes> head {};
    in.read(reinterpret_cast<char *>(head.data()), std::streamsize(head.size()));
    const auto n = std::size_t(in.gcount());
    const unsigned char *h = head.data();
    if (n >= 24 && be32(h) == 0x89504E47 && be32(h + 4) == 0x0D0A1A0A && std::string(h + 12, h + 16) == "IHDR")
        return ImageHeader {"PNG", be32(h + 16), be32(h + 20)};
    if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF)
        return jpegHeader(in);
    if (n >= 26 && h[0] == 'B' && h[1] == 'M') {
        if (le32(h + 14) == 12) // OS/2 BITMAPCOREHEADER: 16-bit sides
            return ImageHeader {"BMP", le16(h + 18), le16(h + 20)};
        const auto width = std::int32_t(le32(h + 18)), height = std::int32_t(le32(h + 22));
        return ImageHeader {"BMP", std::abs(std::int64_t(width)), std::abs(std::int64_t(height))}; // < 0: top-down
    }
    if (n >= 8 && ((h[0] == 'I' && h[1] == 'I') || (h[0] == 'M' && h[1] == 'M')))
        return tiffHeader(in, h[0] == 'I');
    if (n >= 12 && std::string(h, h + 4) == "RIFF" && std::string(h + 8, h + 12) == "WEBP")
        return webpHeader(h, n);
    if (n >= 3 && h[0] == 'P' && h[1] >= '1' && h[1] <= '6')
        return pnmHeader(h, n);
    return std::nullopt;
}

ImageHeader checkDecodableImage(const std::string &path, const std::string &what)
{
    const auto header = readImageHeader(path);
    if (!header)
        throw DataError(what + " " + path
            + ": cannot be read as an image (not a PNG, JPEG, BMP, TIFF, WebP or PNM file with a readable header; only "
              "these are decoded, so that their size can be checked first)");
    const std::uint64_t pixels = std::uint64_t(header->width) * std::uint64_t(header->height);
    if (header->width < 1 || header->height < 1)
        throw DataError(what + " " + path + ": the " + header->format + " header says " + std::to_string(header->width)
            + "x" + std::to_string(header->height) + " pixels");
    if (pixels > MaxImagePixels)
        throw DataError(what + " " + path + ": " + std::to_string(header->width) + "x" + std::to_string(header->height)
            + " pixels (" + header->format + "), above the limit of " + withCommas(MaxImagePixels)
            + " pixels (8192x8192) decoded from one file");
    return *header;
}

} // namespace untangle
