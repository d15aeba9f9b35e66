#include "scenesrenderer.h"

#include "mathconstants.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace untangle {
namespace {

constexpr double InvSqrt2 = 0.70710678118654752440;
constexpr double Infinity = std::numeric_limits<double>::infinity();
constexpr int MinResolution = 16; // below this the object is a few pixels: nothing left to recognise
constexpr int MaxResolution = 256; // above this a render costs milliseconds; nothing here needs more
constexpr std::size_t GeometryCacheBytes = std::size_t(64) << 20; // the whole grid at 64 and at 32 px, with room
constexpr int MinScenesPerThread = 32; // ~5 ms of rendering: fewer are not worth starting a thread for

// World units, y up. The object stands on the floor (y = 0) at the origin. The room's axes (u, w) are the world's
// (x, z) turned by 45 degrees, so at orientation 0 the camera looks straight into the corner and sees two walls.
// Everything below is traced in room coordinates (u, y, w), where the walls are u = W and w = W and the cube is
// axis-aligned.
constexpr double BaseHalfSize = 0.65; // a scale-1 cube is 1.2 wide, a quarter of the view: 3D Shapes' framing
constexpr double WallDistance = 3.0; // W: the corner stands W * sqrt(2) = 4.2 behind the object
constexpr double CameraDistance = 7.0; // from the look-at point: mild perspective, like 3D Shapes' camera
constexpr double CameraElevationDegrees = 22.0; // above the horizon, so every object's top shows
constexpr double LookAtHeight = 0.9; // puts the object a little below the middle, the floor in the lower third
constexpr double TanHalfFov = 0.40; // 44 degrees of vertical field of view: object, floor and corner all fit

// One point light, fixed in the world: turning the camera changes which lit faces it sees, and the shadow.
// High, in front and to one side: in room coordinates (-4, 8, -2), so a cube's top, its light-facing side and its
// other side get three clearly different shades (Lambert 0.87, 0.44, 0.22 at the cube's centre).
constexpr double LightX = -1.41421356, LightY = 8.0, LightZ = -4.24264069;
constexpr double Ambient = 0.3; // shadowed and back-facing surfaces stay readable
constexpr double Diffuse = 0.7; // Lambert term: ambient + diffuse <= 1, so no channel clips
constexpr double Saturation = 0.75; // every region's colour: hue from its factor, fixed saturation and value
constexpr double Value = 1.0;
constexpr int EdgeSamples = 3; // edge pixels average 3 x 3 samples: smooth edges for 1/20 of the pixels' cost

// Object proportions, in units of the half size s = BaseHalfSize * scale.
constexpr double CylinderHeight = 2.0; // as tall as wide, like the cube
constexpr double CapsuleRadius = 0.75; // slimmer than the cylinder and taller, so the two silhouettes differ
constexpr double CapsuleHeight = 2.9;
constexpr double HitEpsilon = 1e-9; // shadow rays start on a surface

// Surface ids (what edge detection compares): room surfaces, plus ShadowFlag when the object shades them; object
// faces from ObjectSurface on, one id per crease-bounded face.
constexpr int FloorSurface = 0;
constexpr int WallUSurface = 1;
constexpr int WallWSurface = 2;
constexpr int ShadowFlag = 4;
constexpr int ObjectSurface = 8;

struct Vec3 {
    double x = 0.0, y = 0.0, z = 0.0;
};

Vec3 operator+(const Vec3 &a, const Vec3 &b)
{
    return {a.x + b.x, a.y + b.y, a.z + b.z};
}

Vec3 operator-(const Vec3 &a, const Vec3 &b)
{
    return {a.x - b.x, a.y - b.y, a.z - b.z};
}

Vec3 operator*(const Vec3 &a, double k)
{
    return {a.x * k, a.y * k, a.z * k};
}

double dot(const Vec3 &a, const Vec3 &b)
{
    return a.x * b.x + a.y * b.y + a.z * b.z;
}

Vec3 cross(const Vec3 &a, const Vec3 &b)
{
    return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}

Vec3 normalized(const Vec3 &a)
{
    return a * (1.0 / std::sqrt(dot(a, a)));
}

double component(const Vec3 &a, int axis)
{
    return axis == 0 ? a.x : axis == 1 ? a.y : a.z;
}

/** World (x, y, z) to room (u, y, w). */
Vec3 toRoom(const Vec3 &world)
{
    return {(world.x + world.z) * InvSqrt2, world.y, (world.z - world.x) * InvSqrt2};
}

Vec3 hsvToRgb(double hue, double saturation, double value)
{
    const double h = hue * 6.0;
    const int sector = int(std::floor(h)) % 6;
    const double f = h - std::floor(h);
    const double p = value * (1.0 - saturation);
    const double q = value * (1.0 - saturation * f);
    const double t = value * (1.0 - saturation * (1.0 - f));
    switch (sector) {
    case 0:
        return {value, t, p};
    case 1:
        return {q, value, p};
    case 2:
        return {p, value, t};
    case 3:
        return {p, q, value};
    case 4:
        return {t, p, value};
    default:
        return {value, p, q};
    }
}

struct Hit {
    double t = Infinity;
    Vec3 normal;
    int surface = FloorSurface;
};

/** Everything a render needs, derived once from the factors. */
/** Pixel rectangle [x0, x1] x [y0, y1]: outside it a test can be skipped. */
struct PixelRect {
    double x0 = 0.0, y0 = 0.0, x1 = -1.0, y1 = -1.0;

