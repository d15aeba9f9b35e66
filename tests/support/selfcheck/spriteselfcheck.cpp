#include "selfcheck/spriteselfcheck.h"

#include "sprites/spritefactormodel.h"
#include "sprites/spritegeneratorevaluation.h"

#include <algorithm>
#include <cmath>

namespace untangle::selfcheck {

namespace {

/** Index = centre + spread * w per factor (w ~ N(0, 1)): the factor ranges are covered within about +-2 sigma, and
 *  orientation turns only 3 steps (28 degrees) per 1.5 sigma, less than half a square's 90-degree period. */
constexpr std::array<double, SpriteFactorCount> AxisCentre = {1.0, 2.5, 19.5, 15.5, 15.5};
constexpr std::array<double, SpriteFactorCount> AxisSpread = {0.8, 1.2, 2.0, 7.0, 7.0};

/** Renders sprites straight from w: a generator whose factors are known exactly, one per latent axis. */
class AxisSpriteGenerator : public Generator {
public:
    explicit AxisSpriteGenerator(int resolution)
        : m_resolution(resolution)
    {
    }
    GeneratorShape shape() const override { return {SpriteFactorCount, SpriteFactorCount, m_resolution, 1, false}; }
    torch::Tensor mapping(const torch::Tensor &z) override { return z; }
    torch::Tensor synthesis(const torch::Tensor &w) override
    {
        const auto styles = w.to(torch::kFloat64).contiguous();
        const auto values = styles.accessor<double, 2>();
        const int n = int(styles.size(0));
        std::vector<std::uint8_t> bytes(std::size_t(n) * m_resolution * m_resolution);
        for (int i = 0; i < n; ++i) {
            SpriteFactors sprite;
            for (int f = 0; f < SpriteFactorCount; ++f) {
                const double value = AxisCentre[f] + AxisSpread[f] * values[i][f];
                const int index = int(std::lround(std::clamp(value, 0.0, double(SpriteFactorSizes[f] - 1))));
                sprite.setIndex(SpriteFactor(f), index);
            }
            renderSpriteInto(sprite, m_resolution, bytes.data() + std::size_t(i) * m_resolution * m_resolution);
        }
        return spriteBytesToImages(bytes, n, m_resolution);
    }
    std::string description() const override { return "axis-aligned sprite renderer (test generator)"; }
    std::string fingerprint() const override { return {}; } // no weights: nothing to tell apart

private:
    int m_resolution;
};

} // namespace

SpriteRescoring rescoreAxisSpriteGenerator(int resolution, const SpriteRescoringOptions &options)
{
    AxisSpriteGenerator generator(resolution);
    DirectionSet axes;
    axes.method = "axes";
    axes.styleSize = SpriteFactorCount;
    for (int f = 0; f < SpriteFactorCount; ++f) {
        NamedDirection direction;
        direction.name = spriteFactorName(SpriteFactor(f));
        direction.vector.assign(SpriteFactorCount, 0.0);
        direction.vector[f] = 1.0;
        axes.directions.push_back(direction);
    }
    return rescoreSpriteDirections(generator, axes, options);
}

} // namespace untangle::selfcheck
