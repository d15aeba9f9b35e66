#include "dataerror.h"
#include "dataerrorof.h"
#include "lffformat.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

using namespace untangle;
using untangle::test::dataErrorOf;

namespace {

std::string readBytes(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void writeBytes(const std::string &path, const std::string &bytes)
{
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

/** A hand-made .npy file: any version, any dictionary text, any payload; header padded to 64 like numpy. */
std::string npyBytes(int major, const std::string &dict, const std::string &payload)
{
    const std::size_t prefix = major == 1 ? 10 : 12;
    std::string header = dict;
    while ((prefix + header.size() + 1) % 64 != 0)
        header += ' ';
    header += '\n';
    std::string out = "\x93NUMPY";
    out += char(major);
    out += char(0);
    for (std::size_t i = 0; i < prefix - 8; ++i)
        out += char((header.size() >> (8 * i)) & 0xff);
    return out + header + payload;
}

std::string int64Bytes(const std::vector<std::int64_t> &values)
{
    std::string out;
    for (std::int64_t v : values)
        for (int b = 0; b < 8; ++b)
            out += char((std::uint64_t(v) >> (8 * b)) & 0xff);
    return out;
}

LabeledImages makeSplit(int count, int salt, std::vector<std::int64_t> targets, std::vector<std::int64_t> biases)
{
    LabeledImages images;
    images.allocate(count, 4, 6, 3); // non-square, so a swapped height and width would show
    for (std::size_t i = 0; i < images.pixels.size(); ++i)
        images.pixels[i] = std::uint8_t((i * 37 + std::size_t(salt) * 11) & 0xff);
    images.targets = std::move(targets);
    images.biases = std::move(biases);
    return images;
}

BiasedDataset makeDataset()
{
    BiasedDataset dataset;
    dataset.name = "synthetic";
    dataset.train = makeSplit(5, 1, {0, 1, 2, 0, 1}, {3, 1, 0, 2, 1});
    dataset.valid = makeSplit(3, 2, {2, 1, 0}, {0, 1, 2});
    dataset.test = makeSplit(4, 3, {1, 0, 2, 2}, {1, 0, 3, 2});
    return dataset;
}

bool sameSplit(const LabeledImages &a, const LabeledImages &b)
{
    return a.count == b.count && a.height == b.height && a.width == b.width && a.channels == b.channels
        && a.pixels == b.pixels && a.targets == b.targets && a.biases == b.biases;
}

} // namespace

class TstLffFormat : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_temp;
    int m_next = 0;

    /** A fresh folder holding an export of makeDataset(). */
    std::string exported()
    {
        const std::string dir = (m_temp.path() + "/export" + QString::number(m_next++)).toStdString();
        exportLff(makeDataset(), dir);
        return dir;
    }

    void expectError(const std::string &dir, const std::string &path, const QString &problem)
    {
        const QString message = dataErrorOf([&] { importLff(dir); });
        QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
        QVERIFY2(message.contains(problem, Qt::CaseInsensitive), qPrintable(message));
    }

private slots:
    void initTestCase() { QVERIFY(m_temp.isValid()); }

    void roundTripIsByteIdentical()
    {
        const BiasedDataset original = makeDataset();
        const std::string dir = exported();
        const BiasedDataset back = importLff(dir);
        QVERIFY(sameSplit(back.train, original.train));
        QVERIFY(sameSplit(back.valid, original.valid));
        QVERIFY(sameSplit(back.test, original.test));
        QCOMPARE(back.name, std::string("lff"));
        QVERIFY(back.description.find(dir) != std::string::npos);
        QCOMPARE(back.targetNames, (std::vector<std::string> {"0", "1", "2"}));
        QCOMPARE(back.biasNames, (std::vector<std::string> {"0", "1", "2", "3"}));
        QVERIFY(back.warnings.empty());

        // Exporting what was imported gives the same files, byte for byte.
        const std::string again = (m_temp.path() + "/again").toStdString();
        exportLff(back, again);
        for (const char *split : {"train", "valid", "test"})
            for (const char *file : {"images.npy", "attrs.npy"})
                QVERIFY(readBytes(dir + "/" + split + "/" + file) == readBytes(again + "/" + split + "/" + file));
    }

    void headerIsNumpyVersion1Aligned()
    {
        const std::string dir = exported();
        const BiasedDataset original = makeDataset();
        struct Expect {
            const char *file;
            const char *descr;
            const char *shape;
            std::string data;
        };
        const Expect expects[] = {
            {"images.npy", "'descr': '|u1'", "'shape': (5, 4, 6, 3)",
                std::string(original.train.pixels.begin(), original.train.pixels.end())},
            {"attrs.npy", "'descr': '<i8'", "'shape': (5, 2)", int64Bytes({0, 3, 1, 1, 2, 0, 0, 2, 1, 1})},
        };
        for (const Expect &expect : expects) {
            const std::string bytes = readBytes(dir + "/train/" + expect.file);
            QVERIFY(bytes.size() > 10);
            QCOMPARE(bytes.substr(0, 6), std::string("\x93NUMPY"));
            QCOMPARE(int(bytes[6]), 1);
            QCOMPARE(int(bytes[7]), 0);
            const std::size_t headerLength = std::uint8_t(bytes[8]) | (std::size_t(std::uint8_t(bytes[9])) << 8);
            const std::size_t offset = 10 + headerLength;
            QCOMPARE(offset % 64, std::size_t(0));
            const std::string header = bytes.substr(10, headerLength);
            QVERIFY2(header.rfind("{", 0) == 0, header.c_str());
            QVERIFY2(header.find(expect.descr) != std::string::npos, header.c_str());
            QVERIFY2(header.find("'fortran_order': False") != std::string::npos, header.c_str());
            QVERIFY2(header.find(expect.shape) != std::string::npos, header.c_str());
            QCOMPARE(header.back(), '\n');
            QVERIFY(header.find_first_not_of(' ', header.find('}') + 1) == header.size() - 1); // spaces, then '\n'
            QVERIFY(bytes.substr(offset) == expect.data);
        }
    }

    void readsVersion2Header()
    {
        const std::string dir = exported();
        const BiasedDataset original = makeDataset();
        const std::string pixels(original.train.pixels.begin(), original.train.pixels.end());
        writeBytes(dir + "/train/images.npy",
            npyBytes(2, "{'descr': '|u1', 'fortran_order': False, 'shape': (5, 4, 6, 3), }", pixels));
        QVERIFY(sameSplit(importLff(dir).train, original.train));
    }

    void missingValidWarns()
    {
        const std::string dir = exported();
        std::filesystem::remove_all(dir + "/valid");
        const BiasedDataset back = importLff(dir);
        QCOMPARE(back.valid.count, 0);
        QCOMPARE(back.test.count, 4);
        QCOMPARE(back.warnings.size(), std::size_t(1));
        QVERIFY(back.warnings[0].find(dir + "/valid") != std::string::npos);
    }

    void missingTestUsesValidLikeLff()
    {
        const std::string dir = exported();
        std::filesystem::remove_all(dir + "/test");
        const BiasedDataset back = importLff(dir);
        QVERIFY(sameSplit(back.test, makeDataset().valid));
        QCOMPARE(back.valid.count, 0);
        QCOMPARE(back.warnings.size(), std::size_t(1));
    }

    void wrongMagic()
    {
        const std::string dir = exported();
        const std::string path = dir + "/train/images.npy";
        std::string bytes = readBytes(path);
        bytes[1] = 'X';
        writeBytes(path, bytes);
        expectError(dir, path, "magic");
    }

    void truncatedData()
    {
        const std::string dir = exported();
        const std::string path = dir + "/test/images.npy";
        const std::string bytes = readBytes(path);
        writeBytes(path, bytes.substr(0, bytes.size() - 7));
        expectError(dir, path, "truncated");
    }

    void trailingBytes()
    {
        const std::string dir = exported();
        const std::string path = dir + "/valid/attrs.npy";
        writeBytes(path, readBytes(path) + "extra");
        expectError(dir, path, "length mismatch");
    }

    void fortranOrderRejected()
    {
        const std::string dir = exported();
        const std::string path = dir + "/train/images.npy";
        writeBytes(path,
            npyBytes(1, "{'descr': '|u1', 'fortran_order': True, 'shape': (5, 4, 6, 3), }", std::string(360, '\0')));
        expectError(dir, path, "fortran_order");
    }

    void wrongDtype()
    {
        const std::string dir = exported();
        const std::string path = dir + "/train/attrs.npy";
        writeBytes(
            path, npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (5, 2), }", std::string(40, '\0')));
        expectError(dir, path, "'<f4'");
    }

    void imagesAndAttrsDisagree()
    {
        const std::string dir = exported();
        const std::string path = dir + "/train/attrs.npy";
        writeBytes(path,
            npyBytes(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (4, 2), }",
                int64Bytes({0, 0, 1, 1, 0, 1, 1, 0})));
        expectError(dir, path, "4 attribute rows for 5 images");
    }