    bool contains(double x, double y) const { return x >= x0 && x <= x1 && y >= y0 && y <= y1; }
};

struct Scene {
    Vec3 eye, forward, right, up; // camera, room coordinates
    Vec3 light;
    SceneShape shape = SceneShape::Cube;
    double s = BaseHalfSize; // the object's half size
    Vec3 boundCentre; // a sphere around the object: rays that miss it skip the exact test
    double boundRadius = 0.0;
    PixelRect objectRect; // where camera rays may meet the object
    PixelRect shadowRect; // where the object may shade the room
};

/**
 * What a render keeps of the geometry factors (shape, scale, orientation): per pixel, the mean shading each region
 * contributes (weights[region * pixels + k]; one region has weight > 0 except on edges) and the region map.
 * A pixel's colour is sum over regions of colour(hue of region) * weight, so the hue factors only scale weights.
 */
struct SceneGeometry {
    std::vector<float> weights; // floor, wall and object planes of resolution^2 each
    std::vector<std::uint8_t> regions; // SceneRegion per pixel

    std::size_t bytes() const { return weights.size() * sizeof(float) + regions.size(); }
};

void consider(Hit &best, double t, const Vec3 &normal, int surface)
{
    if (t > HitEpsilon && t < best.t)
        best = Hit {t, normal, surface};
}

void hitBox(const Vec3 &o, const Vec3 &d, double s, Hit &best)
{
    const double lo[3] = {-s, 0.0, -s}, hi[3] = {s, 2.0 * s, s};
    double tNear = -Infinity, tFar = Infinity;
    int nearAxis = 0;
    bool nearIsLow = true;
    for (int axis = 0; axis < 3; ++axis) {
        const double oa = component(o, axis), da = component(d, axis);
        if (std::abs(da) < 1e-12) {
            if (oa < lo[axis] || oa > hi[axis])
                return;
            continue;
        }
        const double t1 = (lo[axis] - oa) / da, t2 = (hi[axis] - oa) / da;
        const double tIn = std::min(t1, t2), tOut = std::max(t1, t2);
        if (tIn > tNear) {
            tNear = tIn;
            nearAxis = axis;
            nearIsLow = da > 0.0;
        }
        tFar = std::min(tFar, tOut);
    }
    if (tNear > tFar)
        return;
    Vec3 normal;
    const double sign = nearIsLow ? -1.0 : 1.0;
    (nearAxis == 0 ? normal.x : nearAxis == 1 ? normal.y : normal.z) = sign;
    consider(best, tNear, normal, ObjectSurface + 2 * nearAxis + (nearIsLow ? 0 : 1));
}

/** The side of a vertical cylinder about the y axis, between heights y0 and y1 (nearest crossing only). */
void hitTube(const Vec3 &o, const Vec3 &d, double r, double y0, double y1, int surface, Hit &best)
{
    const double a = d.x * d.x + d.z * d.z;
    if (a < 1e-12)
        return;
    const double b = o.x * d.x + o.z * d.z;
    const double c = o.x * o.x + o.z * o.z - r * r;
    const double disc = b * b - a * c;
    if (disc < 0.0)
        return;
    const double t = (-b - std::sqrt(disc)) / a;
    const double y = o.y + t * d.y;
    if (y < y0 || y > y1)
        return;
    consider(best, t, Vec3 {(o.x + t * d.x) / r, 0.0, (o.z + t * d.z) / r}, surface);
}

/** The top disc of a vertical cylinder about the y axis. */
void hitDisc(const Vec3 &o, const Vec3 &d, double r, double height, int surface, Hit &best)
{
    if (std::abs(d.y) < 1e-12)
        return;
    const double t = (height - o.y) / d.y;
    const double x = o.x + t * d.x, z = o.z + t * d.z;
    if (x * x + z * z <= r * r)
        consider(best, t, Vec3 {0.0, 1.0, 0.0}, surface);
}

void hitBall(const Vec3 &o, const Vec3 &d, const Vec3 &centre, double r, int surface, Hit &best)
{
    const Vec3 oc = o - centre;
    const double a = dot(d, d);
    const double b = dot(oc, d);
    const double c = dot(oc, oc) - r * r;
    const double disc = b * b - a * c;
    if (disc < 0.0)
        return;
    const double t = (-b - std::sqrt(disc)) / a;
    consider(best, t, (oc + d * t) * (1.0 / r), surface);
}

/** Nearest hit of the ray o + t d (t > 0) with the object, into best when nearer than best. */
void hitObject(const Scene &scene, const Vec3 &o, const Vec3 &d, Hit &best)
{
    const double s = scene.s;
    switch (scene.shape) {
    case SceneShape::Cube:
        hitBox(o, d, s, best);
        return;
    case SceneShape::Cylinder:
        hitTube(o, d, s, 0.0, CylinderHeight * s, ObjectSurface, best);
        hitDisc(o, d, s, CylinderHeight * s, ObjectSurface + 1, best);
        return;
    case SceneShape::Sphere:
        hitBall(o, d, Vec3 {0.0, s, 0.0}, s, ObjectSurface, best);
        return;
    case SceneShape::Capsule: {
        // Caps and tube share one surface id: their normals join smoothly, there is no crease to antialias.
        const double r = CapsuleRadius * s, top = CapsuleHeight * s - r;
        hitTube(o, d, r, r, top, ObjectSurface, best);
        hitBall(o, d, Vec3 {0.0, r, 0.0}, r, ObjectSurface, best);
        hitBall(o, d, Vec3 {0.0, top, 0.0}, r, ObjectSurface, best);
        return;
    }
    }
}

/** Whether the ray o + t d can meet the object's bounding sphere for some t in (0, tMax). */
bool mayHitObject(const Scene &scene, const Vec3 &o, const Vec3 &d, double tMax)
{
    const Vec3 oc = scene.boundCentre - o;
    const double dd = dot(d, d);
    const double t = std::clamp(dot(oc, d) / dd, 0.0, tMax);
    const Vec3 closest = oc - d * t;
    return dot(closest, closest) <= scene.boundRadius * scene.boundRadius;
}

/** The room surface the ray leaves the room through (the room is convex and holds the camera). */
Hit hitRoom(const Vec3 &o, const Vec3 &d)
{
    Hit best;
    if (d.y < 0.0)
        consider(best, -o.y / d.y, Vec3 {0.0, 1.0, 0.0}, FloorSurface);
    if (d.x > 0.0)
        consider(best, (WallDistance - o.x) / d.x, Vec3 {-1.0, 0.0, 0.0}, WallUSurface);
    if (d.z > 0.0)
        consider(best, (WallDistance - o.z) / d.z, Vec3 {0.0, 0.0, -1.0}, WallWSurface);
    if (best.t == Infinity) // cannot happen within the field of view; keep the pixel a wall regardless
        best = Hit {1.0, Vec3 {-1.0, 0.0, 0.0}, WallUSurface};
    return best;
}

SceneRegion regionOf(int surface)
{
    if (surface >= ObjectSurface)
        return SceneRegion::Object;
    return (surface & ~ShadowFlag) == FloorSurface ? SceneRegion::Floor : SceneRegion::Wall;
}

struct Sample {
    int surface = FloorSurface;
    double shade = 0.0;
};

/** The surface and its shading seen through image point (px, py), in pixels from the top-left corner. */
Sample trace(const Scene &scene, double px, double py, double inverseResolution)
{
    const double u = px * inverseResolution * 2.0 - 1.0;
    const double v = 1.0 - py * inverseResolution * 2.0;
    const Vec3 d = scene.forward + scene.right * (u * TanHalfFov) + scene.up * (v * TanHalfFov);
    Hit hit = hitRoom(scene.eye, d);
    if (scene.objectRect.contains(px, py) && mayHitObject(scene, scene.eye, d, hit.t))
        hitObject(scene, scene.eye, d, hit);
    const Vec3 p = scene.eye + d * hit.t;
    const Vec3 toLight = scene.light - p;
    const double lightDistance = std::sqrt(dot(toLight, toLight));
    const double lambert = std::max(0.0, dot(hit.normal, toLight) / lightDistance);
    Sample sample;
    sample.surface = hit.surface;
    bool lit = lambert > 0.0;
    if (lit && hit.surface < ObjectSurface && scene.shadowRect.contains(px, py)
        && mayHitObject(scene, p, toLight, 1.0)) {
        Hit blocker;
        hitObject(scene, p, toLight, blocker);
        if (blocker.t < 1.0) {
            lit = false;
            sample.surface |= ShadowFlag;
        }
    }
    sample.shade = Ambient + (lit ? Diffuse * lambert : 0.0);
    return sample;
}

void checkIndex(const std::string &name, int size, int value)
{
    if (value < 0 || value >= size)
        throw std::invalid_argument(
            "scene factor " + name + ": index " + std::to_string(value) + " is outside 0.." + std::to_string(size - 1));
}

void checkIndex(SceneFactor factor, int value)
{
    checkIndex(sceneFactorName(factor), SceneFactorSizes[std::size_t(factor)], value);
}

void checkFactors(const SceneFactors &factors, int resolution)
{
    for (int f = 0; f < SceneFactorCount; ++f)
        checkIndex(SceneFactor(f), factors.index(SceneFactor(f)));
    if (resolution < MinResolution || resolution > MaxResolution)
        throw std::invalid_argument("scene resolution " + std::to_string(resolution) + " is outside "
            + std::to_string(MinResolution) + ".." + std::to_string(MaxResolution));
}

/** The axis-aligned box around the object, in room coordinates. */
void objectBox(const Scene &scene, Vec3 &lo, Vec3 &hi)
{
    const double s = scene.s;
    const double r = scene.shape == SceneShape::Capsule ? CapsuleRadius * s : s;
    const double height = scene.shape == SceneShape::Cube || scene.shape == SceneShape::Sphere ? 2.0 * s
        : scene.shape == SceneShape::Cylinder                                                  ? CylinderHeight * s
                                                                                               : CapsuleHeight * s;
    lo = {-r, 0.0, -r};
    hi = {r, height, r};
}

/** The pixel rectangle around the images of points (all in front of the camera), one pixel wider on every side. */
PixelRect projectedRect(const Scene &scene, const std::vector<Vec3> &points, int resolution)
{
    PixelRect rect {Infinity, Infinity, -Infinity, -Infinity};
    for (const Vec3 &p : points) {
        const Vec3 q = p - scene.eye;
        const double depth = dot(q, scene.forward);
        const double u = dot(q, scene.right) / (depth * TanHalfFov);
        const double v = dot(q, scene.up) / (depth * TanHalfFov);
        const double x = 0.5 * (u + 1.0) * resolution, y = 0.5 * (1.0 - v) * resolution;
        rect.x0 = std::min(rect.x0, x - 1.0);
        rect.x1 = std::max(rect.x1, x + 1.0);
        rect.y0 = std::min(rect.y0, y - 1.0);
        rect.y1 = std::max(rect.y1, y + 1.0);
    }
    return rect;
}

/**
 * Screen rectangles for the object and its shadow. A shadowed room point lies on a ray from the light through the
 * object, between the object and where that ray meets the floor (the light is above the object), so the hull of
 * the object's box corners and their projections from the light onto the floor holds every shadow.
 */
void boundOnScreen(Scene &scene, int resolution)
{
    Vec3 lo, hi;
    objectBox(scene, lo, hi);
    std::vector<Vec3> corners;
    for (int c = 0; c < 8; ++c)
        corners.push_back({c & 1 ? hi.x : lo.x, c & 2 ? hi.y : lo.y, c & 4 ? hi.z : lo.z});
    scene.objectRect = projectedRect(scene, corners, resolution);
    std::vector<Vec3> shadowHull = corners;
    for (const Vec3 &corner : corners) {
        const Vec3 away = corner - scene.light;
        shadowHull.push_back(scene.light + away * (scene.light.y / (scene.light.y - corner.y)));
    }
    scene.shadowRect = projectedRect(scene, shadowHull, resolution);
}

/** The camera, light and object of the factors' geometry (their hues play no part). */
Scene makeScene(const SceneFactors &factors, int resolution)
{
    Scene scene;
    const double yaw = sceneOrientationDegrees(factors.orientation) * Pi / 180.0;
    const double elevation = CameraElevationDegrees * Pi / 180.0;
    const Vec3 forward {std::sin(yaw) * std::cos(elevation), -std::sin(elevation), std::cos(yaw) * std::cos(elevation)};
    const Vec3 right = normalized(cross(Vec3 {0.0, 1.0, 0.0}, forward));
    const Vec3 up = cross(forward, right);
    const Vec3 target {0.0, LookAtHeight, 0.0};
    scene.eye = toRoom(target - forward * CameraDistance);
    scene.forward = toRoom(forward);
    scene.right = toRoom(right);
    scene.up = toRoom(up);
    scene.light = toRoom(Vec3 {LightX, LightY, LightZ});

    scene.shape = SceneShape(factors.shape);
    scene.s = BaseHalfSize * sceneScale(factors.scale);
    const double s = scene.s;
    switch (scene.shape) {
    case SceneShape::Cube:
        scene.boundCentre = {0.0, s, 0.0};
        scene.boundRadius = s * std::sqrt(3.0);
        break;
    case SceneShape::Cylinder:
        scene.boundCentre = {0.0, 0.5 * CylinderHeight * s, 0.0};
        scene.boundRadius = s * std::sqrt(1.0 + 0.25 * CylinderHeight * CylinderHeight);
        break;
    case SceneShape::Sphere:
        scene.boundCentre = {0.0, s, 0.0};
        scene.boundRadius = s;
        break;
    case SceneShape::Capsule:
        scene.boundCentre = {0.0, 0.5 * CapsuleHeight * s, 0.0};
        scene.boundRadius = 0.5 * CapsuleHeight * s;
        break;
    }
    scene.boundRadius *= 1.0 + 1e-6; // rays grazing the object must still reach the exact test

    boundOnScreen(scene, resolution);
    return scene;
}

/** Ray casts the geometry of the factors: one sample per pixel centre, 3 x 3 on pixels that straddle an edge. */
std::shared_ptr<const SceneGeometry> traceGeometry(const SceneFactors &factors, int resolution)
{
    const Scene scene = makeScene(factors, resolution);
    const double inverseResolution = 1.0 / resolution;
    const std::size_t pixels = std::size_t(resolution) * resolution;
    auto geometry = std::make_shared<SceneGeometry>();
    geometry->weights.assign(3 * pixels, 0.0f);
    geometry->regions.resize(pixels);
    float *weights = geometry->weights.data();
    std::vector<std::uint8_t> surfaces(pixels); // ids stay below 32

    // Pass 1: one sample at every pixel centre.
    for (int j = 0; j < resolution; ++j)
        for (int i = 0; i < resolution; ++i) {
            const std::size_t k = std::size_t(j) * resolution + i;
            const Sample sample = trace(scene, i + 0.5, j + 0.5, inverseResolution);
            const SceneRegion region = regionOf(sample.surface);
            surfaces[k] = std::uint8_t(sample.surface);
            weights[std::size_t(region) * pixels + k] = float(sample.shade);
            geometry->regions[k] = std::uint8_t(region);
        }

    // Pass 2: pixels whose surface differs from a 4-neighbour's straddle an edge; supersample them.
    constexpr double Step = 1.0 / EdgeSamples;
    constexpr double Mean = 1.0 / (EdgeSamples * EdgeSamples);
    for (int j = 0; j < resolution; ++j)
        for (int i = 0; i < resolution; ++i) {
            const std::size_t k = std::size_t(j) * resolution + i;
            const int id = surfaces[k];
            const bool edge = (i > 0 && surfaces[k - 1] != id) || (i + 1 < resolution && surfaces[k + 1] != id)
                || (j > 0 && surfaces[k - resolution] != id) || (j + 1 < resolution && surfaces[k + resolution] != id);
            if (!edge)
                continue;
            double sums[3] = {0.0, 0.0, 0.0};
            const SceneRegion first = regionOf(id);
            bool mixed = false;
            for (int b = 0; b < EdgeSamples; ++b)
                for (int a = 0; a < EdgeSamples; ++a) {
                    const Sample sample = trace(scene, i + (a + 0.5) * Step, j + (b + 0.5) * Step, inverseResolution);
                    const SceneRegion region = regionOf(sample.surface);
                    sums[int(region)] += sample.shade;
                    mixed = mixed || region != first;
                }
            for (int r = 0; r < 3; ++r)
                weights[std::size_t(r) * pixels + k] = float(sums[r] * Mean);
            if (mixed)
                geometry->regions[k] = std::uint8_t(SceneRegion::Mixed);
        }
    return geometry;
}

/**
 * Traced geometries by (shape, scale, orientation, resolution): a render of a seen geometry only mixes colours.
 * 480 geometries make the whole grid, 25 MB at 64 px; the cap keeps other resolutions from growing it unbounded
 * (past it, geometries are traced every time, with the same bytes).
 */
class GeometryCache {
public:
    std::shared_ptr<const SceneGeometry> get(const SceneFactors &factors, int resolution)
    {
        const Key key {(factors.shape * SceneFactorSizes[int(SceneFactor::Scale)] + factors.scale)
                    * SceneFactorSizes[int(SceneFactor::Orientation)]
                + factors.orientation,
            resolution};
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            const auto found = m_entries.find(key);
            if (found != m_entries.end())
                return found->second;
        }
        auto geometry = traceGeometry(factors, resolution); // outside the lock: threads trace in parallel
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_bytes + geometry->bytes() <= GeometryCacheBytes && m_entries.emplace(key, geometry).second)
            m_bytes += geometry->bytes();
        return geometry;
    }

    void clear()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_entries.clear();
        m_bytes = 0;
    }

