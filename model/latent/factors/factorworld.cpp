#include "factors/factorworld.h"

#include "scenesrenderer.h"
#include "seededrandom.h"
#include "spritesrenderer.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace untangle {

namespace {

constexpr int SceneRenderThreadsForWorld = 0; // one per core: rendering is ours alone while a batch is drawn

FactorWorld makeSprites()
{
    FactorWorld world;
    world.kind = WorldKind::Sprites;
    world.key = "sprites";
    world.title = "Sprites";
    world.channels = 1;
    const FactorKind kinds[SpriteFactorCount] = {
        FactorKind::Categorical, FactorKind::Ordinal, FactorKind::Circular, FactorKind::Ordinal, FactorKind::Ordinal};
    const char *names[SpriteFactorCount] = {"shape", "scale", "orientation", "x", "y"};
    for (int f = 0; f < SpriteFactorCount; ++f)
        world.factors.push_back({names[f], SpriteFactorSizes[std::size_t(f)], kinds[f]});
    return world;
}

FactorWorld makeScenes()
{
    FactorWorld world;
    world.kind = WorldKind::Scenes;
    world.key = "scenes";
    world.title = "Scenes";
    world.channels = 3;
    // Hues are i/10 of the colour wheel, so the last is next to the first; orientation is -30..30 degrees, a line.
    const FactorKind kinds[SceneFactorCount] = {FactorKind::Circular, FactorKind::Circular, FactorKind::Circular,
        FactorKind::Ordinal, FactorKind::Categorical, FactorKind::Ordinal};
    for (int f = 0; f < SceneFactorCount; ++f)
        world.factors.push_back({sceneFactorName(SceneFactor(f)), SceneFactorSizes[std::size_t(f)], kinds[f]});
    return world;
}

void checkTuple(const FactorWorld &world, const int *tuple)
{
    for (int f = 0; f < world.factorCount(); ++f)
        if (tuple[f] < 0 || tuple[f] >= world.factors[std::size_t(f)].size)
            throw std::invalid_argument(world.title + " factor " + world.factors[std::size_t(f)].name + " index "
                + std::to_string(tuple[f]) + " is outside 0.."
                + std::to_string(world.factors[std::size_t(f)].size - 1));
}

} // namespace

std::string factorDisplayName(std::string name)
{
    std::replace(name.begin(), name.end(), '_', ' ');
    return name;
}

bool factorValuesRelevant(FactorKind kind, int size, int a, int b)
{
    const int step = std::abs(a - b);
    switch (kind) {
    case FactorKind::Categorical:
        return step == 0;
    case FactorKind::Circular:
        return step <= 1 || step == size - 1; // values 0 .. size - 1: the first and the last are neighbours
    case FactorKind::Ordinal:
        break;
    }
    return step <= 1;
}

const FactorWorld &FactorWorld::of(WorldKind kind)
{
    static const FactorWorld sprites = makeSprites();
    static const FactorWorld scenes = makeScenes();
    return kind == WorldKind::Sprites ? sprites : scenes;
}

const FactorWorld *FactorWorld::byKey(const std::string &key)
{
    for (WorldKind kind : {WorldKind::Sprites, WorldKind::Scenes})
        if (of(kind).key == key)
            return &of(kind);
    return nullptr;
}

const FactorWorld *FactorWorld::forImages(int channels, int resolution)
{
    for (WorldKind kind : {WorldKind::Sprites, WorldKind::Scenes})
        if (of(kind).channels == channels && of(kind).rendersAt(resolution))
            return &of(kind);
    return nullptr;
}

std::vector<int> FactorWorld::sizes() const
{
    std::vector<int> out;
    for (const auto &factor : factors)
        out.push_back(factor.size);
    return out;
}

std::vector<std::string> FactorWorld::names() const
{
    std::vector<std::string> out;
    for (const auto &factor : factors)
        out.push_back(factor.name);
    return out;
}

std::vector<FactorKind> FactorWorld::kinds() const
{
    std::vector<FactorKind> out;
    for (const auto &factor : factors)
        out.push_back(factor.kind);
    return out;
}

bool FactorWorld::rendersAt(int resolution) const
{
    if (kind == WorldKind::Sprites)
        return resolution == 32 || resolution == 64;
    return resolution >= 16 && resolution <= 256;
}

void FactorWorld::requireResolution(int resolution) const
{
    if (!rendersAt(resolution))
        throw std::invalid_argument(title + " render at "
            + (kind == WorldKind::Sprites ? std::string("32 or 64") : std::string("16 to 256")) + " pixels, not "
            + std::to_string(resolution));
}

int FactorWorld::factorIndex(const std::string &name) const
{
    std::string known;
    for (int f = 0; f < factorCount(); ++f) {
        if (factors[std::size_t(f)].name == name)
            return f;
        known += (f ? ", " : "") + factors[std::size_t(f)].name;
    }
    throw std::invalid_argument("unknown " + title + " factor '" + name + "' (known: " + known + ")");
}

void FactorWorld::appendRandomTuple(SeededRandom &random, std::vector<int> &out) const
{
    for (const auto &factor : factors)
        out.push_back(random.below(factor.size));
}

std::vector<int> FactorWorld::randomTuples(int count, SeededRandom &random) const
{
    std::vector<int> tuples;
    tuples.reserve(std::size_t(count) * factors.size());
    for (int i = 0; i < count; ++i)
        appendRandomTuple(random, tuples);
    return tuples;
}

void FactorWorld::render(const std::vector<int> &tuples, int resolution, std::uint8_t *out) const
{
    requireResolution(resolution);
    const int f = factorCount();
    if (tuples.size() % std::size_t(f) != 0)
        throw std::invalid_argument(title + " tuples must hold " + std::to_string(f) + " indices each");
    const std::size_t count = tuples.size() / std::size_t(f);
    for (std::size_t i = 0; i < count; ++i)
        checkTuple(*this, tuples.data() + i * std::size_t(f));
    if (kind == WorldKind::Sprites) {
        for (std::size_t i = 0; i < count; ++i) {
            SpriteFactors sprite;
            for (int j = 0; j < f; ++j)
                sprite.setIndex(SpriteFactor(j), tuples[i * std::size_t(f) + std::size_t(j)]);
            renderSpriteInto(sprite, resolution, out + i * imageBytes(resolution));
        }
        return;
    }
    std::vector<SceneFactors> scenes(count);
    for (std::size_t i = 0; i < count; ++i)
        for (int j = 0; j < f; ++j)
            scenes[i].setIndex(SceneFactor(j), tuples[i * std::size_t(f) + std::size_t(j)]);
    renderScenesInto(scenes, resolution, out, SceneRenderThreadsForWorld);
}

} // namespace untangle
