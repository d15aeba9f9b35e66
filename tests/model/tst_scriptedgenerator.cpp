// TorchScript generators: modules built in C++ (no Python) and opened through loadGenerator, good ones rendering
// the shapes they declare and bad ones refused at load with a message that names the file and the problem.
#include "dataerror.h"
#include "dataerrorof.h"
#include "selfcheck/latentselfcheck.h"
#include "selfcheck/scriptselfcheck.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <fstream>

using namespace untangle;
using untangle::test::dataErrorOf;
namespace sc = untangle::selfcheck;

namespace {

constexpr int Latent = 8;
constexpr int Style = 6;
constexpr int Side = 16;

/** z (B, 8) -> tanh(z W) as (B, 1, 16, 16): the smallest honest image generator. */
const char *GreyForward = R"(
def forward(self, z):
    return torch.tanh(torch.matmul(z, self.weight)).reshape([z.size(0), 1, 16, 16])
)";

/** z -> w (B, 6) -> RGB (B, 3, 16, 16), with the SeFa weight exposed as a method. */
const char *StyleMethods = R"(
def mapping(self, z):
    return torch.tanh(torch.matmul(z, self.map_weight)) * 2.0

def synthesis(self, w):
    return torch.tanh(torch.matmul(w, self.syn_weight)).reshape([w.size(0), 3, 16, 16])

def forward(self, z):
    return self.synthesis(self.mapping(z))

def sefa_weight(self):
    return self.syn_weight.t()
)";

sc::ScriptModuleSpec greyModule()
{
    sc::ScriptModuleSpec spec;
    spec.source = GreyForward;
    spec.intAttributes = {{"latent_size", Latent}};
    spec.parameters = {{"weight", {Latent, Side * Side}}};
    return spec;
}

sc::ScriptModuleSpec styleModule()
{
    sc::ScriptModuleSpec spec;
    spec.source = StyleMethods;
    spec.intAttributes = {{"z_dim", Latent}};
    spec.parameters = {{"map_weight", {Latent, Style}}, {"syn_weight", {Style, 3 * Side * Side}}};
    return spec;
}

} // namespace

class TstScriptedGenerator : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::string pathOf(const char *name) const { return m_dir.filePath(name).toStdString(); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void greyModuleLoadsAndRendersItsShape()
    {
        const auto path = pathOf("grey.pt");
        sc::writeScriptModule(path, greyModule());
        const auto facts = sc::describeGenerator(path);
        QCOMPARE(facts.latentSize, Latent);
        QCOMPARE(facts.styleSize, Latent); // no mapping: directions live in z
        QCOMPARE(facts.resolution, Side);
        QCOMPARE(facts.channels, 1);
        QVERIFY(!facts.hasStyleSpace);
        QCOMPARE(facts.sefaRows, 0);
        QVERIFY(facts.description.find("TorchScript") != std::string::npos);

        const auto images = sc::renderGenerator(path, 0, 3, 11);
        QCOMPARE(images.size(), std::size_t(3 * Side * Side));
        const auto [low, high] = std::minmax_element(images.begin(), images.end());
        QVERIFY(*low >= -1.0f && *high <= 1.0f);
        QVERIFY(*high - *low > 0.5f); // a real image, not a constant
        QCOMPARE(sc::renderGenerator(path, 0, 3, 11), images); // seeded: the same z gives the same images
        QVERIFY(sc::renderGenerator(path, 0, 3, 12) != images);
    }

    void fingerprintsTellModulesApart()
    {
        // What direction files record: the same file read twice, or a copy, is the same generator; other weights
        // are not.
        const auto grey = pathOf("fingerprint-grey.pt"), style = pathOf("fingerprint-style.pt");
        sc::writeScriptModule(grey, greyModule());
        sc::writeScriptModule(style, styleModule());
        const std::string first = sc::describeGenerator(grey).fingerprint;
        QCOMPARE(int(first.size()), 16);
        QCOMPARE(sc::describeGenerator(grey).fingerprint, first);
        QVERIFY(QFile::copy(QString::fromStdString(grey), QString::fromStdString(pathOf("fingerprint-copy.pt"))));
        QCOMPARE(sc::describeGenerator(pathOf("fingerprint-copy.pt")).fingerprint, first);
        QVERIFY(sc::describeGenerator(style).fingerprint != first);
    }