private:
    using Key = std::pair<int, int>;
    std::mutex m_mutex;
    std::map<Key, std::shared_ptr<const SceneGeometry>> m_entries;
    std::size_t m_bytes = 0;
};

GeometryCache &geometryCache()
{
    static GeometryCache cache;
    return cache;
}

/** rgb = sum over regions of colour(region's hue) * weight, rounded to bytes. */
void paint(const SceneGeometry &geometry, const SceneFactors &factors, std::uint8_t *rgb)
{
    const std::size_t pixels = geometry.regions.size();
    float colours[3][3];
    const int hues[3] = {factors.floorHue, factors.wallHue, factors.objectHue}; // SceneRegion order
    for (int r = 0; r < 3; ++r) {
        const Vec3 c = hsvToRgb(sceneHue(hues[r]), Saturation, Value);
        colours[r][0] = float(c.x * 255.0);
        colours[r][1] = float(c.y * 255.0);
        colours[r][2] = float(c.z * 255.0);
    }
    const float *floor = geometry.weights.data();
    const float *wall = floor + pixels;
    const float *object = wall + pixels;
    for (std::size_t k = 0; k < pixels; ++k)
        for (int c = 0; c < 3; ++c) {
            const float value = colours[0][c] * floor[k] + colours[1][c] * wall[k] + colours[2][c] * object[k];
            rgb[3 * k + std::size_t(c)] = std::uint8_t(std::min(std::max(value + 0.5f, 0.0f), 255.0f)); // branch-free
        }
}

