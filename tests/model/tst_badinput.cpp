// The bad-input corpus of issues 10 and 15: small hostile files made here, each refused in bounded time and memory
// with an honest exit code (1 = bad data, 2 = bad usage) and a message that says what is wrong and which limit it
// broke. Readers are called directly where that is enough and through untangle-cli where the exit code matters.
#include "clirun.h"
#include "common/networkinput.h"
#include "dataerror.h"
#include "dataerrorof.h"
#include "datasetfactory.h"
#include "debiasrecords.h"
#include "directions/directionset.h"
#include "errortext.h"
#include "explore/traversalgrid.h"
#include "idxfile.h"
#include "imagefolder.h"
#include "imageheader.h"
#include "jsonlimits.h"
#include "lffformat.h"
#include "npyfile.h"
#include "recordjson.h"
#include "retrieval/retrieval.h"
#include "selfcheck/latentselfcheck.h"
#include "selfcheck/retrievalselfcheck.h"
#include "selfcheck/scriptselfcheck.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <opencv2/imgcodecs.hpp>

#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <fstream>

using namespace untangle;
using untangle::test::CliRun;
using untangle::test::dataErrorOf;
using untangle::test::runCli;
namespace sc = untangle::selfcheck;

namespace {

constexpr int CliTimeoutMs = 120000; // each bad input is refused in seconds; the limit only catches a hang
constexpr int ProbeSeconds = 2; // UNTANGLE_SCRIPT_PROBE_SECONDS for the generator that never returns
// Peak memory any single bad input may cost: the CLI itself takes ~200 MB (torch, Qt); the reported costs before
// the limits were 2.8-14.5 GB.
constexpr long MaxChildKb = 1024 * 1024;
constexpr long MaxInProcessGrowthKb = 256 * 1024;

constexpr int Latent = 8; // sc::TinyGenerator's latent and style size

QByteArray describe(const CliRun &run)
{
    return "exit " + QByteArray::number(run.exitCode) + "\nstdout: " + run.out.left(500)
        + "\nstderr: " + run.err.right(2000);
}

long selfPeakKb()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

long childrenPeakKb()
{
    rusage usage {};
    getrusage(RUSAGE_CHILDREN, &usage);
    return usage.ru_maxrss;
}

void writeBytes(const std::string &path, const std::string &bytes)
{
    QDir().mkpath(QFileInfo(QString::fromStdString(path)).path());
    std::ofstream(path, std::ios::binary) << bytes;
}

std::string readBytes(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

/** CRC-32 (IEEE, as PNG chunks, gzip trailers and zip entries use; zlib's), so forged files keep valid checksums. */
std::uint32_t crcOf(const std::string &bytes)
{
    return std::uint32_t(::crc32(0L, reinterpret_cast<const Bytef *>(bytes.data()), uInt(bytes.size())));
}

std::string bigEndian32(std::uint32_t v)
{
    return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

std::string littleEndian32(std::uint32_t v)
{
    return {char(v), char(v >> 8), char(v >> 16), char(v >> 24)};
}

/**
 * A decompression bomb without the cost of making one: a real 8x8 PNG whose IHDR claims width x height, with the
 * chunk's CRC fixed so decoders trust the header. A decoder that believes it allocates width x height x 3 bytes.
 */
void writePngBomb(const std::string &path, std::uint32_t width, std::uint32_t height)
{
    const std::string small = readBytes(path + ".small.png");
    std::string bytes = small;
    bytes.replace(16, 4, bigEndian32(width));
    bytes.replace(20, 4, bigEndian32(height));
    bytes.replace(29, 4, bigEndian32(crcOf(bytes.substr(12, 17)))); // CRC over "IHDR" + its 13 data bytes
    writeBytes(path, bytes);
}

/** An IDX ubyte file as bytes: magic, dims (big-endian), then data. */
std::string idxBytes(const std::vector<std::uint32_t> &dims, const std::string &data)
{
    std::string out {0, 0, 0x08, char(dims.size())};
    for (auto d : dims)
        out += bigEndian32(d);
    return out + data;
}

/**
 * A gzip member holding `payload` in stored (uncompressed) deflate blocks, never marked final, with the trailer's
 * length forged to `claimedLength`: the file's header promises far more than the stream holds.
 */
std::string forgedGzip(const std::string &payload, std::uint32_t claimedLength)
{
    std::string out {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 0, '\x03'};
    for (std::size_t at = 0; at < payload.size(); at += 65535) {
        const std::uint16_t n = std::uint16_t(std::min<std::size_t>(65535, payload.size() - at));
        out += char(0); // BFINAL 0, BTYPE 00 (stored)
        out += {char(n & 0xFF), char(n >> 8), char(~n & 0xFF), char((~n >> 8) & 0xFF)};
        out += payload.substr(at, n);
    }
    return out + littleEndian32(crcOf(payload)) + littleEndian32(claimedLength);
}

/** One LfF split of `count` black side x side images with the given [target, bias] rows. */
void writeLffSplit(const std::string &dir, int side, const std::vector<std::pair<int, int>> &labels)
{
    const auto n = std::int64_t(labels.size());
    writeNpyUInt8(dir + "/images.npy", {n, side, side, 3}, std::vector<std::uint8_t>(std::size_t(n) * side * side * 3));
    std::vector<std::int64_t> attrs;
    for (const auto &[target, bias] : labels)
        attrs.insert(attrs.end(), {target, bias});
    writeNpyInt64(dir + "/attrs.npy", {n, 2}, attrs);
}

std::vector<std::pair<int, int>> balancedLabels(int n)
{
    std::vector<std::pair<int, int>> labels;
    for (int i = 0; i < n; ++i)
        labels.emplace_back(i % 2, (i / 2) % 2);
    return labels;
}

/** The valid directions file's text with `from` replaced by `to` (its first occurrence). */
std::string edited(const std::string &text, const std::string &from, const std::string &to)
{
    std::string out = text;
    const auto at = out.find(from);
    if (at != std::string::npos)
        out.replace(at, from.size(), to);
    return out;
}

/** TorchScript forward that never returns: an integer loop with no end (no tensor work, no memory growth). */
/** CPU seconds (user + system) a live process has used, from /proc/PID/stat; 0 when it cannot be read. */
double processCpuSeconds(qint64 pid)
{
    QFile file(QString("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return 0.0;
    const QString stat = QString::fromLatin1(file.readAll());
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis): state is
    // field 3, utime 14, stime 15.
    const QStringList fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0.0;
    return (fields[11].toDouble() + fields[12].toDouble()) / double(sysconf(_SC_CLK_TCK));
}

const char *EndlessForward = R"(
def forward(self, z):
    i = 0
    while i >= 0:
        i = i + 1
    return z
)";

const char *GreyForward = R"(
def forward(self, z):
    return torch.tanh(torch.matmul(z, self.weight)).reshape([z.size(0), 1, 16, 16])
)";

} // namespace

class TstBadInput : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_generator; // a tiny built-in generator (latent 8)
    std::string m_directionsText; // a valid directions.json for it
    std::string m_sreRun; // a folder holding estimator.pt (4 directions, 32 px grey)

