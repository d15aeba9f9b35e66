#include "factors/worldencoder.h"

#include "factors/worldimages.h"
#include "seededrandom.h"

#include <algorithm>
#include <memory>

namespace untangle {

WorldEncoder::WorldEncoder(const FactorWorld &world, ScoreNetwork network, int resolution, int encodeBatch)
    : m_world(&world)
    , m_network(std::move(network))
    , m_resolution(resolution)
    , m_encodeBatch(std::max(1, encodeBatch))
    , m_codeDim(m_network->config.outputs)
{
}

void WorldEncoder::encode(const std::vector<int> &tuples, std::vector<double> &out)
{
    torch::NoGradGuard noGrad;
    m_network->eval();
    const std::size_t f = std::size_t(m_world->factorCount());
    const std::size_t n = tuples.size() / f;
    out.resize(n * std::size_t(m_codeDim));
    for (std::size_t begin = 0; begin < n; begin += std::size_t(m_encodeBatch)) {
        const std::size_t count = std::min(n - begin, std::size_t(m_encodeBatch));
        const std::vector<int> chunk(
            tuples.begin() + std::ptrdiff_t(begin * f), tuples.begin() + std::ptrdiff_t((begin + count) * f));
        const auto images = renderWorldImages(*m_world, chunk, m_resolution);
        const auto codes = m_network->forward(images).to(torch::kFloat64).contiguous();
        std::copy(codes.data_ptr<double>(), codes.data_ptr<double>() + codes.numel(),
            out.begin() + std::ptrdiff_t(begin * std::size_t(m_codeDim)));
    }
}

void WorldEncoder::encodeRandom(int n, SeededRandom &random, CodeMatrix &codes, FactorMatrix &factors)
{
    auto tuples = m_world->randomTuples(n, random);
    factors = FactorMatrix {n, m_world->sizes(), tuples};
    codes = CodeMatrix {n, m_codeDim, {}};
    encode(tuples, codes.values);
}

FactorSampler WorldEncoder::sampler(std::uint64_t seed) const
{
    // The callbacks outlive this call (FactorSampler is copied around): they share one encoder copy and one stream.
    struct State {
        WorldEncoder encoder;
        SeededRandom random;
        std::vector<int> tuples;
        std::vector<double> codes;
    };
    auto state = std::make_shared<State>(State {*this, SeededRandom(seed), {}, {}});
    const int f = m_world->factorCount();
    FactorSampler sampler;
    sampler.factorSizes = m_world->sizes();
    sampler.codeDim = m_codeDim;
    sampler.sample = [state](int batch, std::vector<double> &out) {
        state->tuples = state->encoder.world().randomTuples(batch, state->random);
        state->encoder.encode(state->tuples, out);
    };
    sampler.sampleWithFactorFixed = [state, f](int factor, int value, int batch, std::vector<double> &out) {
        state->tuples = state->encoder.world().randomTuples(batch, state->random);
        for (int i = 0; i < batch; ++i)
            state->tuples[std::size_t(i) * std::size_t(f) + std::size_t(factor)] = value;
        state->encoder.encode(state->tuples, out);
    };
    // One forward for both halves of beta-VAE's pairs (2 x batch images) instead of `batch` forwards of 2.
    sampler.samplePairs = [state, f](int factor, int batch, std::vector<double> &first, std::vector<double> &second) {
        const auto &world = state->encoder.world();
        state->tuples.assign(2 * std::size_t(batch) * std::size_t(f), 0);
        for (int i = 0; i < batch; ++i) {
            const int value = state->random.below(world.factors[std::size_t(factor)].size);
            for (int half = 0; half < 2; ++half) {
                int *tuple = state->tuples.data() + std::size_t(half * batch + i) * std::size_t(f);
                for (int j = 0; j < f; ++j)
                    tuple[j] = state->random.below(world.factors[std::size_t(j)].size);
                tuple[factor] = value;
            }
        }
        state->encoder.encode(state->tuples, state->codes);
        const auto middle = state->codes.begin() + std::ptrdiff_t(batch) * state->encoder.codeDim();
        first.assign(state->codes.begin(), middle);
        second.assign(middle, state->codes.end());
    };
    return sampler;
}

} // namespace untangle