void render(const SceneFactors &factors, int resolution, std::uint8_t *rgb)
{
    checkFactors(factors, resolution);
    paint(*geometryCache().get(factors, resolution), factors, rgb);
}

double linspace(double from, double to, int count, int index)
{
    return from + (to - from) * double(index) / double(count - 1);
}

} // namespace

int SceneFactors::index(SceneFactor factor) const
{
    switch (factor) {
    case SceneFactor::FloorHue:
        return floorHue;
    case SceneFactor::WallHue:
        return wallHue;
    case SceneFactor::ObjectHue:
        return objectHue;
    case SceneFactor::Scale:
        return scale;
    case SceneFactor::Shape:
        return shape;
    case SceneFactor::Orientation:
        return orientation;
    }
    throw std::invalid_argument("unknown scene factor " + std::to_string(int(factor)));
}

void SceneFactors::setIndex(SceneFactor factor, int value)
{
    switch (factor) {
    case SceneFactor::FloorHue:
        floorHue = value;
        return;
    case SceneFactor::WallHue:
        wallHue = value;
        return;
    case SceneFactor::ObjectHue:
        objectHue = value;
        return;
    case SceneFactor::Scale:
        scale = value;
        return;
    case SceneFactor::Shape:
        shape = value;
        return;
    case SceneFactor::Orientation:
        orientation = value;
        return;
    }
    throw std::invalid_argument("unknown scene factor " + std::to_string(int(factor)));
}