    void mappingAndSynthesisGiveAStyleSpace()
    {
        const auto path = pathOf("style.pt");
        sc::writeScriptModule(path, styleModule());
        const auto facts = sc::describeGenerator(path);
        QCOMPARE(facts.latentSize, Latent); // from z_dim
        QCOMPARE(facts.styleSize, Style); // from the probe of mapping
        QCOMPARE(facts.channels, 3);
        QCOMPARE(facts.resolution, Side);
        QVERIFY(facts.hasStyleSpace);
        QCOMPARE(facts.sefaRows, 3 * Side * Side); // sefa_weight() is (outputs x styleSize)
        QCOMPARE(sc::renderGenerator(path, 0, 2, 5).size(), std::size_t(2 * 3 * Side * Side));
        // SRE's direction step back-propagates into w through the frozen module.
        QVERIFY(sc::synthesisGradientNorm(path, 0) > 1e-3);

        // The SeFa weight may also be a plain tensor attribute instead of a method.
        auto attribute = styleModule();
        attribute.source = attribute.source.substr(0, attribute.source.find("def sefa_weight"));
        attribute.parameters.push_back({"sefa_weight", {10, Style}});
        sc::writeScriptModule(pathOf("attribute.pt"), attribute);
        QCOMPARE(sc::describeGenerator(pathOf("attribute.pt")).sefaRows, 10);
    }

    void latentSizeComesFromAnyAttributeOrTheHint()
    {
        for (const char *name : {"latent_size", "z_dim", "latent_dim"}) {
            auto spec = greyModule();
            spec.intAttributes = {{name, Latent}};
            const auto path = pathOf("named.pt");
            sc::writeScriptModule(path, spec);
            QCOMPARE(sc::describeGenerator(path).latentSize, Latent);
        }
        auto spec = greyModule();
        spec.intAttributes.clear();
        const auto path = pathOf("unnamed.pt");
        sc::writeScriptModule(path, spec);
        QCOMPARE(sc::describeGenerator(path, Latent).latentSize, Latent);

        const auto missing = dataErrorOf([&] { sc::describeGenerator(path); });
        QVERIFY2(missing.contains(QString::fromStdString(path)), qPrintable(missing));
        QVERIFY2(
            missing.contains("does not say its latent size") && missing.contains("latent_size"), qPrintable(missing));
    }

    void badLatentSizesAreRefused()
    {
        auto floatSize = greyModule();
        floatSize.intAttributes.clear();
        floatSize.floatAttributes = {{"z_dim", 8.0}};
        sc::writeScriptModule(pathOf("float.pt"), floatSize);
        const auto typed = dataErrorOf([&] { sc::describeGenerator(pathOf("float.pt")); });
        QVERIFY2(typed.contains("z_dim is a Double") && typed.contains("must be an int"), qPrintable(typed));

        sc::writeScriptModule(pathOf("grey.pt"), greyModule());
        const auto conflict = dataErrorOf([&] { sc::describeGenerator(pathOf("grey.pt"), 5); });
        QVERIFY2(conflict.contains("latent_size is 8 but latent size 5 was given"), qPrintable(conflict));

        auto wrong = greyModule();
        wrong.intAttributes = {{"latent_size", 5}}; // the weight expects 8
        sc::writeScriptModule(pathOf("wrong.pt"), wrong);
        const auto probe = dataErrorOf([&] { sc::describeGenerator(pathOf("wrong.pt")); });
        QVERIFY2(probe.contains("forward failed on a probe batch z (latent size 5)"), qPrintable(probe));
        QVERIFY2(probe.contains("[2, 5]"), qPrintable(probe));
    }

    void badOutputsAreRefusedWithTheReason_data()
    {
        QTest::addColumn<QString>("body"); // forward's return expression, given z and self.weight (8 x 256)
        QTest::addColumn<QString>("expected"); // a fragment the message must contain
        QTest::newRow("flat") << "torch.matmul(z, self.weight)[:, :5]"
                              << "forward returned shape [2, 5] but an image batch NCHW was expected";
        QTest::newRow("out of range") << "(torch.matmul(z, self.weight) * 0.0 + 3.2).reshape([z.size(0), 1, 16, 16])"
                                      << "values reach 3.2, outside [-1, 1]";
        QTest::newRow("five channels")
            << "torch.tanh(torch.matmul(z, self.weight))[:, :80].reshape([z.size(0), 5, 4, 4])"
            << "5 channels, but 1 (grey) or 3 (RGB)";
        QTest::newRow("not square") << "torch.tanh(torch.matmul(z, self.weight)).reshape([z.size(0), 1, 8, 32])"
                                    << "images must be square";
        QTest::newRow("too small") << "torch.tanh(torch.matmul(z, self.weight))[:, :16].reshape([z.size(0), 1, 4, 4])"
                                   << "at least 8 pixels";
        QTest::newRow("batch merged") << "torch.tanh(torch.matmul(z, self.weight)).reshape([1, 2, 16, 16])"
                                      << "the batch dimension must come first";
        QTest::newRow("nan") << "torch.sqrt(torch.matmul(z, self.weight) * 0.0 - 1.0).reshape([z.size(0), 1, 16, 16])"
                             << "NaN or infinite";
        QTest::newRow("tuple") << "(torch.tanh(torch.matmul(z, self.weight)), z)"
                               << "forward returned a Tuple, not a tensor";
        QTest::newRow("integer") << "torch.zeros([z.size(0), 1, 16, 16]).long()"
                                 << "not floating point";
    }

