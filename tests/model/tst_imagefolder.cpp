#include "dataerror.h"
#include "dataerrorof.h"
#include "imagefolder.h"

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

using namespace untangle;
using untangle::test::dataErrorOf;

namespace {

void writeBytes(const std::string &path, const std::string &bytes)
{
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

/** A width x height PNG filled with one colour: 3 values = RGB, 1 value = grey. Written by OpenCV (BGR order). */
void writePng(const std::string &path, int width, int height, const std::vector<std::uint8_t> &colour)
{
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    const cv::Mat image = colour.size() == 3
        ? cv::Mat(height, width, CV_8UC3, cv::Scalar(colour[2], colour[1], colour[0]))
        : cv::Mat(height, width, CV_8UC1, cv::Scalar(colour[0]));
    cv::imwrite(path, image);
}

/** True when every pixel of the image is the given RGB colour. */
bool filledWith(const LabeledImages &images, int index, std::array<int, 3> rgb)
{
    const std::uint8_t *p = images.imageData(index);
    for (std::size_t i = 0; i < images.imageBytes(); i += 3)
        if (p[i] != rgb[0] || p[i + 1] != rgb[1] || p[i + 2] != rgb[2])
            return false;
    return true;
}

} // namespace

class TstImageFolder : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_temp;
    std::string m_root;

private slots:
    void initTestCase()
    {
        QVERIFY(m_temp.isValid());
        m_root = (m_temp.path() + "/bffhq").toStdString();
        // BFFHQ layout: train/{align,conflict}/<class>/..., valid and test flat or nested; several sizes.
        writePng(m_root + "/train/align/0/a_0_0.png", 20, 20, {255, 0, 0}); // red (BGR 0,0,255 in OpenCV)
        writePng(m_root + "/train/align/1/b_1_1.png", 32, 24, {0, 0, 255}); // blue, not square
        writePng(m_root + "/train/conflict/0/c_0_1.png", 8, 8, {0, 255, 0}); // upscaled
        writePng(m_root + "/train/conflict/1/deep/img_7_1_0.png", 40, 30, {100}); // grey, name with '_'
        std::string noise(300, '\0');
        for (std::size_t i = 0; i < noise.size(); ++i)
            noise[i] = char((i * 7919 + 13) & 0xff);
        writeBytes(m_root + "/train/x_0_1.png", noise); // corrupt
        writePng(m_root + "/train/foo.png", 16, 16, {1, 2, 3}); // misnamed
        writeBytes(m_root + "/train/.DS_Store", noise); // OS metadata: silent
        writePng(m_root + "/valid/v_0_0.png", 16, 16, {10, 20, 30}); // already 16x16
        writePng(m_root + "/valid/w_1_1.png", 17, 33, {200, 100, 50});
        writePng(m_root + "/test/t_0_1.png", 64, 64, {0, 0, 0});
        writePng(m_root + "/test/u_1_2.png", 12, 20, {255, 255, 255});
        writePng(m_root + "/test/sub/v_1_0.png", 16, 16, {9, 9, 9});
    }

    void loadsSplitsAndLabels()
    {
        int reports = 0;
        bool fractionsInRange = true;
        const BiasedDataset dataset = loadImageFolder(m_root, 16, [&](double fraction, const std::string &) {
            ++reports;
            fractionsInRange = fractionsInRange && fraction >= 0.0 && fraction <= 1.0;
            return true;
        });
        QCOMPARE(dataset.train.count, 4);
        QCOMPARE(dataset.valid.count, 2);
        QCOMPARE(dataset.test.count, 3);
        // Sorted paths: align/0, align/1, conflict/0, conflict/1/deep.
        QCOMPARE(dataset.train.targets, (std::vector<std::int64_t> {0, 1, 0, 1}));
        QCOMPARE(dataset.train.biases, (std::vector<std::int64_t> {0, 1, 1, 0}));
        QCOMPARE(dataset.valid.targets, (std::vector<std::int64_t> {0, 1}));
        QCOMPARE(dataset.test.targets, (std::vector<std::int64_t> {1, 0, 1}));
        QCOMPARE(dataset.test.biases, (std::vector<std::int64_t> {0, 1, 2}));
        QCOMPARE(dataset.targetNames, (std::vector<std::string> {"0", "1"}));
        QCOMPARE(dataset.biasNames, (std::vector<std::string> {"0", "1", "2"}));
        QCOMPARE(dataset.name, std::string("folder"));
        QVERIFY(dataset.description.find(m_root) != std::string::npos);
        QVERIFY(reports >= 1);
        QVERIFY(fractionsInRange);
    }