bool SceneFactors::operator==(const SceneFactors &other) const
{
    return floorHue == other.floorHue && wallHue == other.wallHue && objectHue == other.objectHue
        && scale == other.scale && shape == other.shape && orientation == other.orientation;
}

std::string sceneFactorName(SceneFactor factor)
{
    switch (factor) {
    case SceneFactor::FloorHue:
        return "floor_hue";
    case SceneFactor::WallHue:
        return "wall_hue";
    case SceneFactor::ObjectHue:
        return "object_hue";
    case SceneFactor::Scale:
        return "scale";
    case SceneFactor::Shape:
        return "shape";
    case SceneFactor::Orientation:
        return "orientation";
    }
    throw std::invalid_argument("unknown scene factor " + std::to_string(int(factor)));
}

std::vector<std::string> sceneFactorNames()
{
    std::vector<std::string> names;
    for (int f = 0; f < SceneFactorCount; ++f)
        names.push_back(sceneFactorName(SceneFactor(f)));
    return names;
}

SceneFactor sceneFactorFromName(const std::string &name)
{
    for (int f = 0; f < SceneFactorCount; ++f)
        if (sceneFactorName(SceneFactor(f)) == name)
            return SceneFactor(f);
    std::string known;
    for (const auto &n : sceneFactorNames())
        known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown scene factor '" + name + "' (the factors are " + known + ")");
}

