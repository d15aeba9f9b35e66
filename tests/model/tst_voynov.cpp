// Voynov-Babenko direction discovery (docs/methods/sre.md §2.3, §7.3) on a tiny random generator: a short run
// returns K orthonormal directions of the style size, sorted by the reconstructor's accuracy; bad K is refused clearly.
#include "dataerror.h"
#include "directions/voynovdiscovery.h"
#include "selfcheck/latentselfcheck.h"
#include "selfcheck/sreselfcheck.h"

#include <QtTest>

#include <filesystem>

using namespace untangle;

class TstVoynov : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_generator;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_generator = (std::filesystem::path(m_dir.path().toStdString()) / "generator.pt").string();
        selfcheck::writeRandomStyleGenerator(m_generator);
    }

    void shortRunReturnsSortedOrthonormalDirections()
    {
        VoynovConfig config;
        config.generatorPath = m_generator;
        config.directions = 3;
        config.steps = 40;
        config.batch = 16;
        config.learningRate = 1e-3;
        config.logEvery = 10;
        config.evaluationSamples = 16;
        std::vector<VoynovLog> logs;
        int reports = 0;
        const auto set = discoverVoynovDirections(
            config, [&](double, const std::string &) { return ++reports > 0; },
            [&](const VoynovLog &log) { logs.push_back(log); });
        QCOMPARE(reports, 40);
        QCOMPARE(int(logs.size()), 4);
        QCOMPARE(logs.back().step, 40);
        QCOMPARE(set.method, std::string("voynov"));
        QCOMPARE(set.count(), 3);
        QCOMPARE(set.styleSize, 8);
        QVERIFY(selfcheck::rowOrthonormalityError(set.matrix().values, 3, 8) < 1e-5);
        for (int k = 0; k < 3; ++k) {
            QVERIFY(set.directions[std::size_t(k)].sigma > 0.0);
            QVERIFY(set.directions[std::size_t(k)].score >= 0.0 && set.directions[std::size_t(k)].score <= 1.0);
            if (k > 0)
                QVERIFY(set.directions[std::size_t(k - 1)].score >= set.directions[std::size_t(k)].score);
        }
        // Initialised from the first K axes with tiny noise, and 40 steps at 1e-3 move them only a little: each
        // direction is still near one of the axes (so the sort permuted the deformator's columns, nothing else).
        for (const auto &direction : set.directions) {
            double largest = 0.0;
            for (double v : direction.vector)
                largest = std::max(largest, std::abs(v));
            QVERIFY(largest > 0.8);
        }
    }

    void badDirectionCountIsRefused()
    {
        VoynovConfig config;
        config.generatorPath = m_generator;
        config.steps = 1;
        config.directions = 9; // style size is 8
        try {
            discoverVoynovDirections(config);
            QFAIL("9 directions in an 8-dimensional style space were accepted");
        } catch (const std::invalid_argument &error) {
            QVERIFY2(std::string(error.what()).find("1 to 8 directions") != std::string::npos, error.what());
        }
        config.directions = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, discoverVoynovDirections(config));
        config.directions = 2;
        config.generatorPath = m_generator + ".missing";
        QVERIFY_THROWS_EXCEPTION(DataError, discoverVoynovDirections(config));
    }

    void stopRequestCancels()
    {
        VoynovConfig config;
        config.generatorPath = m_generator;
        config.directions = 2;
        config.steps = 50;
        config.batch = 4;
        int reports = 0;
        QVERIFY_THROWS_EXCEPTION(
            Cancelled, discoverVoynovDirections(config, [&](double, const std::string &) { return ++reports < 3; }));
        QCOMPARE(reports, 3);
    }
};

QTEST_GUILESS_MAIN(TstVoynov)
#include "tst_voynov.moc"
