#include "seededrandom.h"

#include <cmath>
#include <utility>

namespace untangle {

SeededRandom::SeededRandom(std::uint64_t seed)
    : m_engine(seed)
{
}

double SeededRandom::uniform()
{
    return double(m_engine() >> 11) * 0x1.0p-53;
}

double SeededRandom::normal()
{
    if (m_hasSpare) {
        m_hasSpare = false;
        return m_spare;
    }
    double u1 = uniform();
    while (u1 <= 0.0)
        u1 = uniform();
    const double u2 = uniform();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    const double angle = 2.0 * M_PI * u2;
    m_spare = radius * std::sin(angle);
    m_hasSpare = true;
    return radius * std::cos(angle);
}

int SeededRandom::below(int n)
{
    // Rejection sampling removes the modulo bias.
    const std::uint64_t range = std::uint64_t(n);
    const std::uint64_t limit = (~std::uint64_t(0)) - ((~std::uint64_t(0)) % range);
    std::uint64_t value = m_engine();
    while (value >= limit)
        value = m_engine();
    return int(value % range);
}

void SeededRandom::shuffle(std::vector<int> &values)
{
    for (int i = int(values.size()) - 1; i > 0; --i)
        std::swap(values[i], values[below(i + 1)]);
}

std::uint64_t SeededRandom::derive(std::uint64_t seed, std::uint64_t stream)
{
    std::uint64_t z = seed + 0x9e3779b97f4a7c15ull * (stream + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

} // namespace untangle
