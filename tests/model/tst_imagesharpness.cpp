// laplacianEnergy: what the coverage reports' sharpness is made of. A blur must lower it, a flat image has none,
// colour edges count by their luminance, and malformed batches are refused with a message, not read out of bounds.
#include "common/imagesharpness.h"
#include "scenesrenderer.h"
#include "tinygan.h"

#include <QtTest>

#include <opencv2/imgproc.hpp>

#include <stdexcept>
#include <vector>

using namespace untangle;

namespace {

constexpr int Size = 32;

/** A white square on black, 1 channel, in [-1, 1]. */
std::vector<float> squareImage()
{
    std::vector<float> image(Size * Size, -1.0f);
    for (int y = 10; y < 22; ++y)
        for (int x = 8; x < 24; ++x)
            image[std::size_t(y * Size + x)] = 1.0f;
    return image;
}

std::vector<float> blurred(const std::vector<float> &plane, int kernel)
{
    cv::Mat source(Size, Size, CV_32F, const_cast<float *>(plane.data())), out;
    cv::blur(source, out, cv::Size(kernel, kernel), cv::Point(-1, -1), cv::BORDER_REPLICATE);
    return std::vector<float>(out.ptr<float>(), out.ptr<float>() + Size * Size);
}

/** The std::invalid_argument message of call (tinygan.h's helper), as a QString to search. */
template <typename Call> QString messageOf(Call call)
{
    return QString::fromStdString(test::invalidArgumentOf(call));
}

} // namespace

class TstImageSharpness : public QObject {
    Q_OBJECT

private slots:
    void flatImagesHaveNoEnergy()
    {
        const std::vector<float> flat(2 * Size * Size, 0.3f);
        QCOMPARE(laplacianEnergy(flat.data(), flat.size(), 2, 1, Size), 0.0);
    }

    void blurLowersTheEnergy()
    {
        const auto sharp = squareImage();
        const double crisp = laplacianEnergy(sharp.data(), sharp.size(), 1, 1, Size);
        const auto soft = blurred(sharp, 3);
        const auto softer = blurred(sharp, 5);
        const double blur3 = laplacianEnergy(soft.data(), soft.size(), 1, 1, Size);
        const double blur5 = laplacianEnergy(softer.data(), softer.size(), 1, 1, Size);
        QVERIFY(crisp > 0.0);
        QVERIFY2(blur3 < 0.5 * crisp, qPrintable(QString("%1 vs %2").arg(blur3).arg(crisp)));
        QVERIFY(blur5 < blur3);
    }

    void batchEnergyIsTheMeanOverImages()
    {
        auto batch = squareImage();
        const std::vector<float> flat(Size * Size, -1.0f);
        batch.insert(batch.end(), flat.begin(), flat.end());
        const auto one = squareImage();
        const double single = laplacianEnergy(one.data(), one.size(), 1, 1, Size);
        QVERIFY(std::abs(laplacianEnergy(batch.data(), batch.size(), 2, 1, Size) - 0.5 * single) < 1e-9 * single);
    }

    void colourEdgesCountByLuminance()
    {
        // The square drawn in the red channel only: its luminance edge is 0.299 of the grey square's, energy 0.299^2.
        const auto grey = squareImage();
        std::vector<float> rgb(3 * Size * Size, 0.0f);
        std::copy(grey.begin(), grey.end(), rgb.begin());
        const double greyEnergy = laplacianEnergy(grey.data(), grey.size(), 1, 1, Size);
        const double redEnergy = laplacianEnergy(rgb.data(), rgb.size(), 1, 3, Size);
        QVERIFY2(std::abs(redEnergy / greyEnergy - 0.299 * 0.299) < 1e-4, qPrintable(QString::number(redEnergy)));
    }

    void blurredScenesReadBlurrier()
    {
        // Real scene renders against the same renders blurred: the measure the Scenes report reads must see it.
        std::vector<float> renders, soft;
        for (int i = 0; i < 8; ++i) {
            SceneFactors factors;
            for (int f = 0; f < SceneFactorCount; ++f)
                factors.setIndex(SceneFactor(f), (i * 3 + f) % SceneFactorSizes[f]);
            const auto image = renderScene(factors, Size);
            for (int c = 0; c < 3; ++c) {
                std::vector<float> plane(Size * Size);
                for (int p = 0; p < Size * Size; ++p)
                    plane[std::size_t(p)] = float(image.bytes[std::size_t(p * 3 + c)]) / 127.5f - 1.0f;
                renders.insert(renders.end(), plane.begin(), plane.end());
                const auto b = blurred(plane, 3);
                soft.insert(soft.end(), b.begin(), b.end());
            }
        }
        const double real = laplacianEnergy(renders.data(), renders.size(), 8, 3, Size);
        const double blur = laplacianEnergy(soft.data(), soft.size(), 8, 3, Size);
        QVERIFY(real > 0.0);
        QVERIFY2(blur < 0.7 * real, qPrintable(QString("%1 vs %2").arg(blur).arg(real)));
    }

    void malformedBatchesAreRefused()
    {
        const auto image = squareImage();
        QVERIFY(messageOf([&] { laplacianEnergy(image.data(), image.size(), 0, 1, Size); }).contains("at least one"));
        QVERIFY(messageOf([&] { laplacianEnergy(image.data(), image.size(), 1, 2, Size); }).contains("2"));
        QVERIFY(messageOf([&] { laplacianEnergy(image.data(), 4, 1, 1, 2); }).contains("3x3"));
        QVERIFY(messageOf([&] { laplacianEnergy(image.data(), image.size(), 2, 1, Size); }).contains("values"));
        QVERIFY(messageOf([&] { laplacianEnergy(image.data(), image.size(), 1, 3, Size); }).contains("values"));
        QVERIFY(messageOf([&] { laplacianEnergy(nullptr, image.size(), 1, 1, Size); }).contains("values"));
    }
};

QTEST_GUILESS_MAIN(TstImageSharpness)
#include "tst_imagesharpness.moc"