std::vector<std::string> sceneShapeNames()
{
    return {"cube", "cylinder", "sphere", "capsule"};
}

std::int64_t sceneCount()
{
    std::int64_t count = 1;
    for (int size : SceneFactorSizes)
        count *= size;
    return count;
}

std::int64_t sceneIndex(const SceneFactors &factors)
{
    std::int64_t index = 0;
    for (int f = 0; f < SceneFactorCount; ++f) {
        const int value = factors.index(SceneFactor(f));
        checkIndex(SceneFactor(f), value);
        index = index * SceneFactorSizes[f] + value;
    }
    return index;
}

SceneFactors sceneFactorsAt(std::int64_t index)
{
    if (index < 0 || index >= sceneCount())
        throw std::invalid_argument(
            "scene index " + std::to_string(index) + " is outside 0.." + std::to_string(sceneCount() - 1));
    SceneFactors factors;
    for (int f = SceneFactorCount - 1; f >= 0; --f) {
        factors.setIndex(SceneFactor(f), int(index % SceneFactorSizes[f]));
        index /= SceneFactorSizes[f];
    }
    return factors;
}

double sceneHue(int index)
{
    // The three hue factors share one set of values.
    checkIndex("hue", SceneFactorSizes[int(SceneFactor::ObjectHue)], index);
    return double(index) / SceneFactorSizes[int(SceneFactor::ObjectHue)];
}

