#include "evaluation/pooledfactorsampler.h"

#include "seededrandom.h"

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace untangle {

namespace {

struct Pool {
    CodeMatrix codes;
    std::vector<std::vector<std::vector<int>>> members; // [factor][value] -> pool rows
    std::vector<int> all;
    SeededRandom random;
    std::vector<int> scratch;

    explicit Pool(std::uint64_t seed)
        : random(seed)
    {
    }

    /** `count` rows of `group`: distinct when the group is large enough (a partial Fisher-Yates), else repeated. */
    const std::vector<int> &pick(const std::vector<int> &group, int count)
    {
        const int size = int(group.size());
        if (size >= count) {
            scratch = group;
            for (int i = 0; i < count; ++i)
                std::swap(scratch[std::size_t(i)], scratch[std::size_t(i + random.below(size - i))]);
            scratch.resize(std::size_t(count));
        } else {
            scratch.resize(std::size_t(count));
            for (int &row : scratch)
                row = group[std::size_t(random.below(size))];
        }
        return scratch;
    }

    void copyRow(int row, std::vector<double> &out, int position) const
    {
        std::copy_n(codes.values.begin() + std::ptrdiff_t(row) * codes.cols, codes.cols,
            out.begin() + std::ptrdiff_t(position) * codes.cols);
    }

    void gather(const std::vector<int> &rows, std::vector<double> &out) const
    {
        out.resize(rows.size() * std::size_t(codes.cols));
        for (std::size_t i = 0; i < rows.size(); ++i)
            copyRow(rows[i], out, int(i));
    }
};

} // namespace

FactorSampler pooledFactorSampler(const CodeMatrix &codes, const FactorMatrix &factors, std::uint64_t seed)
{
    codes.validate("sampling pool codes");
    factors.validate("sampling pool factors");
    if (codes.rows != factors.rows)
        throw std::invalid_argument("the sampling pool has " + std::to_string(codes.rows) + " codes but "
            + std::to_string(factors.rows) + " factor rows");
    auto pool = std::make_shared<Pool>(seed);
    pool->codes = codes;
    pool->members.resize(factors.sizes.size());
    for (int f = 0; f < factors.factorCount(); ++f)
        pool->members[std::size_t(f)].resize(std::size_t(factors.sizes[std::size_t(f)]));
    for (int row = 0; row < factors.rows; ++row) {
        pool->all.push_back(row);
        for (int f = 0; f < factors.factorCount(); ++f)
            pool->members[std::size_t(f)][std::size_t(factors.at(row, f))].push_back(row);
    }
    for (int f = 0; f < factors.factorCount(); ++f)
        for (int v = 0; v < factors.sizes[std::size_t(f)]; ++v)
            if (pool->members[std::size_t(f)][std::size_t(v)].empty())
                throw std::invalid_argument("the sampling pool of " + std::to_string(factors.rows)
                    + " points has none with factor " + std::to_string(f) + " = " + std::to_string(v)
                    + "; use a larger pool");

    FactorSampler sampler;
    sampler.factorSizes = factors.sizes;
    sampler.codeDim = codes.cols;
    sampler.sample = [pool](int batch, std::vector<double> &out) { pool->gather(pool->pick(pool->all, batch), out); };
    sampler.sampleWithFactorFixed = [pool](int factor, int value, int batch, std::vector<double> &out) {
        pool->gather(pool->pick(pool->members[std::size_t(factor)][std::size_t(value)], batch), out);
    };
    sampler.samplePairs = [pool](int factor, int batch, std::vector<double> &first, std::vector<double> &second) {
        const auto &groups = pool->members[std::size_t(factor)];
        first.resize(std::size_t(batch) * std::size_t(pool->codes.cols));
        second.resize(first.size());
        for (int i = 0; i < batch; ++i) {
            const auto &two = pool->pick(groups[std::size_t(pool->random.below(int(groups.size())))], 2);
            pool->copyRow(two[0], first, i);
            pool->copyRow(two[1], second, i);
        }
    };
    return sampler;
}

} // namespace untangle
