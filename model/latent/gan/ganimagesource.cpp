#include "gan/ganimagesource.h"

#include "factors/worldimages.h"
#include "scenesrenderer.h"
#include "sprites/spritefactornet.h"
#include "spritesrenderer.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <numeric>
#include <random>
#include <stdexcept>

namespace untangle {

namespace {

constexpr int SceneRenderThreads = 1; // the training thread's own: torch's intra-op threads already take the cores

std::uint64_t batchSeed(std::uint64_t seed, std::int64_t iteration)
{
    return seed * 0x9E3779B97F4A7C15ull + std::uint64_t(iteration) * 0xBF58476D1CE4E5B9ull + 1;
}

/** n uniformly drawn scenes, the factors outside `varied` held. */
std::vector<SceneFactors> drawScenes(int n, unsigned varied, std::mt19937_64 &engine)
{
    const SceneFactors held = heldSceneFactors();
    std::vector<SceneFactors> scenes(static_cast<std::size_t>(n));
    for (auto &factors : scenes)
        for (int f = 0; f < SceneFactorCount; ++f) {
            const int drawn = std::uniform_int_distribution<int>(0, SceneFactorSizes[f] - 1)(engine);
            factors.setIndex(SceneFactor(f), (varied >> f) & 1u ? drawn : held.index(SceneFactor(f)));
        }
    return scenes;
}

/** One uniformly drawn sprite. */
SpriteFactors drawSprite(std::mt19937_64 &engine)
{
    SpriteFactors factors;
    for (int f = 0; f < SpriteFactorCount; ++f)
        factors.setIndex(SpriteFactor(f), std::uniform_int_distribution<int>(0, SpriteFactorSizes[f] - 1)(engine));
    return factors;
}

/** scenes rendered as (n, 3, R, R) in [-1, 1]. */
torch::Tensor renderedScenes(const std::vector<SceneFactors> &scenes, int resolution)
{
    std::vector<std::uint8_t> pixels(scenes.size() * std::size_t(resolution) * std::size_t(resolution) * 3);
    renderScenesInto(scenes, resolution, pixels.data(), SceneRenderThreads);
    return worldBytesToImages(pixels, int(scenes.size()), 3, resolution);
}

} // namespace

unsigned variedSceneFactorMask(const std::vector<std::string> &names)
{
    if (names.empty())
        return AllSceneFactors;
    unsigned mask = 0;
    for (const auto &name : names) {
        const unsigned bit = 1u << int(sceneFactorFromName(name));
        if (mask & bit)
            throw std::invalid_argument("scene factor " + name + " is named twice");
        mask |= bit;
    }
    return mask;
}

unsigned viewNegativeFactorMask(const std::vector<std::string> &names)
{
    return names.empty() ? 1u << int(SceneFactor::Orientation) : variedSceneFactorMask(names);
}

SceneFactors heldSceneFactors()
{
    SceneFactors held;
    held.floorHue = 0;
    held.wallHue = 3;
    held.objectHue = 6;
    held.scale = 4;
    held.shape = int(SceneShape::Cube);
    held.orientation = SceneFactorSizes[int(SceneFactor::Orientation)] / 2;
    return held;
}

GanImageSource GanImageSource::sprites(int resolution)
{
    if (resolution != 32 && resolution != 64)
        throw std::invalid_argument("Sprites render at 32 or 64 pixels, not " + std::to_string(resolution));
    GanImageSource source;
    source.m_resolution = resolution;
    return source;
}

GanImageSource GanImageSource::scenes(int resolution, unsigned varied)
{
    if (varied == 0 || (varied & ~AllSceneFactors) != 0)
        throw std::invalid_argument("a Scenes stream needs at least one of its six factors to vary");
    // The first batch would check the resolution too; failing here keeps a bad run from writing its folder.
    renderScene(SceneFactors {}, resolution);
    GanImageSource source;
    source.m_kind = Kind::Scenes;
    source.m_resolution = resolution;
    source.m_channels = 3;
    source.m_variedSceneFactors = varied;
    return source;
}

GanImageSource GanImageSource::fromImages(const LabeledImages &images, int resolution)
{
    if (images.count < 1)
        throw std::invalid_argument("the dataset has no training images for the GAN");
    GanImageSource source;
    source.m_kind = Kind::Images;
    source.m_resolution = resolution;
    source.m_channels = images.channels;
    source.m_images = torch::empty({images.count, images.channels, resolution, resolution});
    auto *out = source.m_images.data_ptr<float>();
    const int type = CV_8UC(images.channels);
    cv::Mat resized;
    for (int i = 0; i < images.count; ++i) {
        const cv::Mat image(images.height, images.width, type, const_cast<std::uint8_t *>(images.imageData(i)));
        cv::resize(image, resized, cv::Size(resolution, resolution), 0, 0, cv::INTER_AREA);
        const std::size_t plane = std::size_t(resolution) * resolution;
        float *target = out + std::size_t(i) * plane * images.channels;
        for (std::size_t p = 0; p < plane; ++p)
            for (int c = 0; c < images.channels; ++c)
                target[std::size_t(c) * plane + p] = float(resized.data[p * images.channels + c]) / 127.5f - 1.0f;
    }
    return source;
}

torch::Tensor GanImageSource::batch(int n, std::uint64_t seed, std::int64_t iteration) const
{
    std::mt19937_64 engine(batchSeed(seed, iteration));
    if (m_kind == Kind::Scenes)
        return renderedScenes(drawScenes(n, m_variedSceneFactors, engine), m_resolution);
    if (m_kind == Kind::Images) {
        std::uniform_int_distribution<std::int64_t> pick(0, m_images.size(0) - 1);
        std::vector<std::int64_t> rows(static_cast<std::size_t>(n));
        for (auto &row : rows)
            row = pick(engine);
        return m_images.index_select(0, torch::tensor(rows));
    }
    const std::size_t plane = std::size_t(m_resolution) * m_resolution;
    std::vector<std::uint8_t> pixels(plane * std::size_t(n));
    for (int i = 0; i < n; ++i) {
        renderSpriteInto(drawSprite(engine), m_resolution, pixels.data() + plane * std::size_t(i));
    }
    return spriteBytesToImages(pixels, n, m_resolution);
}

torch::Tensor GanImageSource::viewAverages(int n, std::uint64_t seed, std::int64_t iteration, unsigned averaged) const
{
    if (m_kind != Kind::Scenes)
        throw std::logic_error("view averages are drawn from the Scenes world only");
    std::vector<int> factors; // the factors a room may be averaged over
    for (int f = 0; f < SceneFactorCount; ++f)
        if ((averaged >> f) & 1u)
            factors.push_back(f);
    if (factors.empty() || (averaged & ~AllSceneFactors) != 0)
        throw std::invalid_argument("view averages need at least one of the six scene factors to average over");
    std::mt19937_64 engine(batchSeed(seed, iteration) ^ 0x5851F42D4C957F2Dull);
    const auto rooms = drawScenes(n, m_variedSceneFactors, engine);
    std::vector<SceneFactors> views;
    std::vector<std::int64_t> room; // views[i] belongs to rooms[room[i]]
    std::vector<float> viewCount;
    std::vector<int> values;
    for (int r = 0; r < n; ++r) {
        // One factor alone draws nothing for the choice, so orientation-only negatives keep their stream.
        const int factor = factors.size() == 1
            ? factors.front()
            : factors[std::size_t(std::uniform_int_distribution<int>(0, int(factors.size()) - 1)(engine))];
        values.resize(std::size_t(SceneFactorSizes[std::size_t(factor)]));
        std::iota(values.begin(), values.end(), 0);
        std::shuffle(values.begin(), values.end(), engine);
        const int k = std::uniform_int_distribution<int>(2, int(values.size()))(engine);
        for (int v = 0; v < k; ++v) {
            SceneFactors view = rooms[std::size_t(r)];
            view.setIndex(SceneFactor(factor), values[std::size_t(v)]);
            views.push_back(view);
            room.push_back(r);
        }
        viewCount.push_back(float(k));
    }
    const auto rendered = renderedScenes(views, m_resolution);
    const auto sums = torch::zeros({n, 3, m_resolution, m_resolution}).index_add_(0, torch::tensor(room), rendered);
    return sums / torch::tensor(viewCount).view({n, 1, 1, 1});
}

void renderSpriteMorphInto(const SpriteFactors &factors, int otherShape, double t, int resolution, std::uint8_t *out)
{
    SpriteFactors other = factors;
    other.shape = otherShape;
    cv::Mat first = cv::Mat::zeros(resolution, resolution, CV_8U), second = first.clone(), inside, outside;
    renderSpriteInto(factors, resolution, first.data); // checks both shapes' factors and the resolution
    renderSpriteInto(other, resolution, second.data);
    // Signed distance to the shape's edge in pixels, negative inside (distanceTransform measures to the nearest 0).
    const auto signedDistance = [&](const cv::Mat &mask) {
        cv::distanceTransform(mask, inside, cv::DIST_L2, cv::DIST_MASK_PRECISE);
        cv::distanceTransform(255 - mask, outside, cv::DIST_L2, cv::DIST_MASK_PRECISE);
        return cv::Mat(outside - inside);
    };
    const cv::Mat distance = t * signedDistance(first) + (1.0 - t) * signedDistance(second);
    cv::Mat morph(resolution, resolution, CV_8U, out);
    morph.setTo(0);
    morph.setTo(255, distance < 0);
}

torch::Tensor GanImageSource::shapeMorphs(int n, std::uint64_t seed, std::int64_t iteration) const
{
    if (m_kind != Kind::Sprites)
        throw std::logic_error("shape morphs are drawn from the Sprites world only");
    constexpr int Shapes = SpriteFactorSizes[int(SpriteFactor::Shape)];
    std::mt19937_64 engine(batchSeed(seed, iteration) ^ 0x2545F4914F6CDD1Dull);
    const std::size_t plane = std::size_t(m_resolution) * m_resolution;
    std::vector<std::uint8_t> pixels(plane * std::size_t(n));
    for (int i = 0; i < n; ++i) {
        const SpriteFactors factors = drawSprite(engine);
        const int other = (factors.shape + std::uniform_int_distribution<int>(1, Shapes - 1)(engine)) % Shapes;
        const double t = std::uniform_real_distribution<double>(MinShapeMorph, MaxShapeMorph)(engine);
        renderSpriteMorphInto(factors, other, t, m_resolution, pixels.data() + plane * std::size_t(i));
    }
    return spriteBytesToImages(pixels, n, m_resolution);
}

double laplacianEnergy(const torch::Tensor &images)
{
    const auto values = images.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    if (values.dim() != 4 || values.size(2) != values.size(3))
        throw std::invalid_argument("sharpness reads (n, C, R, R) images");
    return laplacianEnergy(values.data_ptr<float>(), std::size_t(values.numel()), int(values.size(0)),
        int(values.size(1)), int(values.size(2)));
}

Sharpness sharpnessAgainst(const torch::Tensor &samples, const GanImageSource &world)
{
    Sharpness result;
    result.sampleEnergy = laplacianEnergy(samples);
    const int count = int(std::max<std::int64_t>(1, std::min<std::int64_t>(samples.size(0), RealSharpnessImages)));
    result.realEnergy = laplacianEnergy(world.batch(count, 1, 0));
    result.ratio = result.realEnergy > 0.0 ? result.sampleEnergy / result.realEnergy : 0.0;
    return result;
}

} // namespace untangle
