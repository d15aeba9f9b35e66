// SeFa and GANSpace on matrices whose answer is known: a weight built from chosen orthonormal directions and
// singular values, samples stretched along chosen axes.
#include "directions/latentdirections.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace untangle;

namespace {

constexpr int Latent = 6;

/** An orthonormal basis of R^Latent from Gram-Schmidt on seeded random vectors (rows). */
std::vector<std::vector<double>> orthonormalBasis(unsigned seed)
{
    std::mt19937 engine(seed);
    std::normal_distribution<double> normal;
    std::vector<std::vector<double>> basis;
    while (int(basis.size()) < Latent) {
        std::vector<double> v(Latent);
        for (double &x : v)
            x = normal(engine);
        for (const auto &b : basis) {
            double dot = 0;
            for (int i = 0; i < Latent; ++i)
                dot += v[i] * b[i];
            for (int i = 0; i < Latent; ++i)
                v[i] -= dot * b[i];
        }
        double norm = 0;
        for (double x : v)
            norm += x * x;
        norm = std::sqrt(norm);
        for (double &x : v)
            x /= norm;
        basis.push_back(v);
    }
    return basis;
}

double absDot(const Matrix &directions, int row, const std::vector<double> &v)
{
    double dot = 0;
    for (int i = 0; i < directions.cols; ++i)
        dot += directions.at(row, i) * v[i];
    return std::abs(dot);
}

} // namespace

class TstLatentDirections : public QObject {
    Q_OBJECT

private slots:
    void sefaReturnsTheSortedRightSingularVectors()
    {
        // A = sum_i s_i u_i v_i^T with known right singular vectors v_i: A^T A has eigenvectors v_i, eigenvalues s_i^2.
        const auto v = orthonormalBasis(1), u = orthonormalBasis(2);
        const std::vector<double> singular = {0.5, 4.0, 1.0, 3.0, 0.1, 2.0};
        Matrix a {Latent, Latent, std::vector<double>(Latent * Latent, 0.0)};
        for (int i = 0; i < Latent; ++i)
            for (int r = 0; r < Latent; ++r)
                for (int c = 0; c < Latent; ++c)
                    a.values[r * Latent + c] += singular[i] * u[i][r] * v[i][c];
        const LatentDirections d = sefaDirections(a, 3);
        QCOMPARE(d.directions.rows, 3);
        QCOMPARE(d.directions.cols, Latent);
        // Largest first: s = 4, 3, 2 -> eigenvalues 16, 9, 4, along v[1], v[3], v[5].
        const int expected[3] = {1, 3, 5};
        for (int k = 0; k < 3; ++k) {
            QVERIFY(std::abs(d.scores[k] - singular[expected[k]] * singular[expected[k]]) < 1e-9);
            QVERIFY(absDot(d.directions, k, v[expected[k]]) > 1.0 - 1e-9);
        }
    }

    void directionsAreOrthonormalWithAFixedSign()
    {
        Matrix a {8, Latent, {}};
        std::mt19937 engine(7);
        std::normal_distribution<double> normal;
        for (int i = 0; i < 8 * Latent; ++i)
            a.values.push_back(normal(engine));
        const LatentDirections d = sefaDirections(a, Latent);
        for (int i = 0; i < Latent; ++i) {
            double largest = 0;
            for (int j = 0; j < Latent; ++j) {
                double dot = 0;
                for (int c = 0; c < Latent; ++c)
                    dot += d.directions.at(i, c) * d.directions.at(j, c);
                QVERIFY(std::abs(dot - (i == j ? 1.0 : 0.0)) < 1e-9);
                if (std::abs(d.directions.at(i, j)) > std::abs(largest))
                    largest = d.directions.at(i, j);
            }
            QVERIFY(largest > 0); // the sign rule: largest-magnitude component positive
            if (i > 0)
                QVERIFY(d.scores[i] <= d.scores[i - 1]);
        }
    }

    void ganspaceFindsTheStretchedAxes()
    {
        // Samples with std 5 along b[2], 2 along b[0], 0.5 elsewhere.
        const auto b = orthonormalBasis(3);
        std::mt19937 engine(11);
        std::normal_distribution<double> normal;
        const int n = 20000;
        Matrix samples {n, Latent, {}};
        for (int s = 0; s < n; ++s) {
            std::vector<double> x(Latent, 0.0);
            for (int axis = 0; axis < Latent; ++axis) {
                const double std = axis == 2 ? 5.0 : axis == 0 ? 2.0 : 0.5;
                const double amount = std * normal(engine);
                for (int i = 0; i < Latent; ++i)
                    x[i] += amount * b[axis][i];
            }
            samples.values.insert(samples.values.end(), x.begin(), x.end());
        }
        const LatentDirections d = ganspaceDirections(samples, 2);
        QVERIFY(absDot(d.directions, 0, b[2]) > 0.999);
        QVERIFY(absDot(d.directions, 1, b[0]) > 0.999);
        QVERIFY(std::abs(d.scores[0] - 5.0) < 0.1);
        QVERIFY(std::abs(d.scores[1] - 2.0) < 0.05);
        QVERIFY(std::abs(principalStdRatio(samples) - 2.5) < 0.1);
    }

    void badInputIsAClearError()
    {
        Matrix a {2, 2, {1, 0, 0, 1}};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sefaDirections(a, 3)); // k larger than the latent
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sefaDirections(a, 0));
        Matrix broken {2, 3, {1, 2, 3}};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sefaDirections(broken, 1));
        Matrix one {1, 2, {1, 2}};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ganspaceDirections(one, 1));
        try {
            sefaDirections(a, 3);
        } catch (const std::invalid_argument &error) {
            QVERIFY(QString(error.what()).contains("latent of size 2"));
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, randomDirections(4, 5, 0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, randomDirections(4, 0, 0));
    }

    void randomDirectionsAreOrthonormalAndSeeded()
    {
        constexpr int Size = 32, K = 10;
        const LatentDirections a = randomDirections(Size, K, 7);
        QCOMPARE(a.method, std::string("random"));
        QCOMPARE(a.directions.rows, K);
        QCOMPARE(a.directions.cols, Size);
        QCOMPARE(int(a.scores.size()), K);
        // Q^T Q = I: the rows are orthonormal.
        for (int i = 0; i < K; ++i)
            for (int j = 0; j < K; ++j) {
                double dot = 0.0;
                for (int c = 0; c < Size; ++c)
                    dot += a.directions.at(i, c) * a.directions.at(j, c);
                QVERIFY2(std::abs(dot - (i == j ? 1.0 : 0.0)) < 1e-5, qPrintable(QString::number(dot)));
            }
        // The same seed gives the same directions (sign fixed), another seed other ones.
        QVERIFY(randomDirections(Size, K, 7).directions.values == a.directions.values);
        const LatentDirections b = randomDirections(Size, K, 8);
        double difference = 0.0;
        for (std::size_t i = 0; i < a.directions.values.size(); ++i)
            difference = std::max(difference, std::abs(a.directions.values[i] - b.directions.values[i]));
        QVERIFY(difference > 0.1);
        // A full basis is still orthonormal.
        const LatentDirections full = randomDirections(6, 6, 1);
        QCOMPARE(full.directions.rows, 6);
    }
};

QTEST_GUILESS_MAIN(TstLatentDirections)
#include "tst_latentdirections.moc"