    std::string path(const std::string &name) const
    {
        return m_dir.filePath(QString::fromStdString(name)).toStdString();
    }
    QString qpath(const std::string &name) const { return QString::fromStdString(path(name)); }

    /** untangle-cli with the arguments; checks exit code and message fragment, and that no backtrace leaks. */
    CliRun expectCli(const QStringList &arguments, int exitCode, const QString &fragment,
        const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
    {
        const CliRun run = runCli(arguments, CliTimeoutMs, environment);
        [&] {
            QVERIFY2(run.exitCode == exitCode, describe(run).constData());
            QVERIFY2(run.err.contains(fragment.toUtf8()), describe(run).constData());
            QVERIFY2(
                !run.err.contains("Exception raised from") && !run.err.contains("frame #"), describe(run).constData());
        }();
        return run;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_generator = path("generator.pt");
        sc::writeRandomStyleGenerator(m_generator);
        std::vector<double> rows(3 * Latent, 0.0);
        for (int k = 0; k < 3; ++k)
            rows[std::size_t(k * Latent + k)] = 1.0;
        DirectionSet set = DirectionSet::fromMatrix("sefa", Matrix {3, Latent, rows}, {3.0, 2.0, 1.0});
        for (auto &direction : set.directions)
            direction.sigma = 0.5;
        saveDirectionSet(set, path("dirs/directions.json"));
        m_directionsText = readBytes(path("dirs/directions.json"));
        m_sreRun = path("sre-run");
        QDir().mkpath(QString::fromStdString(m_sreRun));
        sc::writeRandomScoreNetwork(m_sreRun + "/estimator.pt", 1, 32, 4, 7);
        cv::imwrite(path("bomb.png.small.png"), cv::Mat(8, 8, CV_8UC3, cv::Scalar(0, 0, 0)));
        writePngBomb(path("bomb.png"), 30000, 30000);
    }

    // --- JSON: nesting and size are bounded before any parser sees the text ---------------------------------------

    void deeplyNestedJsonIsRefusedNotACrash()
    {
        // 100,000 levels inside "provenance": a recursive parser or dump() overflows the stack (SIGSEGV before).
        const std::string deep = std::string(100000, '[') + std::string(100000, ']');
        const std::string file = path("deep.json");
        writeBytes(file, edited(m_directionsText, "\"provenance\": {}", "\"provenance\": {\"x\": " + deep + "}"));
        const QString message = dataErrorOf([&] { loadDirectionSet(file); });
        QVERIFY2(message.contains(QString::fromStdString(file)) && message.contains("nested deeper than 64 levels"),
            qPrintable(message));
        expectCli({"traverse", "--generator", QString::fromStdString(m_generator), "--directions",
                      QString::fromStdString(file), "--out", qpath("deep.png")},
            1, "nested deeper than 64 levels");
        expectCli({"sre", "--generator", QString::fromStdString(m_generator), "--directions",
                      QString::fromStdString(file), "--steps", "2", "--out", qpath("sre-deep")},
            1, "nested deeper than 64 levels");
        // table reads result.json through RunFolder::readResult: the same bound first; a truncated or foreign
        // result is named, not counted.
        QDir().mkpath(qpath("deep-run"));
        writeBytes(path("deep-run/result.json"), "{\"method\": " + deep + "}");
        expectCli({"table", qpath("deep-run")}, 1, "nested deeper than 64");
        QDir().mkpath(qpath("truncated-run"));
        writeBytes(path("truncated-run/result.json"), "{\"method\": \"denetdm\", \"dataset\": \"spr");
        expectCli({"table", qpath("truncated-run")}, 1, "result.json: not a result document");
        QDir().mkpath(qpath("foreign-run"));
        writeBytes(path("foreign-run/result.json"), "{\"method\": \"denetdm\", \"dataset\": \"sprites\"}");
        expectCli({"table", qpath("foreign-run")}, 1, "result.json: not a result document");
        // The same bound guards the debias records (config.json, metrics.jsonl lines).
        QVERIFY(dataErrorOf([&] { configFromJson("{\"method\": " + deep + "}"); }).contains("nested deeper than 64"));
        QVERIFY(dataErrorOf([&] { evaluationFromJson(deep); }).contains("nested deeper than 64"));
        // Strings are skipped by the scan: brackets inside them are not nesting.
        QVERIFY(jsonWithinLimits("{\"a\": \"[[[[[[[[\\\"]]]\", \"b\": [[1]]}", MaxJsonBytes, 3));
        QVERIFY(!jsonWithinLimits("[[[[1]]]]", MaxJsonBytes, 3));
    }

    void resultDocumentsRoundTrip()
    {
        DebiasResult result;
        result.config.method = DebiasMethod::DeNetDM;
        result.config.dataset.kind = DatasetKind::Sprites;
        result.config.dataset.ratio = 0.02;
        result.config.seed = 7;
        result.finalHead = "target";
        result.selected = {12, {}, {}};
        result.selected.test.unbiased = 0.75;
        result.selected.test.conflicting = std::numeric_limits<double>::quiet_NaN(); // an empty group: null
        result.stage1Deep.test.aligned = 0.99;
        result.stage1SelectedEpoch = 9;
        result.hardest = {"deep", {}, {}, 40, 0.5, 0.01};
        result.totalSeconds = 61.5;
        const DebiasResult back = resultFromJson(resultToJson(result));
        QCOMPARE(back.config.method, DebiasMethod::DeNetDM);
        QCOMPARE(back.config.dataset.kind, DatasetKind::Sprites);
        QCOMPARE(back.config.dataset.ratio, 0.02);
        QCOMPARE(back.config.seed, std::uint64_t(7));
        QCOMPARE(back.finalHead, std::string("target"));
        QCOMPARE(back.selected.epoch, 12);
        QCOMPARE(back.selected.test.unbiased, 0.75);
        QVERIFY(std::isnan(back.selected.test.conflicting));
        QCOMPARE(back.stage1Deep.test.aligned, 0.99);
        QCOMPARE(back.stage1SelectedEpoch, 9);
        QCOMPARE(back.hardest.k, 40);
        QCOMPARE(back.hardest.precision, 0.5);
        QCOMPARE(back.totalSeconds, 61.5);
        QVERIFY(!back.stopped);
        // A k that would wrap an int is refused, not cast.
        std::string text = resultToJson(result);
        const std::string k = "\"k\": 40";
        text.replace(text.find(k), k.size(), "\"k\": 4294967336");
        QVERIFY_THROWS_EXCEPTION(std::exception, resultFromJson(text));
    }

    void hugeJsonIsRefusedBeforeReading()
    {
        // One level, one string of 65 MiB: above the 64 MiB limit, refused from the file size alone.
        const std::string file = path("huge.json");
        {
            // Written in pieces: the test itself must not hold 65 MiB, or it could not tell what the reader cost.
            const auto split = m_directionsText.find("\"method\"");
            std::ofstream out(file, std::ios::binary);
            out << m_directionsText.substr(0, split) << "\"note\": \"";
            const std::string chunk(1u << 20, 'a');
            for (int i = 0; i < 65; ++i)
                out << chunk;
            out << "\", " << m_directionsText.substr(split);
        }
        const long before = selfPeakKb();
        const QString message = dataErrorOf([&] { loadDirectionSet(file); });
        QVERIFY2(message.contains("above the limit of 64 MiB"), qPrintable(message));
        QVERIFY2(selfPeakKb() - before < MaxInProcessGrowthKb, qPrintable(QString::number(selfPeakKb() - before)));
        QFile::remove(QString::fromStdString(file));
        // A config of more than 1 MiB is no config of ours.
        QVERIFY(dataErrorOf([&] {
            configFromJson("\"" + std::string(2u << 20, 'a') + "\"");
        }).contains("above the limit of 1 MiB"));
    }

    // --- Direction files: numbers are checked, not cast ---------------------------------------------------------

    void directionFileNumbersAreChecked_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("problem");
        QTest::newRow("styleSize 2^32 + 64") << "\"styleSize\": 8"
                                             << "\"styleSize\": 4294967304"
                                             << "styleSize is 4294967304, outside 1 to 65536";
        QTest::newRow("styleSize 8.5") << "\"styleSize\": 8"
                                       << "\"styleSize\": 8.5"
                                       << "styleSize is 8.5, not a whole number";
        QTest::newRow("sigma 0") << "\"sigma\": 0.5"
                                 << "\"sigma\": 0"
                                 << "has sigma 0; sigma must be above 0";
        QTest::newRow("sigma -1") << "\"sigma\": 0.5"
                                  << "\"sigma\": -1"
                                  << "has sigma -1; sigma must be above 0";
        QTest::newRow("sigma 1e300") << "\"sigma\": 0.5"
                                     << "\"sigma\": 1e300"
                                     << "has sigma 1e+300; sigma must be above 0 and at most 1000000";
        QTest::newRow("sign 1.5") << "\"sign\": 1"
                                  << "\"sign\": 1.5"
                                  << "sign is 1.5, not a whole number";
    }

