// The DeNetDM CNN branch pair (ResNet-20 deep, 3-conv shallow), checked through its torch-free probe.

#include "cnnbranchinfo.h" // std-only facade: this Qt translation unit must not parse torch headers

#include <QtTest>

using namespace untangle;

namespace {

constexpr int Batch = 4; // train-mode BatchNorm needs >1 value per channel; small keeps the test quick
constexpr std::uint64_t Seed = 7; // any fixed seed: the facts below hold for every seed
constexpr std::int64_t Features = 64; // both branches end in 64-d features (docs/methods/denetdm.md §2.1)

// ResNet-20 on 3 channels, option-A shortcuts (no shortcut parameters), bias-free convs, BN = 2 params per channel:
//   stem   conv 3*16*9 = 432 + bn 32                                          =     464
//   stage1 3 x (2 * 16*16*9 + 2*32)  = 3 x 4,672                              =  14,016
//   stage2 (16*32*9 + 32*32*9 + 128) + 2 x (2 * 32*32*9 + 128) = 13,952 + 37,120 = 51,072
//   stage3 (32*64*9 + 64*64*9 + 256) + 2 x (2 * 64*64*9 + 256) = 55,552 + 147,968 = 203,520
//   total 269,072 = the familiar 269,722 of resnet20 minus its Linear(64->10) (650).
constexpr std::int64_t ResNet20Params = 269072;
constexpr std::int64_t ResNet20StemPerChannel = 16 * 9; // the stem conv's weights per input channel

// Shallow CNN on 3 channels, convs with bias (PyTorch default), BN = 2 params per channel:
//   conv1 3*32*25 + 32 = 2,432 + bn 64; conv2 32*64*25 + 64 = 51,264 + bn 128; conv3 64*64*25 + 64 = 102,464 + bn 128
//   total 156,480.
constexpr std::int64_t ShallowParams = 156480;
constexpr std::int64_t ShallowStemPerChannel = 32 * 25;

// Three buffers per BatchNorm (running_mean, running_var, num_batches_tracked): ResNet-20 has 1 + 18 BNs, shallow 3.
constexpr std::int64_t ResNet20Buffers = 19 * 3;
constexpr std::int64_t ShallowBuffers = 3 * 3;

} // namespace

class TestCnnBranches : public QObject {
    Q_OBJECT

private slots:
    void probe_data();
    void probe();
    void parameterCountFollowsChannels();
    void seedDeterminesWeights();
};

void TestCnnBranches::probe_data()
{
    QTest::addColumn<bool>("deep");
    QTest::addColumn<int>("side");
    QTest::addColumn<qint64>("parameters");
    QTest::addColumn<qint64>("buffers");

    QTest::newRow("resnet20 28x28") << true << 28 << qint64(ResNet20Params) << qint64(ResNet20Buffers);
    QTest::newRow("resnet20 32x32") << true << 32 << qint64(ResNet20Params) << qint64(ResNet20Buffers);
    // Padding only changes on 28x28 (third conv sees 4x4 and pads), and padding has no parameters.
    QTest::newRow("shallow 28x28") << false << 28 << qint64(ShallowParams) << qint64(ShallowBuffers);
    QTest::newRow("shallow 32x32") << false << 32 << qint64(ShallowParams) << qint64(ShallowBuffers);
}

void TestCnnBranches::probe()
{
    QFETCH(bool, deep);
    QFETCH(int, side);
    QFETCH(qint64, parameters);
    QFETCH(qint64, buffers);

    const BranchProbe probe = probeCnnBranch(deep, 3, side, side, Batch, Seed);
    QCOMPARE(probe.parameterCount, parameters);
    QCOMPARE(probe.bufferCount, buffers);
    QCOMPARE(probe.outputShape, (std::vector<std::int64_t> {Batch, Features}));
    QVERIFY(probe.finite);
    QVERIFY(probe.gradientsFinite);
    QVERIFY(probe.evalDeterministic);
    QVERIFY2(probe.roundTripIdentical, "save/load must carry every parameter and BatchNorm buffer");
}

void TestCnnBranches::parameterCountFollowsChannels()
{
    // Only the first conv sees the input channels; a grey (1-channel) input drops two channels' worth of it.
    QCOMPARE(probeCnnBranch(true, 1, 28, 28, Batch, Seed).parameterCount, ResNet20Params - 2 * ResNet20StemPerChannel);
    QCOMPARE(probeCnnBranch(false, 1, 28, 28, Batch, Seed).parameterCount, ShallowParams - 2 * ShallowStemPerChannel);
}

void TestCnnBranches::seedDeterminesWeights()
{
    for (bool deep : {true, false}) {
        const double first = probeCnnBranch(deep, 3, 28, 28, Batch, Seed).evalOutputSum;
        QCOMPARE(probeCnnBranch(deep, 3, 28, 28, Batch, Seed).evalOutputSum, first);
        QVERIFY(probeCnnBranch(deep, 3, 28, 28, Batch, Seed + 1).evalOutputSum != first);
    }
}

QTEST_GUILESS_MAIN(TestCnnBranches)
#include "tst_cnnbranches.moc"
