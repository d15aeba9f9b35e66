// IDX reader: good plain and gzip files round-trip; every kind of bad file is a DataError naming the file.
#include "dataerror.h"
#include "idxfile.h"

#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <fstream>

using namespace untangle;

namespace {

std::string bytesOf(const std::vector<int> &header, const std::vector<std::uint8_t> &payload)
{
    std::string out;
    for (int h : header) {
        out.push_back(char((h >> 24) & 0xff));
        out.push_back(char((h >> 16) & 0xff));
        out.push_back(char((h >> 8) & 0xff));
        out.push_back(char(h & 0xff));
    }
    out.append(reinterpret_cast<const char *>(payload.data()), payload.size());
    return out;
}

void writeRaw(const std::string &path, const std::string &bytes)
{
    std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

void writeGzip(const std::string &path, const std::string &bytes)
{
    gzFile file = gzopen(path.c_str(), "wb");
    gzwrite(file, bytes.data(), unsigned(bytes.size()));
    gzclose(file);
}

std::vector<std::uint8_t> pattern(std::size_t n)
{
    std::vector<std::uint8_t> data(n);
    for (std::size_t i = 0; i < n; ++i)
        data[i] = std::uint8_t((i * 7 + 3) % 256);
    return data;
}

constexpr int MagicUbyteRank3 = 0x00000803;

} // namespace

class TstIdxFile : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string path(const char *name) const { return m_dir.filePath(name).toStdString(); }

    /** The reader must throw DataError, and the message must name the file and contain `problem`. */
    void expectError(const std::string &file, const QString &problem)
    {
        try {
            readIdx(file);
            QFAIL(qPrintable("no error for " + QString::fromStdString(file)));
        } catch (const DataError &error) {
            const QString message = QString::fromUtf8(error.what());
            QVERIFY2(message.contains(QString::fromStdString(file)), qPrintable(message));
            QVERIFY2(message.contains(problem, Qt::CaseInsensitive), qPrintable(message));
        }
    }

private slots:
    void plainRoundTrip()
    {
        const auto data = pattern(5 * 4 * 3);
        writeIdx(path("plain.idx"), {5, 4, 3}, data);
        const IdxArray array = readIdx(path("plain.idx"));
        QCOMPARE(array.dims, (std::vector<int> {5, 4, 3}));
        QVERIFY(array.data == data);
    }

    void gzipRoundTrip()
    {
        const auto data = pattern(100 * 28 * 28);
        writeGzip(path("good.gz"), bytesOf({MagicUbyteRank3, 100, 28, 28}, data));
        const IdxArray array = readIdx(path("good.gz"));
        QCOMPARE(array.dims, (std::vector<int> {100, 28, 28}));
        QVERIFY(array.data == data);
    }

    void imagesWithLabels()
    {
        writeIdx(path("img"), {3, 2, 2}, pattern(12));
        writeIdx(path("lab"), {3}, {7, 8, 9});
        const GreyImages images = readIdxImages(path("img"), path("lab"));
        QCOMPARE(images.count, 3);
        QCOMPARE(images.height, 2);
        QCOMPARE(images.labels, (std::vector<std::int64_t> {7, 8, 9}));

        writeIdx(path("lab2"), {2}, {1, 2});
        try {
            readIdxImages(path("img"), path("lab2"));
            QFAIL("count mismatch accepted");
        } catch (const DataError &error) {
            QVERIFY(QString(error.what()).contains("2 labels for 3 images"));
        }
    }

    void missingFile() { expectError(path("nope"), "not found"); }

    void wrongMagic()
    {
        writeRaw(path("magic"), bytesOf({0x12340803, 1}, {0}));
        expectError(path("magic"), "bad magic");
    }

    void unsupportedType()
    {
        writeRaw(path("float"), bytesOf({0x00000D01, 1}, {0, 0, 0, 0}));
        expectError(path("float"), "element type");
    }

    void badRank()
    {
        writeRaw(path("rank0"), bytesOf({0x00000800}, {}));
        expectError(path("rank0"), "rank 0");
        writeRaw(path("rank9"), bytesOf({0x00000809}, {}));
        expectError(path("rank9"), "rank 9");
    }

    void truncatedPlain()
    {
        writeRaw(path("short"), bytesOf({MagicUbyteRank3, 10, 28, 28}, pattern(10 * 28 * 28 - 5)));
        expectError(path("short"), "truncated");
        writeRaw(path("header-only"), bytesOf({MagicUbyteRank3, 10}, {}));
        expectError(path("header-only"), "truncated");
    }

    void trailingBytes()
    {
        writeRaw(path("long"), bytesOf({0x00000801, 4}, pattern(9)));
        expectError(path("long"), "length mismatch");
    }

    void absurdDimensionsDoNotAllocate()
    {
        // Claims 4e9 x 4e9 x 28 bytes in a 20-byte file: must fail on the header, not in the allocator.
        writeRaw(path("huge"), bytesOf({MagicUbyteRank3, int(0x7fffffff), int(0x7fffffff), 28}, {}));
        expectError(path("huge"), "corrupt");
        writeRaw(path("zero"), bytesOf({MagicUbyteRank3, 0, 28, 28}, {}));
        expectError(path("zero"), "invalid dimension");
        writeGzip(path("huge.gz"), bytesOf({MagicUbyteRank3, 60000, 2800, 2800}, pattern(64)));
        expectError(path("huge.gz"), "GiB");
    }

    void truncatedGzipContent()
    {
        writeGzip(path("short.gz"), bytesOf({MagicUbyteRank3, 10, 28, 28}, pattern(100)));
        expectError(path("short.gz"), "length mismatch");
    }

    void corruptGzip()
    {
        std::string good;
        {
            writeGzip(path("tmp.gz"), bytesOf({MagicUbyteRank3, 50, 28, 28}, pattern(50 * 28 * 28)));
            std::ifstream in(path("tmp.gz"), std::ios::binary);
            good.assign(std::istreambuf_iterator<char>(in), {});
        }
        std::string corrupt = good;
        for (std::size_t i = 12; i < corrupt.size() - 8; i += 3)
            corrupt[i] = char(corrupt[i] ^ 0x5a); // keep the gzip header and trailer, wreck the deflate stream
        writeRaw(path("corrupt.gz"), corrupt);
        expectError(path("corrupt.gz"), "gzip");

        writeRaw(path("cut.gz"), good.substr(0, good.size() / 2));
        expectError(path("cut.gz"), "");
    }

    void writeRejectsWrongSize()
    {
        QVERIFY_THROWS_EXCEPTION(DataError, writeIdx(path("bad-write"), {2, 2}, {1, 2, 3}));
    }
};

QTEST_GUILESS_MAIN(TstIdxFile)
#include "tst_idxfile.moc"