    void directionFileNumbersAreChecked()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, problem);
        const std::string text = edited(m_directionsText, from.toStdString(), to.toStdString());
        QVERIFY2(text != m_directionsText, qPrintable(from));
        const std::string file = path(std::string("dirs-") + QTest::currentDataTag() + ".json");
        writeBytes(file, text);
        const QString message = dataErrorOf([&] { loadDirectionSet(file); });
        QVERIFY2(message.contains(QString::fromStdString(file)) && message.contains(problem), qPrintable(message));
    }

    void traverseExitCodes()
    {
        // Directions of latent size 5 for a generator of size 8: the files do not belong together (data, exit 1).
        const std::string file = path("dirs5.json");
        saveDirectionSet(DirectionSet::fromMatrix("sefa", Matrix {1, 5, {1, 0, 0, 0, 0}}, {1.0}), file);
        expectCli({"traverse", "--generator", QString::fromStdString(m_generator), "--directions",
                      QString::fromStdString(file), "--out", qpath("t5.png")},
            1, "the directions have latent size 5 but the generator's editable latent has size 8");
        // A run folder is taken for its directions.json, as --generator takes a GAN run folder.
        expectCli({"traverse", "--generator", QString::fromStdString(m_generator), "--directions", qpath("dirs"),
                      "--columns", "3", "--out", qpath("t.png")},
            0, "");
        expectCli({"traverse", "--generator", QString::fromStdString(m_generator), "--directions", qpath("sre-run"),
                      "--out", qpath("t.png")},
            1, "is a folder without directions.json");

        // Bounded before any rendering: rows (100,000 directions took gigabytes and never ended), the shift (an
        // infinite one drew black and said nothing) and psi.
        Matrix many {MaxTraversalRows + 1, 8, {}};
        for (int k = 0; k < many.rows; ++k)
            for (int c = 0; c < 8; ++c)
                many.values.push_back(c == k % 8 ? 1.0 : 0.1);
        const std::string manyFile = path("dirs65.json");
        saveDirectionSet(
            DirectionSet::fromMatrix("sefa", many, std::vector<double>(std::size_t(many.rows), 1.0)), manyFile);
        const QStringList base {
            "traverse", "--generator", QString::fromStdString(m_generator), "--out", qpath("t.png")};
        expectCli(base + QStringList {"--directions", QString::fromStdString(manyFile)}, 2,
            "a traversal shows at most 64 directions, not 65");
        expectCli(base + QStringList {"--directions", QString::fromStdString(manyFile), "--rows", "1,65,3"}, 0, "");
        QStringList repeated;
        for (int i = 0; i < 65; ++i)
            repeated << "1";
        expectCli(base + QStringList {"--directions", qpath("dirs"), "--rows", repeated.join(',')}, 2, "not 65");
        expectCli(base + QStringList {"--directions", qpath("dirs"), "--range", "inf"}, 2, "traversal range");
        expectCli(
            base + QStringList {"--directions", qpath("dirs"), "--truncation", "nan"}, 2, "psi must be in (0, 1]");

        // The output is written through a symlink to its file, and never replaces what is not a file (a pipe here;
        // `--out /dev/full` made a PNG of the device).
        const QString target = qpath("linked.png"), link = qpath("link.png"), pipe = qpath("pipe.png");
        QVERIFY(QFile::link(target, link));
        expectCli({"traverse", "--generator", QString::fromStdString(m_generator), "--directions", qpath("dirs"),
                      "--columns", "3", "--out", link},
            0, "");
        QVERIFY(QFileInfo(link).isSymLink());
        QVERIFY(QFileInfo(target).isFile() && QFileInfo(target).size() > 0);
        QCOMPARE(::mkfifo(pipe.toLocal8Bit().constData(), 0644), 0);
        expectCli({"traverse", "--generator", QString::fromStdString(m_generator), "--directions", qpath("dirs"),
                      "--columns", "3", "--out", pipe},
            2, "is not a regular file"); // refused before rendering, as a usage error (it was 1, at the write)
        struct stat after { };
        QCOMPARE(::stat(pipe.toLocal8Bit().constData(), &after), 0);
        QVERIFY(S_ISFIFO(after.st_mode));
    }

    // --- Datasets: labels, header sizes and image dimensions are bounded before allocating ----------------------

    void lffLabelAboveTheLimit()
    {
        // attrs row [9999, 9999]: 10,000 x 10,000 cells took 14.5 GB and 162 s; now refused at load, stating the limit.
        const std::string root = path("lff9999");
        auto labels = balancedLabels(8);
        labels[3] = {9999, 9999};
        writeLffSplit(root + "/train", 4, labels);
        writeLffSplit(root + "/test", 4, balancedLabels(8));
        const QString message = dataErrorOf([&] { importLff(root); });
        QVERIFY2(message.contains(QString::fromStdString(root + "/train/attrs.npy"))
                && message.contains("row 3 has labels [9999, 9999]; labels must be in 0..999 (at most 1000 classes)"),
            qPrintable(message));
        labels[3] = {-1, 0};
        writeLffSplit(root + "/train", 4, labels);
        QVERIFY(dataErrorOf([&] { importLff(root); }).contains("has labels [-1, 0]"));
        labels[3] = {9999, 9999};
        writeLffSplit(root + "/train", 4, labels);
        QElapsedTimer timer;
        timer.start();
        expectCli({"dataset", "--dataset", "lff", "--path", QString::fromStdString(root), "--json"}, 1,
            "labels must be in 0..999");
        QVERIFY(timer.elapsed() < 20000);
    }

    void forgedGzipLengthAllocatesOnlyWhatIsThere()
    {
        // The header claims 60000 x 256 x 256 (3.9 GB) and the trailer's length is forged to match; the stream holds
        // 4 MB. Before, the reader allocated the 3.9 GB first.
        const std::uint64_t claimed = 16 + std::uint64_t(60000) * 256 * 256;
        const std::string header = idxBytes({60000, 256, 256}, "");
        std::string payload = header + std::string(4u << 20, '\x5a');
        writeBytes(path("forged.gz"), forgedGzip(payload, std::uint32_t(claimed & 0xFFFFFFFFu)));
        long before = selfPeakKb();
        QString message = dataErrorOf([&] { readIdx(path("forged.gz")); });
        QVERIFY2(message.contains(qpath("forged.gz")) && (message.contains("truncated") || message.contains("gzip")),
            qPrintable(message));
        QVERIFY2(selfPeakKb() - before < MaxInProcessGrowthKb, qPrintable(QString::number(selfPeakKb() - before)));
        // A few bytes claiming gigabytes cannot be deflate at all (at most 1032:1): refused from the sizes alone.
        writeBytes(path("tiny.gz"), forgedGzip(header + "xyz", std::uint32_t(claimed & 0xFFFFFFFFu)));
        before = selfPeakKb();
        message = dataErrorOf([&] { readIdx(path("tiny.gz")); });
        QVERIFY2(message.contains("more than a gzip file of") && message.contains("1032 times its size"),
            qPrintable(message));
        QVERIFY(selfPeakKb() - before < MaxInProcessGrowthKb);
    }

    void idxTypeByteIsPrintedInHex()
    {
        writeBytes(path("float-idx"), std::string {0, 0, 0x0D, 1} + bigEndian32(1) + std::string(4, '\0'));
        const QString message = dataErrorOf([&] { readIdx(path("float-idx")); });
        QVERIFY2(message.contains("unsupported IDX element type 0x0D"), qPrintable(message));
    }

    void cmnistIdxWithTwoImageSizes()
    {
        // 28x28 training images with 14x14 test images were accepted; the network fits one size only.
        const std::string dir = path("idx-mixed");
        QDir().mkpath(QString::fromStdString(dir));
        std::string labels;
        for (int i = 0; i < 20; ++i)
            labels += char(i % 10);
        writeIdx(dir + "/train-images-idx3-ubyte", {20, 28, 28}, std::vector<std::uint8_t>(20 * 28 * 28));
        writeIdx(dir + "/train-labels-idx1-ubyte", {20}, std::vector<std::uint8_t>(labels.begin(), labels.end()));
        writeIdx(dir + "/t10k-images-idx3-ubyte", {20, 14, 14}, std::vector<std::uint8_t>(20 * 14 * 14));
        writeIdx(dir + "/t10k-labels-idx1-ubyte", {20}, std::vector<std::uint8_t>(labels.begin(), labels.end()));
        DatasetSpec spec;
        spec.kind = DatasetKind::ColoredMnistIdx;
        spec.path = dir;
        const QString message = dataErrorOf([&] { buildDataset(spec); });
        QVERIFY2(message.contains("the test images are 14x14 but the training images") && message.contains("are 28x28"),
            qPrintable(message));
    }

    void pngBombIsRefusedFromItsHeader()
    {
        const auto header = readImageHeader(path("bomb.png"));
        QVERIFY(header && header->width == 30000 && header->height == 30000);
        const long before = selfPeakKb();
        const QString message = dataErrorOf([&] { checkDecodableImage(path("bomb.png")); });
        QVERIFY2(
            message.contains("30000x30000 pixels (PNG), above the limit of 67,108,864 pixels"), qPrintable(message));
        // The folder dataset skips it with the reason; with nothing else to train on, that is the error.
        const std::string root = path("bomb-folder");
        QDir().mkpath(QString::fromStdString(root + "/train"));
        QFile::copy(qpath("bomb.png"), QString::fromStdString(root + "/train/bomb_0_0.png"));
        const QString folder = dataErrorOf([&] { loadImageFolder(root, 16); });
        QVERIFY2(folder.contains("no readable images") && folder.contains("above the limit of 67,108,864 pixels"),
            qPrintable(folder));
        std::vector<float> out(32 * 32);
        QVERIFY(dataErrorOf([&] {
            imageFileToNetwork(path("bomb.png"), {1, 32}, out.data());
        }).contains("query image " + qpath("bomb.png") + ": 30000x30000 pixels"));
        QVERIFY2(selfPeakKb() - before < MaxInProcessGrowthKb, qPrintable(QString::number(selfPeakKb() - before)));
        expectCli({"dataset", "--dataset", "folder", "--path", QString::fromStdString(root)}, 1,
            "30000x30000 pixels (PNG), above the limit");
        expectCli({"retrieve", "--sre", QString::fromStdString(m_sreRun), "--pool-size", "20", "--query",
                      qpath("bomb.png"), "--k", "3"},
            1, "30000x30000 pixels (PNG), above the limit");
        // A file that is no image format we can size is refused, not decoded blind.
        writeBytes(path("mystery.img"), std::string(64, 'x'));
        QVERIFY(dataErrorOf([&] { checkDecodableImage(path("mystery.img")); }).contains("readable header"));
    }

    // --- Generators: sizes are checked, a forward that never returns is timed out ------------------------------

    void latentSizeAttributeIsNotTruncated()
    {
        sc::ScriptModuleSpec spec;
        spec.source = GreyForward;
        spec.intAttributes = {{"latent_size", (std::int64_t(1) << 32) + 8}};
        spec.parameters = {{"weight", {Latent, 256}}};
        sc::writeScriptModule(path("wide.pt"), spec);
        const QString message = dataErrorOf([&] { sc::describeGenerator(path("wide.pt")); });
        QVERIFY2(message.contains("latent_size is 4294967304, not a latent size (1 to 65536)"), qPrintable(message));
    }

    void damagedTorchArchivesAreRefusedBeforeTorchReadsThem()
    {
        // One flipped letter in the archive's code (found by bench_mutation): libtorch 1.13's class parser then
        // recursed without end (SIGSEGV). The zip CRC-32s are checked first now.
        std::string bytes = readBytes(m_generator);
        const auto at = bytes.find("__parameters__");
        QVERIFY(at != std::string::npos);
        bytes[at + 7] = 'u'; // __paramuters__
        writeBytes(path("damaged-generator.pt"), bytes);
        const QString message = dataErrorOf([&] { sc::describeGenerator(path("damaged-generator.pt")); });
        QVERIFY2(message.contains("does not match its CRC-32"), qPrintable(message));
        expectCli({"traverse", "--generator", qpath("damaged-generator.pt"), "--directions", qpath("dirs"), "--out",
                      qpath("damaged.png")},
            1, "does not match its CRC-32");
    }

    void forwardThatNeverReturnsIsTimedOut()
    {
        sc::ScriptModuleSpec spec;
        spec.source = EndlessForward;
        spec.intAttributes = {{"latent_size", Latent}};
        sc::writeScriptModule(path("endless.pt"), spec);
        auto environment = QProcessEnvironment::systemEnvironment();
        environment.insert("UNTANGLE_SCRIPT_PROBE_SECONDS", QString::number(ProbeSeconds));
        QElapsedTimer timer;
        timer.start();
        expectCli({"directions", "--generator", qpath("endless.pt"), "--out", qpath("endless-dirs")}, 1,
            "forward (or mapping / synthesis / sefa_weight) did not return within 2 s", environment);
        QVERIFY2(timer.elapsed() < 30000, qPrintable(QString::number(timer.elapsed())));

        // Without the short limit, Ctrl-C must still end it: the first asks for a stop at the next safe point (the
        // probe has none), the second quits at once with 130.
        QProcess process;
        process.start(
            UNTANGLE_CLI_PATH, {"directions", "--generator", qpath("endless.pt"), "--out", qpath("endless-2")});
        QVERIFY(process.waitForStarted());
        // Inside the endless forward once the process has burnt CPU well past its start-up (a wall-clock wait is
        // not enough on a loaded machine: the first Ctrl-C could land before the probe and end it cleanly).
        QTRY_VERIFY_WITH_TIMEOUT(processCpuSeconds(process.processId()) > 3.0, 60000);
        ::kill(pid_t(process.processId()), SIGINT);
        QTest::qWait(500);
        QCOMPARE(process.state(), QProcess::Running); // the first Ctrl-C only asks
        timer.restart();
        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(10000));
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 130);
        QVERIFY(process.readAllStandardError().contains("interrupted again, quitting now"));
    }

    // --- Exit codes: data problems exit 1, usage problems 2 -----------------------------------------------------

    void retrieveDirectionsAreOneBased()
    {
        const QString sre = QString::fromStdString(m_sreRun); // a run folder: its estimator.pt
        expectCli({"retrieve", "--sre", sre, "--pool-size", "20", "--query", "0", "--direction", "99", "--k", "3"}, 1,
            "direction 99 does not exist: the score network scores 4 directions (1 to 4)");
        expectCli({"retrieve", "--sre", sre, "--pool-size", "20", "--query", "0", "--direction", "0", "--k", "3"}, 2,
            "direction 0 does not exist: the score network scores 4 directions (1 to 4)");
        expectCli(
            {"retrieve", "--sre", sre, "--pool-size", "20", "--query", "0", "--direction", "4", "--k", "3"}, 0, "");
        expectCli({"retrieve", "--sre", qpath("dirs"), "--query", "0"}, 1, "is a folder without estimator.pt");
    }

    void raggedPoolScoresAreData()
    {
        const Matrix ragged {3, 2, {0, 1, 2, 3, 4}};
        QVERIFY(dataErrorOf([&] { retrieve(ragged, {0, 1}, 0, 1); }).contains("the pool scores are ragged"));
        QVERIFY(dataErrorOf([&] {
            retrieve(Matrix {3, 2, {0, 1, 2, 3, 4, 5}}, {0}, 0, 1);
        }).contains("the query has 1 scores but the pool has 2"));
    }

    void emptyTrainingSplitIsData()
    {
        // One digit per class: the CMNIST protocol's floor(0.8 n) leaves no training image at all.
        const std::string dir = path("idx-one-per-class");
        QDir().mkpath(QString::fromStdString(dir));
        std::vector<std::uint8_t> labels(10);
        for (int i = 0; i < 10; ++i)
            labels[std::size_t(i)] = std::uint8_t(i);
        for (const char *split : {"train", "t10k"}) {
            writeIdx(dir + "/" + split + "-images-idx3-ubyte", {10, 28, 28}, std::vector<std::uint8_t>(10 * 28 * 28));
            writeIdx(dir + "/" + split + "-labels-idx1-ubyte", {10}, labels);
        }
        expectCli({"debias", "--dataset", "cmnist-idx", "--path", QString::fromStdString(dir), "--epochs", "1", "--out",
                      qpath("debias-empty")},
            1, "the training split is empty");
    }

    void imagesTooSmallForTheCnnAreData()
    {
        const std::string root = path("lff1x1");
        writeLffSplit(root + "/train", 1, balancedLabels(16));
        writeLffSplit(root + "/test", 1, balancedLabels(8));
        expectCli({"debias", "--dataset", "lff", "--path", QString::fromStdString(root), "--arch", "cnn", "--batch",
                      "8", "--epochs", "1", "--stage2-epochs", "0", "--probe-every", "0", "--out", qpath("debias-1x1")},
            1, "the images are 1x1, too small for the CNN branches (at least 4x4); use --arch mlp");
    }

    void torchErrorsComeWithoutBacktraces()
    {
        // A score network file that torch cannot read: the message names the file and stops before the C++ frames.
        const std::string bad = path("damaged-estimator.pt");
        std::string bytes = readBytes(m_sreRun + "/estimator.pt");
        bytes.resize(bytes.size() / 2);
        writeBytes(bad, bytes);
        const CliRun run
            = expectCli({"retrieve", "--sre", QString::fromStdString(bad), "--pool-size", "20", "--query", "0"}, 1,
                "cannot read score network " + QString::fromStdString(bad));
        QVERIFY2(run.err.trimmed().count('\n') <= 2, run.err.constData());
        QCOMPARE(QString::fromStdString(conciseErrorText("bad thing\nException raised from f at x.cpp:1 (most recent "
                                                         "call first):\nframe #0: g()\nframe #1: h()")),
            QStringLiteral("bad thing"));
    }

    void cleanupTestCase()
    {
        // Every CLI run above stayed within the bound (ru_maxrss of the children is the largest of them).
        QVERIFY2(childrenPeakKb() < MaxChildKb, qPrintable(QString::number(childrenPeakKb())));
    }
};

QTEST_GUILESS_MAIN(TstBadInput)
#include "tst_badinput.moc"