    void resizesAndConvertsToRgb()
    {
        const BiasedDataset dataset = loadImageFolder(m_root, 16);
        for (const LabeledImages *split : {&dataset.train, &dataset.valid, &dataset.test}) {
            QCOMPARE(split->height, 16);
            QCOMPARE(split->width, 16);
            QCOMPARE(split->channels, 3);
            QCOMPARE(split->pixels.size(), std::size_t(split->count) * 16 * 16 * 3);
        }
        QVERIFY(filledWith(dataset.train, 0, {255, 0, 0})); // red stays red: R first
        QVERIFY(filledWith(dataset.train, 1, {0, 0, 255}));
        QVERIFY(filledWith(dataset.train, 2, {0, 255, 0}));
        QVERIFY(filledWith(dataset.train, 3, {100, 100, 100})); // grey becomes three equal channels
        QVERIFY(filledWith(dataset.valid, 0, {10, 20, 30}));
        QVERIFY(filledWith(dataset.valid, 1, {200, 100, 50}));
    }

    void badFilesAreWarnedWithPaths()
    {
        const BiasedDataset dataset = loadImageFolder(m_root, 16);
        QCOMPARE(dataset.warnings.size(), std::size_t(2));
        const std::string all = dataset.warnings[0] + "\n" + dataset.warnings[1];
        QVERIFY2(all.find(m_root + "/train/x_0_1.png: ") != std::string::npos, all.c_str());
        QVERIFY2(all.find(m_root + "/train/foo.png: ") != std::string::npos, all.c_str());
        QVERIFY2(all.find(".DS_Store") == std::string::npos, all.c_str());
    }

    void isDeterministic()
    {
        const BiasedDataset a = loadImageFolder(m_root, 16);
        const BiasedDataset b = loadImageFolder(m_root, 16);
        QVERIFY(a.train.pixels == b.train.pixels && a.test.pixels == b.test.pixels);
    }

    void cancelStops()
    {
        bool threwCancelled = false;
        try {
            loadImageFolder(m_root, 16, [](double, const std::string &) { return false; });
        } catch (const Cancelled &) {
            threwCancelled = true;
        }
        QVERIFY(threwCancelled);
    }

    void missingValidWarns()
    {
        const std::string root = (m_temp.path() + "/novalid").toStdString();
        writePng(root + "/train/a_0_0.png", 16, 16, {1, 1, 1});
        writePng(root + "/test/b_0_0.png", 16, 16, {1, 1, 1});
        const BiasedDataset dataset = loadImageFolder(root, 16);
        QCOMPARE(dataset.valid.count, 0);
        QCOMPARE(dataset.warnings.size(), std::size_t(1));
        QVERIFY(dataset.warnings[0].find(root + "/valid") != std::string::npos);
    }

    void missingRootThrows()
    {
        const std::string root = (m_temp.path() + "/nowhere").toStdString();
        const QString message = dataErrorOf([&] { loadImageFolder(root, 16); });
        QVERIFY2(message.contains(QString::fromStdString(root)), qPrintable(message));
    }

    void missingTrainThrows()
    {
        const std::string root = (m_temp.path() + "/notrain").toStdString();
        writePng(root + "/test/a_0_0.png", 16, 16, {1, 1, 1});
        const QString message = dataErrorOf([&] { loadImageFolder(root, 16); });
        QVERIFY2(message.contains(QString::fromStdString(root + "/train")), qPrintable(message));
    }

    void emptyTrainThrows()
    {
        const std::string root = (m_temp.path() + "/emptytrain").toStdString();
        writePng(root + "/train/foo.png", 16, 16, {1, 1, 1}); // nothing usable in train
        writePng(root + "/test/a_0_0.png", 16, 16, {1, 1, 1});
        const QString message = dataErrorOf([&] { loadImageFolder(root, 16); });
        QVERIFY2(message.contains(QString::fromStdString(root + "/train")), qPrintable(message));
        QVERIFY2(message.contains("no readable images"), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TstImageFolder)
#include "tst_imagefolder.moc"
