// GAN training speed with the allocator settings of computeruntime.cpp against glibc's own policy
// (UNTANGLE_GLIBC_MALLOC=1), before and after the run's first checkpoint, on the shipped Sprites generator's recipe
// (fine-tuned from it, 8 channels at 32 and 64 px) and on the same widened to 16 channels (gan --min-channels 16).
// With glibc's policy frozen at a 128 KiB mmap threshold by the trim setting, every activation was a fresh mmap
// faulted in page by page, and a run slowed further after its first checkpoint. The generators must be identical:
// the allocator changes where memory lives, not a single bit of the result.
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

constexpr int Iterations = 80;
constexpr int CheckpointEvery = 40;

struct Run {
    double before = 0, after = 0, wall = 0; // median seconds per iteration before / after the first checkpoint
    QByteArray generatorHash;
};

double median(std::vector<double> values)
{
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

Run train(const QString &dir, bool glibcPolicy, int minChannels)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (glibcPolicy)
        env.insert("UNTANGLE_GLIBC_MALLOC", "1");
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::MergedChannels); // shown only when the run fails
    const QString shipped = QStringLiteral(UNTANGLE_SOURCE_DIR "/resources/generators/sprites-64/generator.pt");
    QElapsedTimer timer;
    timer.start();
    process.start(UNTANGLE_CLI_PATH,
        {"gan", "--dataset", "sprites", "--resolution", "64", "--iterations", QString::number(Iterations),
            "--checkpoint-every", QString::number(CheckpointEvery), "--sample-every", "1000", "--mapping-lr", "0.01",
            "--r1", "1", "--seed", "0", "--threads", "1", "--synthesis", "progan", "--loss", "logistic",
            "--no-spectral-norm", "--grow-from", shipped, "--min-channels", QString::number(minChannels), "--out",
            dir});
    process.waitForFinished(-1);
    Run run;
    run.wall = timer.nsecsElapsed() / 1e9;
    if (process.exitCode() != 0) {
        std::fprintf(stderr, "untangle-cli gan failed (exit %d):\n%s\n", process.exitCode(),
            process.readAll().right(2000).constData());
        return run;
    }
    QFile metrics(dir + "/metrics.jsonl");
    std::vector<double> before, after;
    if (metrics.open(QIODevice::ReadOnly))
        for (const QByteArray &line : metrics.readAll().split('\n')) {
            const QJsonObject row = QJsonDocument::fromJson(line).object();
            if (!row.contains("secondsPerIteration"))
                continue;
            const int iteration = row.value("iteration").toInt();
            // The first rows carry the start-up; the checkpoint's own row its scoring.
            if (iteration > 10 && iteration <= CheckpointEvery)
                before.push_back(row.value("secondsPerIteration").toDouble());
            else if (iteration > CheckpointEvery + 10)
                after.push_back(row.value("secondsPerIteration").toDouble());
        }
    run.before = median(before);
    run.after = median(after);
    QFile generator(dir + "/generator.pt");
    if (generator.open(QIODevice::ReadOnly))
        run.generatorHash = QCryptographicHash::hash(generator.readAll(), QCryptographicHash::Sha256);
    return run;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    std::printf(
        "%-30s %-34s %14s %10s %8s %14s\n", "network", "allocator", "s/it pre-ckpt", "s/it post", "wall s", "vs glibc");
    bool identical = true;
    for (const int minChannels : {8, 16}) {
        const char *network = minChannels == 8 ? "shipped widths (8 at 64 px)" : "widened (16 at 64 px)";
        const Run glibc = train(dir.filePath(QString("glibc-%1").arg(minChannels)), true, minChannels);
        const Run ours = train(dir.filePath(QString("ours-%1").arg(minChannels)), false, minChannels);
        identical = identical && !ours.generatorHash.isEmpty() && ours.generatorHash == glibc.generatorHash;
        std::printf("%-30s %-34s %14.3f %10.3f %8.1f %14s\n", network, "glibc policy (baseline)", glibc.before,
            glibc.after, glibc.wall, "1.00x");
        std::printf("%-30s %-34s %14.3f %10.3f %8.1f %13.2fx\n", network, "kept heap, 32 MiB mmap threshold",
            ours.before, ours.after, ours.wall, glibc.wall / std::max(ours.wall, 1e-9));
    }
    std::printf("generators identical under both allocators: %s\n", identical ? "yes" : "NO");
    return identical ? 0 : 1;
}
