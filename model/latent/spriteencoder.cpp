#include "spriteencoder.h"

#include "seededrandom.h"
#include "spritefactornet.h"

#include <algorithm>
#include <memory>

namespace untangle {

SpriteEncoder::SpriteEncoder(ScoreNetwork network, int resolution, int encodeBatch)
    : m_network(std::move(network))
    , m_resolution(resolution)
    , m_encodeBatch(std::max(1, encodeBatch))
    , m_codeDim(m_network->config.outputs)
{
}

std::vector<int> SpriteEncoder::factorSizes()
{
    return std::vector<int>(SpriteFactorSizes.begin(), SpriteFactorSizes.end());
}

SpriteFactors SpriteEncoder::randomSprite(SeededRandom &random)
{
    SpriteFactors sprite;
    for (int f = 0; f < SpriteFactorCount; ++f)
        sprite.setIndex(SpriteFactor(f), random.below(SpriteFactorSizes[std::size_t(f)]));
    return sprite;
}

void SpriteEncoder::encode(const std::vector<SpriteFactors> &sprites, std::vector<double> &out)
{
    torch::NoGradGuard noGrad;
    m_network->eval();
    const int pixels = m_resolution * m_resolution;
    out.resize(sprites.size() * std::size_t(m_codeDim));
    std::vector<std::uint8_t> bytes;
    for (std::size_t begin = 0; begin < sprites.size(); begin += std::size_t(m_encodeBatch)) {
        const std::size_t count = std::min(sprites.size() - begin, std::size_t(m_encodeBatch));
        bytes.resize(count * std::size_t(pixels));
        for (std::size_t i = 0; i < count; ++i)
            renderSpriteInto(sprites[begin + i], m_resolution, bytes.data() + i * std::size_t(pixels));
        // {0, 255} -> {-1, 1}: the range the encoder saw on generated images.
        const auto images = spriteBytesToImages(bytes, int(count), m_resolution);
        const auto codes = m_network->forward(images).to(torch::kFloat64).contiguous();
        std::copy(codes.data_ptr<double>(), codes.data_ptr<double>() + codes.numel(),
            out.begin() + std::ptrdiff_t(begin * std::size_t(m_codeDim)));
    }
}

void SpriteEncoder::encodeRandom(int n, SeededRandom &random, CodeMatrix &codes, FactorMatrix &factors)
{
    std::vector<SpriteFactors> sprites(static_cast<std::size_t>(n));
    factors = FactorMatrix {n, factorSizes(), {}};
    factors.values.reserve(std::size_t(n) * SpriteFactorCount);
    for (auto &sprite : sprites) {
        sprite = randomSprite(random);
        for (int f = 0; f < SpriteFactorCount; ++f)
            factors.values.push_back(sprite.index(SpriteFactor(f)));
    }
    codes = CodeMatrix {n, m_codeDim, {}};
    encode(sprites, codes.values);
}

FactorSampler SpriteEncoder::sampler(std::uint64_t seed) const
{
    // The callbacks outlive this call (FactorSampler is copied around): they share one encoder copy and one stream.
    struct State {
        SpriteEncoder encoder;
        SeededRandom random;
        std::vector<SpriteFactors> sprites;
        std::vector<double> codes;
    };
    auto state = std::make_shared<State>(State {*this, SeededRandom(seed), {}, {}});
    FactorSampler sampler;
    sampler.factorSizes = factorSizes();
    sampler.codeDim = m_codeDim;
    sampler.sample = [state](int batch, std::vector<double> &out) {
        state->sprites.resize(std::size_t(batch));
        for (auto &sprite : state->sprites)
            sprite = randomSprite(state->random);
        state->encoder.encode(state->sprites, out);
    };
    sampler.sampleWithFactorFixed = [state](int factor, int value, int batch, std::vector<double> &out) {
        state->sprites.resize(std::size_t(batch));
        for (auto &sprite : state->sprites) {
            sprite = randomSprite(state->random);
            sprite.setIndex(SpriteFactor(factor), value);
        }
        state->encoder.encode(state->sprites, out);
    };
    // One forward for both halves of beta-VAE's pairs (2 x batch sprites) instead of `batch` forwards of 2.
    sampler.samplePairs = [state](int factor, int batch, std::vector<double> &first, std::vector<double> &second) {
        state->sprites.resize(2 * std::size_t(batch));
        for (int i = 0; i < batch; ++i) {
            const int value = state->random.below(SpriteFactorSizes[std::size_t(factor)]);
            for (int half = 0; half < 2; ++half) {
                auto &sprite = state->sprites[std::size_t(half * batch + i)];
                sprite = randomSprite(state->random);
                sprite.setIndex(SpriteFactor(factor), value);
            }
        }
        state->encoder.encode(state->sprites, state->codes);
        const auto middle = state->codes.begin() + std::ptrdiff_t(batch) * state->encoder.codeDim();
        first.assign(state->codes.begin(), middle);
        second.assign(middle, state->codes.end());
    };
    return sampler;
}

} // namespace untangle