double sceneScale(int index)
{
    checkIndex(SceneFactor::Scale, index);
    return linspace(0.75, 1.25, SceneFactorSizes[int(SceneFactor::Scale)], index);
}

double sceneOrientationDegrees(int index)
{
    checkIndex(SceneFactor::Orientation, index);
    return linspace(-30.0, 30.0, SceneFactorSizes[int(SceneFactor::Orientation)], index);
}

ImageU8 renderScene(const SceneFactors &factors, int resolution)
{
    checkFactors(factors, resolution);
    ImageU8 image {resolution, resolution, 3, std::vector<std::uint8_t>(std::size_t(resolution) * resolution * 3)};
    render(factors, resolution, image.bytes.data());
    return image;
}

void renderSceneInto(const SceneFactors &factors, int resolution, std::uint8_t *out)
{
    render(factors, resolution, out);
}

void renderScenesInto(const std::vector<SceneFactors> &scenes, int resolution, std::uint8_t *out, int threads)
{
    for (const SceneFactors &factors : scenes)
        checkFactors(factors, resolution);
    const std::size_t imageBytes = std::size_t(resolution) * resolution * 3;
    const int count = int(scenes.size());
    if (threads <= 0)
        threads = int(std::max(1u, std::thread::hardware_concurrency()));
    threads = std::max(1, std::min(threads, count / MinScenesPerThread));
    auto renderRange = [&](int begin, int end) {
        for (int i = begin; i < end; ++i)
            render(scenes[std::size_t(i)], resolution, out + imageBytes * std::size_t(i));
    };
    std::vector<std::thread> workers;
    for (int t = 1; t < threads; ++t)
        workers.emplace_back(
            renderRange, int(std::int64_t(count) * t / threads), int(std::int64_t(count) * (t + 1) / threads));
    renderRange(0, int(std::int64_t(count) / threads));
    for (auto &worker : workers)
        worker.join();
}

void clearSceneCache()
{
    geometryCache().clear();
}

ImageU8 sceneRegions(const SceneFactors &factors, int resolution)
{
    checkFactors(factors, resolution);
    return ImageU8 {resolution, resolution, 1, geometryCache().get(factors, resolution)->regions};
}

} // namespace untangle
