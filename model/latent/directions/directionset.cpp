#include "directions/directionset.h"

#include "atomicfile.h"
#include "dataerror.h"
#include "factors/factorworld.h"
#include "jsonlimits.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>

namespace untangle {
namespace {

/** A JSON number that must be a whole number in [low, high]: 64.5 or 2^32 + 64 are refused, never rounded or wrapped.
 */
std::int64_t jsonWholeNumber(
    const nlohmann::ordered_json &value, const std::string &what, std::int64_t low, std::int64_t high)
{
    const std::string range = std::to_string(low) + " to " + std::to_string(high);
    if (!value.is_number())
        throw DataError(what + " is " + value.dump() + ", not a number (" + range + ")");
    const double number = value.get<double>();
    if (value.is_number_float() && number != std::floor(number))
        throw DataError(what + " is " + value.dump() + ", not a whole number");
    if (!(number >= double(low) && number <= double(high)))
        throw DataError(what + " is " + value.dump() + ", outside " + range);
    return value.is_number_float() ? std::int64_t(number) : value.get<std::int64_t>();
}

/** weightsFingerprint's form: 16 lower-case hex digits. */
bool isFingerprint(const std::string &text)
{
    const auto isHexDigit = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
    return text.size() == GeneratorFingerprintDigits && std::all_of(text.begin(), text.end(), isHexDigit);
}

} // namespace

Matrix DirectionSet::matrix() const
{
    Matrix rows;
    rows.rows = count();
    rows.cols = styleSize;
    for (const auto &direction : directions)
        rows.values.insert(rows.values.end(), direction.vector.begin(), direction.vector.end());
    return rows;
}

DirectionSet DirectionSet::fromMatrix(const std::string &method, const Matrix &rows, const std::vector<double> &scores)
{
    DirectionSet set;
    set.method = method;
    set.styleSize = rows.cols;
    for (int row = 0; row < rows.rows; ++row) {
        NamedDirection direction;
        direction.name = method + " " + std::to_string(row + 1);
        direction.score = row < int(scores.size()) ? scores[std::size_t(row)] : 0.0;
        direction.vector.assign(rows.values.begin() + std::ptrdiff_t(row) * rows.cols,
            rows.values.begin() + std::ptrdiff_t(row + 1) * rows.cols);
        set.directions.push_back(std::move(direction));
    }
    return set;
}

void DirectionSet::validate() const
{
    if (directions.empty())
        throw std::invalid_argument("the direction set is empty");
    if (styleSize < 1)
        throw std::invalid_argument("the direction set has no latent size");
    if (!generatorFingerprint.empty() && !isFingerprint(generatorFingerprint))
        throw std::invalid_argument("the generator fingerprint '" + generatorFingerprint + "' is not "
            + std::to_string(GeneratorFingerprintDigits) + " hex digits");
    for (std::size_t k = 0; k < directions.size(); ++k) {
        const auto &direction = directions[k];
        const std::string which = "direction " + std::to_string(k + 1) + " (" + direction.name + ")";
        if (int(direction.vector.size()) != styleSize)
            throw std::invalid_argument(which + " has " + std::to_string(direction.vector.size())
                + " values, the set's latent size is " + std::to_string(styleSize));
        double norm = 0.0;
        for (double value : direction.vector) {
            if (!std::isfinite(value))
                throw std::invalid_argument(which + " has a non-finite value");
            // 1e308 is a finite double but infinite as the generator's float: every edited frame went black.
            if (std::abs(value) > MaxDirectionValue)
                throw std::invalid_argument(which + " has a value of " + std::to_string(value) + ", beyond ±"
                    + std::to_string(int(MaxDirectionValue)) + " (directions are unit vectors, scaled by sigma)");
            norm += value * value;
        }
        if (norm < 1e-12)
            throw std::invalid_argument(which + " is the zero vector");
        if (direction.sign != 1 && direction.sign != -1)
            throw std::invalid_argument(which + " has sign " + std::to_string(direction.sign) + ", expected 1 or -1");
        if (!(direction.sigma >= 0.0 && direction.sigma <= MaxDirectionSigma))
            throw std::invalid_argument(which + " has sigma " + std::to_string(direction.sigma)
                + ", outside 0 (unknown) to " + std::to_string(MaxDirectionSigma));
    }
    validateAttribution();
}

void DirectionSet::validateAttribution() const
{
    if (attribution.empty())
        return;
    const auto &a = attribution;
    const auto fail = [](const std::string &what) { throw std::invalid_argument("the stored attribution " + what); };
    if (generatorFingerprint.empty())
        fail("needs the generator's fingerprint: it holds for those weights only");
    if (a.samples < 1 || a.samples > MaxAttributionSamples)
        fail("was measured on " + std::to_string(a.samples) + " latents, outside 1 to "
            + std::to_string(MaxAttributionSamples));
    const int factors = int(a.factorNames.size());
    if (factors < 1 || factors > MaxAttributionFactors)
        fail("names " + std::to_string(factors) + " factors, outside 1 to " + std::to_string(MaxAttributionFactors));
    for (const auto &name : a.factorNames)
        if (name.empty())
            fail("has a factor without a name");
    if (a.magnitude.rows != count() || a.magnitude.cols != factors
        || a.magnitude.values.size() != std::size_t(a.magnitude.rows) * std::size_t(factors))
        fail("is " + std::to_string(a.magnitude.rows) + " x " + std::to_string(a.magnitude.cols) + ", not "
            + std::to_string(count()) + " directions x " + std::to_string(factors) + " factors");
    if (int(a.randomFloor.size()) != factors)
        fail("has " + std::to_string(a.randomFloor.size()) + " random-direction floor values for "
            + std::to_string(factors) + " factors");
    const auto unfit = [](double value) { return !std::isfinite(value) || value < 0.0; };
    if (std::any_of(a.magnitude.values.begin(), a.magnitude.values.end(), unfit)
        || std::any_of(a.randomFloor.begin(), a.randomFloor.end(), unfit))
        fail("has a negative or non-finite change (changes are magnitudes)");
    for (const auto *interval : {&a.authorsDiagonal, &a.authorsOffDiagonal})
        if (!std::isfinite(interval->mean) || !std::isfinite(interval->low) || !std::isfinite(interval->high))
            fail("has a non-finite interval");
}

void DirectionSet::requireStyleSize(int generatorStyleSize) const
{
    if (styleSize != generatorStyleSize)
        throw DataError("the directions have latent size " + std::to_string(styleSize)
            + " but the generator's editable latent has size " + std::to_string(generatorStyleSize));
}

namespace {

/** "a Sprites generator (1-channel 64 px images)" */
std::string generatorKind(int channels, int resolution)
{
    const FactorWorld *world = FactorWorld::forImages(channels, resolution);
    const std::string images = std::to_string(channels) + "-channel " + std::to_string(resolution) + " px images";
    return world ? "a " + world->title + " generator (" + images + ")" : "a generator of " + images;
}

std::string fingerprintIn(const nlohmann::ordered_json &value, const std::string &path)
{
    const std::string text = value.is_string() ? value.get<std::string>() : std::string();
    if (!isFingerprint(text)) {
        const std::string shown = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        throw DataError(path + ": generatorFingerprint is " + shown.substr(0, 80) + ", not "
            + std::to_string(GeneratorFingerprintDigits) + " hex digits (leave it out when unknown)");
    }
    return text;
}

/** The "attribution" block: shapes and values are checked by DirectionSet::validate once the directions are read. */
StoredAttribution attributionIn(const nlohmann::ordered_json &value, const std::string &path)
{
    const std::string where = path + ": attribution";
    if (!value.is_object())
        throw DataError(where + " is not an object");
    StoredAttribution a;
    a.samples = int(jsonWholeNumber(value.at("samples"), where + " samples", 1, MaxAttributionSamples));
    a.factorNames = value.at("factors").get<std::vector<std::string>>();
    const auto &rows = value.at("magnitude");
    if (!rows.is_array() || rows.empty())
        throw DataError(where + " magnitude is not a list of rows");
    a.magnitude.rows = int(rows.size());
    a.magnitude.cols = int(rows.front().size());
    for (const auto &row : rows) {
        const auto cells = row.get<std::vector<double>>();
        if (int(cells.size()) != a.magnitude.cols)
            throw DataError(where + " magnitude has rows of different lengths");
        a.magnitude.values.insert(a.magnitude.values.end(), cells.begin(), cells.end());
    }
    a.randomFloor = value.at("randomFloor").get<std::vector<double>>();
    const auto interval = [&](const char *key) {
        const auto values = value.at(key).get<std::vector<double>>();
        if (values.size() != 3)
            throw DataError(where + " " + key + " is not [mean, low, high]");
        return ConfidenceInterval {values[0], values[1], values[2]};
    };
    a.authorsDiagonal = interval("authorsDiagonal");
    a.authorsOffDiagonal = interval("authorsOffDiagonal");
    return a;
}

} // namespace

void DirectionSet::requireGenerator(int generatorStyleSize, int channels, int resolution,
    const std::string &description, const std::string &fingerprint) const
{
    requireStyleSize(generatorStyleSize);
    const std::string foundOn = generator.empty() ? std::string() : ", " + generator;
    // An older file that does not say what its generator draws passes, as does the same kind of generator.
    if (generatorChannels != 0 && (generatorChannels != channels || generatorResolution != resolution))
        throw DataError("the directions were found on " + generatorKind(generatorChannels, generatorResolution)
            + foundOn + ", but " + description + " is " + generatorKind(channels, resolution)
            + ": they belong to another generator");
    if (!generatorFingerprint.empty() && !fingerprint.empty() && generatorFingerprint != fingerprint)
        throw DataError("the directions were found on another generator's weights (fingerprint " + generatorFingerprint
            + foundOn + ") than those of " + description + " (fingerprint " + fingerprint
            + "): the same kind and size of generator, but another seed or checkpoint, where the same vectors move "
              "other things; find directions on this one (untangle-cli directions)");
}

void saveDirectionSet(const DirectionSet &set, const std::string &path)
{
    set.validate();
    // ordered_json: provenance keeps the producer's order (nlohmann::json would sort the keys).
    nlohmann::ordered_json json;
    json["format"] = "untangle-directions";
    json["version"] = 1;
    json["method"] = set.method;
    json["generator"] = set.generator;
    json["styleSize"] = set.styleSize;
    if (set.generatorChannels > 0)
        json["generatorImages"] = {{"channels", set.generatorChannels}, {"resolution", set.generatorResolution}};
    if (!set.generatorFingerprint.empty())
        json["generatorFingerprint"] = set.generatorFingerprint;
    auto &provenance = json["provenance"] = nlohmann::ordered_json::object();
    for (const auto &[key, value] : set.provenance)
        provenance[key] = value;
    if (!set.attribution.empty()) {
        const auto &a = set.attribution;
        const auto interval = [](const ConfidenceInterval &i) {
            return nlohmann::ordered_json {i.mean, i.low, i.high};
        };
        auto rows = nlohmann::ordered_json::array();
        for (int k = 0; k < a.magnitude.rows; ++k)
            rows.push_back(std::vector<double>(a.magnitude.values.begin() + std::ptrdiff_t(k) * a.magnitude.cols,
                a.magnitude.values.begin() + std::ptrdiff_t(k + 1) * a.magnitude.cols));
        json["attribution"] = {{"samples", a.samples}, {"factors", a.factorNames}, {"magnitude", rows},
            {"randomFloor", a.randomFloor}, {"authorsDiagonal", interval(a.authorsDiagonal)},
            {"authorsOffDiagonal", interval(a.authorsOffDiagonal)}};
    }
    auto &list = json["directions"] = nlohmann::ordered_json::array();
    for (const auto &direction : set.directions) {
        list.push_back({{"name", direction.name}, {"note", direction.note}, {"sign", direction.sign},
            {"score", direction.score}, {"vector", direction.vector}});
        if (direction.sigma > 0.0) // 0 = not measured: the key is left out rather than written as a unit of 0
            list.back()["sigma"] = direction.sigma;
    }
    writeFileAtomically(path, json.dump(1) + "\n");
}

std::string directionsFileOf(const std::string &path)
{
    std::error_code error;
    if (!std::filesystem::is_directory(path, error))
        return path;
    const std::string file = (std::filesystem::path(path) / DirectionsFileName).string();
    if (!std::filesystem::is_regular_file(file, error))
        throw DataError(path + " is a folder without " + DirectionsFileName + " (not a directions or SRE run folder)");
    return file;
}

DirectionSet loadDirectionSet(const std::string &given)
{
    const std::string path = directionsFileOf(given);
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        throw DataError("cannot open direction file " + path);
    const std::string text = readJsonFile(path); // size and nesting bounded before the recursive parser sees it
    try {
        const auto json = nlohmann::ordered_json::parse(text);
        if (!json.is_object() || json.value("format", std::string()) != "untangle-directions")
            throw DataError(path + " is not an Untangle direction file (no \"format\": \"untangle-directions\")");
        if (json.contains("version")
            && (!json.at("version").is_number_integer() || json.at("version").get<std::int64_t>() != 1))
            throw DataError(path + ": direction file version " + json.at("version").dump().substr(0, 20)
                + "; this build reads version 1 (a file from a newer Untangle?)");
        DirectionSet set;
        set.method = json.at("method").get<std::string>();
        set.generator = json.value("generator", std::string());
        set.styleSize = int(jsonWholeNumber(json.at("styleSize"), path + ": styleSize", 1, MaxStyleSize));
        if (json.contains("generatorImages")) { // absent in files written before it was recorded
            const auto &images = json.at("generatorImages");
            if (!images.is_object())
                throw DataError(
                    path + ": generatorImages is " + images.dump() + ", not {\"channels\", \"resolution\"}");
            set.generatorChannels = int(jsonWholeNumber(
                images.at("channels"), path + ": generatorImages channels", 1, MaxGeneratorImageChannels));
            set.generatorResolution = int(jsonWholeNumber(
                images.at("resolution"), path + ": generatorImages resolution", 1, MaxGeneratorImageResolution));
        }
        if (json.contains("generatorFingerprint"))
            set.generatorFingerprint = fingerprintIn(json.at("generatorFingerprint"), path);
        if (json.contains("provenance"))
            for (const auto &[key, value] : json.at("provenance").items())
                set.provenance.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());
        for (const auto &item : json.at("directions")) {
            NamedDirection direction;
            const std::string which = path + ": direction " + std::to_string(set.directions.size() + 1);
            direction.name = item.value("name", std::string());
            direction.note = item.value("note", std::string());
            direction.sign = item.contains("sign") ? int(jsonWholeNumber(item.at("sign"), which + " sign", -1, 1)) : 1;
            direction.score = item.value("score", 0.0);
            if (item.contains("sigma")) {
                // The slider and traversal unit: zero, negative or astronomic values would make every shift 0 or inf.
                const auto &sigma = item.at("sigma");
                if (!sigma.is_number() || !(sigma.get<double>() > 0.0 && sigma.get<double>() <= MaxDirectionSigma))
                    throw DataError(which + " has sigma " + sigma.dump() + "; sigma must be above 0 and at most "
                        + nlohmann::json(MaxDirectionSigma).dump() + " (leave it out when unknown)");
                direction.sigma = sigma.get<double>();
            }
            direction.vector = item.at("vector").get<std::vector<double>>();
            set.directions.push_back(std::move(direction));
        }
        if (json.contains("attribution")) // absent in files `label` did not write, and in every file before it
            set.attribution = attributionIn(json.at("attribution"), path);
        set.validate();
        return set;
    } catch (const DataError &) {
        throw;
    } catch (const nlohmann::json::parse_error &error) {
        // Said in words, with where it broke: a user who picked the wrong file needs no parser's exception name.
        throw DataError(path + " is not a direction file: it is not valid JSON (byte " + std::to_string(error.byte)
            + "); choose a directions.json that Untangle wrote");
    } catch (const nlohmann::json::exception &error) { // a key missing or of the wrong type
        std::string what = error.what();
        what.erase(0, what.find("] ") == std::string::npos ? 0 : what.find("] ") + 2); // "[json.exception.…] "
        throw DataError("direction file " + path + " is unreadable: " + what);
    } catch (const std::exception &error) {
        throw DataError("direction file " + path + " is unreadable: " + error.what());
    }
}

} // namespace untangle