    void absurdShapeDoesNotAllocate()
    {
        const std::string dir = exported();
        const std::string path = dir + "/train/images.npy";
        // Each dimension beyond int, and (within int) a product of hundreds of GB: both must fail on the header.
        writeBytes(path,
            npyBytes(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (100000000000, 28, 28, 3), }",
                std::string(64, '\0')));
        expectError(dir, path, "too large");
        writeBytes(path,
            npyBytes(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2000000000, 28, 28, 3), }",
                std::string(64, '\0')));
        expectError(dir, path, "GiB");
    }

    void wrongRank()
    {
        const std::string dir = exported();
        const std::string path = dir + "/train/images.npy";
        writeBytes(path,
            npyBytes(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (5, 24, 3), }", std::string(360, '\0')));
        expectError(dir, path, "(N, H, W, 3)");
    }

    void brokenDictionary()
    {
        const std::string dir = exported();
        const std::string path = dir + "/train/images.npy";
        writeBytes(path, npyBytes(1, "{'descr': '|u1', 'fortran_order': False}", std::string(360, '\0')));
        expectError(dir, path, "shape");
        writeBytes(path,
            npyBytes(1, "{'descr': '|u1', 'fortran_order': Fals, 'shape': (5, 4, 6, 3), }", std::string(360, '\0')));
        expectError(dir, path, "True or False");
    }

    void unsupportedVersion()
    {
        const std::string dir = exported();
        const std::string path = dir + "/train/images.npy";
        std::string bytes = readBytes(path);
        bytes[6] = 4;
        writeBytes(path, bytes);
        expectError(dir, path, "version 4.0");
    }

    void negativeLabel()
    {
        const std::string dir = exported();
        const std::string path = dir + "/test/attrs.npy";
        writeBytes(path,
            npyBytes(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (4, 2), }",
                int64Bytes({0, 0, 1, -1, 0, 1, 1, 0})));
        expectError(dir, path, "row 1");
    }

    void missingTrainFolder()
    {
        const std::string dir = exported();
        std::filesystem::remove_all(dir + "/train");
        expectError(dir, dir + "/train", "not found");
    }

    void missingFileInSplit()
    {
        const std::string dir = exported();
        std::filesystem::remove(dir + "/valid/attrs.npy");
        expectError(dir, dir + "/valid/attrs.npy", "not found");
    }
};

QTEST_GUILESS_MAIN(TstLffFormat)
#include "tst_lffformat.moc"
