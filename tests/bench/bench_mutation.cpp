// Mutation sweep over every file format Untangle parses (issues 10 and 15): valid files made by the project's own
// writers, then >= 1,000 seeded mutations each (bit flips, random bytes, "interesting" integers, truncations,
// duplicated ranges), every one parsed in a forked child with a time limit. Counts what each parser did: accepted,
// refused with a DataError, refused with another exception, ran out of the memory cap, crashed (a signal) or hung
// (killed at the time limit), with the slowest parse and the largest peak resident memory of a child (which starts as
// a copy of the parent, whose size is printed first). Exits 1 when anything crashed, hung or hit the memory cap.
//
// Usage: bench_mutation [mutations per parser = 1000] [seed = 1] [time limit ms = 10000]
//        bench_mutation --inspect RUN_DIR LFF_DIR   (loads one kept checkpoint in-process, for a debugger)
//        bench_mutation --generator FILE            (loads one kept generator in-process)
//
// The last row re-seals each mutated checkpoint payload with a correct checksum: it measures torch's own archive
// reader, which random damage never reaches through the CRC-32; its crashes are reported but not counted in the exit
// status (they are libtorch's, reachable only by forging the checksum).
//
// Baseline in the same run: the unmutated file, parsed the same way (its time and memory are the floor; it must be
// accepted). The parent never runs torch (the valid checkpoint is made in a child), so children can use it after
// fork without inheriting an OpenMP pool.
#include "atomicfile.h"
#include "biaseddataset.h"
#include "computeruntime.h"
#include "dataerror.h"
#include "debiasconfig.h"
#include "debiasrunner.h"
#include "directions/directionset.h"
#include "idxfile.h"
#include "lffformat.h"
#include "npyfile.h"
#include "recordjson.h"
#include "runfolder.h"
#include "runinspector.h"
#include "selfcheck/latentselfcheck.h"
#include "selfcheck/retrievalselfcheck.h"
#include "selfcheck/scriptselfcheck.h"
#include "sre/scoreencoder.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>
#include <zlib.h>

using namespace untangle;
namespace fs = std::filesystem;