    void badOutputsAreRefusedWithTheReason()
    {
        QFETCH(QString, body);
        QFETCH(QString, expected);
        auto spec = greyModule();
        spec.source = "def forward(self, z):\n    return " + body.toStdString() + "\n";
        const auto path = pathOf("bad.pt");
        sc::writeScriptModule(path, spec);
        const auto message = dataErrorOf([&] { sc::describeGenerator(path); });
        QVERIFY2(message.startsWith("TorchScript generator " + QString::fromStdString(path)), qPrintable(message));
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void halfAStyleSpaceIsRefused()
    {
        auto spec = styleModule();
        spec.source = R"(
def mapping(self, z):
    return torch.matmul(z, self.map_weight)

def forward(self, z):
    return torch.tanh(torch.matmul(self.mapping(z), self.syn_weight)).reshape([z.size(0), 3, 16, 16])
)";
        sc::writeScriptModule(pathOf("half.pt"), spec);
        const auto message = dataErrorOf([&] { sc::describeGenerator(pathOf("half.pt")); });
        QVERIFY2(message.contains("has mapping but no synthesis"), qPrintable(message));
    }

    void mismatchedSynthesisAndSefaWeightAreRefused()
    {
        // synthesis at a different resolution than forward
        auto shapes = styleModule();
        shapes.source = R"(
def mapping(self, z):
    return torch.matmul(z, self.map_weight)

def synthesis(self, w):
    return torch.tanh(torch.matmul(w, self.syn_weight)).reshape([w.size(0), 3, 16, 16])

def forward(self, z):
    return torch.tanh(torch.matmul(self.mapping(z), self.syn_weight)).reshape([z.size(0), 12, 8, 8])[:, :3]
)";
        sc::writeScriptModule(pathOf("shapes.pt"), shapes);
        const auto shapeMessage = dataErrorOf([&] { sc::describeGenerator(pathOf("shapes.pt")); });
        QVERIFY2(shapeMessage.contains("synthesis(mapping(z)) returned shape [2, 3, 16, 16] but forward(z) returned "
                                       "[2, 3, 8, 8]"),
            qPrintable(shapeMessage));

        auto sefa = styleModule();
        sefa.source = std::string(StyleMethods)
                          .replace(std::string(StyleMethods).find("self.syn_weight.t()"),
                              std::string("self.syn_weight.t()").size(), "self.syn_weight");
        sc::writeScriptModule(pathOf("sefa.pt"), sefa);
        const auto sefaMessage = dataErrorOf([&] { sc::describeGenerator(pathOf("sefa.pt")); });
        QVERIFY2(sefaMessage.contains("sefa_weight has shape [6, 768] but (outputs, 6) was expected"),
            qPrintable(sefaMessage));
    }

    void filesThatAreNotModulesSayWhatWasExpected()
    {
        const auto text = pathOf("notes.pt");
        std::ofstream(text) << "this is not a network\n";
        const auto message = dataErrorOf([&] { sc::describeGenerator(text); });
        QVERIFY2(message.startsWith(QString::fromStdString(text)), qPrintable(message));
        QVERIFY2(
            message.contains("neither a built-in Untangle generator nor a TorchScript module"), qPrintable(message));

        // A truncated export: half of a good module's bytes.
        const auto good = pathOf("good.pt");
        sc::writeScriptModule(good, greyModule());
        std::ifstream in(good, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto truncated = pathOf("truncated.pt");
        std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
        const auto cut = dataErrorOf([&] { sc::describeGenerator(truncated); });
        QVERIFY2(cut.contains("neither a built-in Untangle generator nor a TorchScript module"), qPrintable(cut));

        const auto empty = pathOf("empty.pt");
        std::ofstream(empty, std::ios::binary).flush();
        QVERIFY(dataErrorOf([&] { sc::describeGenerator(empty); }).contains("nor a TorchScript module"));

        QVERIFY(dataErrorOf([&] { sc::describeGenerator(pathOf("missing.pt")); }).contains("does not exist"));
    }

    void aModuleWithoutForwardIsRefused()
    {
        sc::ScriptModuleSpec spec;
        spec.source = "def render(self, z):\n    return z\n";
        spec.intAttributes = {{"latent_size", Latent}};
        sc::writeScriptModule(pathOf("noforward.pt"), spec);
        const auto message = dataErrorOf([&] { sc::describeGenerator(pathOf("noforward.pt")); });
        QVERIFY2(message.contains("has no forward(z) method"), qPrintable(message));
    }

    void builtInGeneratorsStillLoad()
    {
        const auto path = pathOf("builtin.pt");
        sc::TinyGenerator tiny;
        sc::writeRandomStyleGenerator(path, tiny);
        const auto facts = sc::describeGenerator(path);
        QVERIFY(facts.description.find("built-in") != std::string::npos);
        QCOMPARE(facts.resolution, tiny.resolution);
        QVERIFY(facts.sefaRows > 0);
    }
};

QTEST_GUILESS_MAIN(TstScriptedGenerator)
#include "tst_scriptedgenerator.moc"