namespace {

constexpr long MemoryCapBytes = 3L << 30; // RLIMIT_DATA of a child: far above any honest parse of these small files
constexpr int LffImages = 64; // the LfF and checkpoint fixtures: tiny, so one parse takes milliseconds
constexpr int LffSide = 8;

// Child exit codes.
enum Outcome { Accepted = 0, Refused = 1, OtherException = 2, OutOfMemory = 3, Crashed = 100, Hung = 101 };

std::string readBytes(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeBytes(const std::string &path, const std::string &bytes)
{
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

long residentKb()
{
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/** CRC-32 (IEEE, as PNG chunks, gzip trailers and zip entries use; zlib's), so forged files keep valid checksums. */
std::uint32_t crcOf(const std::string &bytes)
{
    return std::uint32_t(::crc32(0L, reinterpret_cast<const Bytef *>(bytes.data()), uInt(bytes.size())));
}

/** A valid gzip member of stored deflate blocks, so its bytes are predictable for the mutations. */
std::string gzipStored(const std::string &payload)
{
    std::string out {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 0, '\x03'};
    for (std::size_t at = 0; at < payload.size() || at == 0; at += 65535) {
        const auto n = std::uint16_t(std::min<std::size_t>(65535, payload.size() - at));
        out += char(at + n >= payload.size() ? 1 : 0); // BFINAL on the last block
        out += {char(n & 0xFF), char(n >> 8), char(~n & 0xFF), char((~n >> 8) & 0xFF)};
        out += payload.substr(at, n);
        if (payload.empty())
            break;
    }
    const std::uint32_t crc = crcOf(payload), size = std::uint32_t(payload.size());
    for (std::uint32_t v : {crc, size})
        out += {char(v), char(v >> 8), char(v >> 16), char(v >> 24)};
    return out;
}

/** One seeded mutation of bytes; `kind` says which. Positions favour the ends, where headers and indexes live. */
std::string mutate(const std::string &valid, std::mt19937_64 &rng, std::string &kind)
{
    std::string bytes = valid;
    const std::size_t size = bytes.size();
    auto position = [&]() -> std::size_t {
        const auto where = rng() % 4;
        if (where == 0)
            return rng() % std::min<std::size_t>(size, 512);
        if (where == 1)
            return size - 1 - rng() % std::min<std::size_t>(size, 512);
        return rng() % size;
    };
    switch (rng() % 5) {
    case 0: {
        kind = "bit flips";
        for (int n = 1 + int(rng() % 8); n > 0; --n)
            bytes[position()] ^= char(1u << (rng() % 8));
        break;
    }
    case 1: {
        kind = "random bytes";
        for (int n = 1 + int(rng() % 8); n > 0; --n)
            bytes[position()] = char(rng() % 256);
        break;
    }
    case 2: {
        kind = "interesting integer";
        static const std::uint64_t values[] = {0, ~0ull, 0x7FFFFFFFull, 0x80000000ull, 0x7FFFFFFFFFFFFFFFull,
            0xFFFFFFFFull, 0x100000000ull, 1ull << 40, 0x8000000000000000ull};
        const std::uint64_t value = values[rng() % (sizeof values / sizeof values[0])];
        const int width = 1 << (rng() % 4); // 1, 2, 4 or 8 bytes
        const bool little = rng() % 2;
        const std::size_t at = position();
        for (int i = 0; i < width && at + std::size_t(i) < size; ++i)
            bytes[at + std::size_t(i)] = char(value >> (8 * (little ? i : width - 1 - i)));
        break;
    }
    case 3: {
        kind = "truncation";
        bytes.resize(rng() % size);
        break;
    }
    default: {
        kind = "duplicated range";
        const std::size_t from = rng() % size;
        const std::size_t length = 1 + rng() % std::min<std::size_t>(size - from, 4096);
        bytes.insert(rng() % (size + 1), valid.substr(from, length));
        break;
    }
    }
    return bytes;
}

struct Target {
    std::string name;
    std::string file; // the path the parser reads (mutations are written here)
    std::function<void()> parse;
    std::string valid; // filled after the fixtures are made
};

struct Tally {
    int counts[6] = {};
    double maxMs = 0;
    long maxRssKb = 0;
    std::vector<std::string> failures; // first few crashes, hangs and OOMs, for the report
};

struct ChildResult {
    Outcome outcome = Accepted;
    int signal = 0;
    double ms = 0;
    long maxRssKb = 0;
};

ChildResult runInChild(const std::function<void()> &parse, int timeLimitMs)
{
    const auto begin = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        rlimit cap {rlim_t(MemoryCapBytes), rlim_t(MemoryCapBytes)};
        setrlimit(RLIMIT_DATA, &cap);
        configureComputeThread(1);
        try {
            parse();
            _exit(Accepted);
        } catch (const std::bad_alloc &) {
            _exit(OutOfMemory);
        } catch (const DataError &) {
            _exit(Refused);
        } catch (const std::exception &) {
            _exit(OtherException);
        } catch (...) {
            _exit(OtherException);
        }
    }
    ChildResult result;
    int status = 0;
    rusage usage {};
    const auto deadline = begin + std::chrono::milliseconds(timeLimitMs);
    for (;;) {
        const pid_t done = wait4(pid, &status, WNOHANG, &usage);
        if (done == pid)
            break;
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            wait4(pid, &status, 0, &usage);
            result.outcome = Hung;
            break;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    result.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count();
    result.maxRssKb = usage.ru_maxrss;
    if (result.outcome != Hung) {
        if (WIFSIGNALED(status)) {
            result.outcome = Crashed;
            result.signal = WTERMSIG(status);
        } else {
            result.outcome = Outcome(WEXITSTATUS(status));
        }
    }
    return result;
}

/** The LfF fixture (train/valid/test of LffImages random 8x8 images, 2 x 2 labels). */
void writeLffFixture(const std::string &dir, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    for (const char *split : {"train", "valid", "test"}) {
        std::vector<std::uint8_t> pixels(std::size_t(LffImages) * LffSide * LffSide * 3);
        for (auto &p : pixels)
            p = std::uint8_t(rng() % 256);
        std::vector<std::int64_t> attrs;
        for (int i = 0; i < LffImages; ++i)
            attrs.insert(attrs.end(), {i % 2, (i / 2) % 2});
        fs::create_directories(dir + "/" + split);
        writeNpyUInt8(dir + "/" + split + "/images.npy", {LffImages, LffSide, LffSide, 3}, pixels);
        writeNpyInt64(dir + "/" + split + "/attrs.npy", {LffImages, 2}, attrs);
    }
}

DebiasConfig tinyConfig(const std::string &lffDir)
{
    DebiasConfig config;
    config.dataset.kind = DatasetKind::LffFolder;
    config.dataset.path = lffDir;
    config.architecture = BranchArchitecture::Mlp;
    config.width = 8;
    config.batchSize = 16;
    config.stage1Epochs = 1;
    config.stage2Epochs = 1;
    config.threads = 1;
    config.probeEveryIterations = 0;
    return config;
}

/** Makes every valid fixture under root; the debias run (torch) happens in a child so the parent stays torch-free. */
void makeFixtures(const std::string &root, std::uint64_t seed)
{
    fs::create_directories(root);
    writeLffFixture(root + "/lff", seed);
    std::mt19937_64 rng(seed);
    std::vector<std::uint8_t> digits(100 * 28 * 28), labels(100);
    for (auto &d : digits)
        d = std::uint8_t(rng() % 256);
    for (std::size_t i = 0; i < labels.size(); ++i)
        labels[i] = std::uint8_t(i % 10);
    writeIdx(root + "/images-idx3-ubyte", {100, 28, 28}, digits);
    writeBytes(root + "/images-idx3-ubyte.gz", gzipStored(readBytes(root + "/images-idx3-ubyte")));

    std::vector<double> rows(5 * 64);
    std::normal_distribution<double> normal;
    for (auto &v : rows)
        v = normal(rng);
    DirectionSet set = DirectionSet::fromMatrix("sefa", Matrix {5, 64, rows}, {5, 4, 3, 2, 1});
    for (auto &direction : set.directions)
        direction.sigma = 0.7;
    set.provenance = {{"seed", "1"}, {"samples", "20000"}};
    saveDirectionSet(set, root + "/directions.json");
    fs::create_directories(root + "/config");
    writeBytes(root + "/config/config.json", configToJson(tinyConfig(root + "/lff")));

    const pid_t pid = fork();
    if (pid == 0) {
        try {
            configureComputeThread(1);
            const DebiasConfig config = tinyConfig(root + "/lff");
            runDebias(config, importLff(config.dataset.path), {}, root + "/run");
            // The two torch files users pass around without a checksum: --generator and --sre.
            selfcheck::writeRandomStyleGenerator(root + "/generator.pt");
            selfcheck::writeRandomScoreNetwork(root + "/estimator.pt", 1, 32, 4, seed);
            _exit(0);
        } catch (const std::exception &error) {
            std::fprintf(stderr, "bench_mutation: cannot make the checkpoint fixture: %s\n", error.what());
            _exit(1);
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        std::exit(2);
}

const char *outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Accepted:
        return "accepted";
    case Refused:
        return "DataError";
    case OtherException:
        return "other exception";
    case OutOfMemory:
        return "memory cap";
    case Crashed:
        return "crash";
    case Hung:
        return "hang";
    }
    return "?";
}

int slot(Outcome outcome)
{
    return outcome == Crashed ? 4 : outcome == Hung ? 5 : int(outcome);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc == 4 && std::string(argv[1]) == "--inspect") {
        // Reproduces one kept failure in-process (for a debugger): bench_mutation --inspect RUN_DIR LFF_DIR.
        configureComputeThread(1);
        RunInspector inspector(argv[2], importLff(argv[3]));
        std::printf("loaded\n");
        return 0;
    }
    if (argc == 3 && std::string(argv[1]) == "--generator") {
        configureComputeThread(1);
        selfcheck::describeGenerator(argv[2]);
        std::printf("loaded\n");
        return 0;
    }
    const int mutations = argc > 1 ? std::atoi(argv[1]) : 1000;
    const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
    const int timeLimitMs = argc > 3 ? std::atoi(argv[3]) : 10000;
    const std::string root = (fs::temp_directory_path() / ("untangle-mutation-" + std::to_string(getpid()))).string();
    makeFixtures(root, seed);

    // The inspector's dataset is read once, here: only the checkpoint and config.json are mutated.
    const BiasedDataset lff = importLff(root + "/lff");
    const std::string run = root + "/run";
    const std::string checkpointPayloadFile = root + "/payload-run/checkpoint.pt";
    fs::create_directories(root + "/payload-run");
    fs::copy_file(run + "/config.json", root + "/payload-run/config.json");
    const std::size_t trailerBytes = withChecksum("").size();

    std::vector<Target> targets = {
        {".npy images (importLff)", root + "/lff/train/images.npy", [&] { importLff(root + "/lff"); }, {}},
        {".npy attrs (importLff)", root + "/lff/train/attrs.npy", [&] { importLff(root + "/lff"); }, {}},
        {"IDX (readIdx)", root + "/images-idx3-ubyte", [&] { readIdx(root + "/images-idx3-ubyte"); }, {}},
        {"IDX gzip (readIdx)", root + "/images-idx3-ubyte.gz", [&] { readIdx(root + "/images-idx3-ubyte.gz"); }, {}},
        {"directions.json", root + "/directions.json", [&] { loadDirectionSet(root + "/directions.json"); }, {}},
        {"config.json (RunFolder::readConfig)", root + "/config/config.json",
            [&] {
                const DebiasConfig config = RunFolder(root + "/config").readConfig();
                if (const std::string problem = validateConfig(config); !problem.empty())
                    throw DataError(problem);
            },
            {}},
        {"generator.pt (loadGenerator)", root + "/generator.pt",
            [&] { selfcheck::describeGenerator(root + "/generator.pt"); }, {}},
        {"estimator.pt (ScoreEncoder)", root + "/estimator.pt", [&] { ScoreEncoder encoder(root + "/estimator.pt"); },
            {}},
        {"checkpoint.pt (RunInspector)", run + "/checkpoint.pt", [&] { RunInspector inspector(run, lff); }, {}},
    };
    for (auto &target : targets)
        target.valid = readBytes(target.file);
    // The checkpoint's torch archive itself, re-sealed with a correct checksum after each mutation: what torch's
    // reader does with damage the CRC-32 would otherwise catch first.
    const std::string payload = targets.back().valid.substr(0, targets.back().valid.size() - trailerBytes);
    writeBytes(checkpointPayloadFile, targets.back().valid);
    targets.push_back({"checkpoint payload, CRC re-sealed", checkpointPayloadFile,
        [&] { RunInspector inspector(root + "/payload-run", lff); }, payload});

    const long parentKb = residentKb();
    std::printf("mutation sweep: %d mutations per parser, seed %llu, %d ms limit, memory cap %ld MiB, parent RSS %ld "
                "MiB\n",
        mutations, static_cast<unsigned long long>(seed), timeLimitMs, MemoryCapBytes >> 20, parentKb >> 10);
    std::printf("%-34s %8s %8s %9s %7s %6s %6s %5s %9s %9s %11s %11s\n", "parser", "bytes", "accepted", "DataError",
        "other", "memcap", "crash", "hang", "max ms", "base ms", "peak RSS", "base RSS");
    bool bad = false;
    for (auto &target : targets) {
        const bool resealed = target.name.find("re-sealed") != std::string::npos;
        auto seal = [&](const std::string &bytes) { return resealed ? withChecksum(bytes) : bytes; };
        writeBytes(target.file, seal(target.valid));
        const ChildResult baseline = runInChild(target.parse, timeLimitMs);
        if (baseline.outcome != Accepted) {
            std::printf(
                "%-34s the valid file was not accepted (%s)\n", target.name.c_str(), outcomeName(baseline.outcome));
            bad = true;
            continue;
        }
        Tally tally;
        std::mt19937_64 rng(seed * 1000003u + std::hash<std::string> {}(target.name));
        for (int i = 0; i < mutations; ++i) {
            std::string kind, mutated;
            do // a mutation that changes nothing (zeros written over zeros) would count as an accepted damaged file
                mutated = mutate(target.valid, rng, kind);
            while (mutated == target.valid);
            writeBytes(target.file, seal(mutated));
            const ChildResult result = runInChild(target.parse, timeLimitMs);
            ++tally.counts[slot(result.outcome)];
            tally.maxMs = std::max(tally.maxMs, result.ms);
            tally.maxRssKb = std::max(tally.maxRssKb, result.maxRssKb);
            if ((result.outcome == Crashed || result.outcome == Hung || result.outcome == OutOfMemory)
                && tally.failures.size() < 5) {
                const std::string keep = target.file + ".failure-" + std::to_string(i);
                fs::copy_file(target.file, keep, fs::copy_options::overwrite_existing);
                tally.failures.push_back("mutation " + std::to_string(i) + " (" + kind
                    + "): " + outcomeName(result.outcome)
                    + (result.signal ? " signal " + std::to_string(result.signal) : std::string()) + ", kept as "
                    + keep);
            }
        }
        writeBytes(target.file, seal(target.valid));
        std::printf("%-34s %8zu %8d %9d %7d %6d %6d %5d %9.1f %9.1f %11.1f %11.1f\n", target.name.c_str(),
            target.valid.size(), tally.counts[0], tally.counts[1], tally.counts[2], tally.counts[3], tally.counts[4],
            tally.counts[5], tally.maxMs, baseline.ms, tally.maxRssKb / 1024.0, baseline.maxRssKb / 1024.0);
        for (const auto &failure : tally.failures)
            std::printf("    %s\n", failure.c_str());
        std::fflush(stdout);
        if (resealed && (tally.counts[4] || tally.counts[5]))
            std::printf("    (not counted in the exit status: torch's own archive reader on input that only a forged "
                        "checksum lets through)\n");
        else
            bad = bad || tally.counts[3] || tally.counts[4] || tally.counts[5];
    }
    if (!bad) {
        std::error_code error;
        fs::remove_all(root, error);
    } else {
        std::printf("fixtures and failing inputs kept in %s\n", root.c_str());
    }
    return bad ? 1 : 0;
}
