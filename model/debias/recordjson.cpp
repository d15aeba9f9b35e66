#include "recordjson.h"

#include "jsonlimits.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <sstream>

namespace untangle {
namespace {

using Json = nlohmann::json;

// JSON has no NaN: empty cells and undefined means are written as null and read back as NaN.
Json jsonNumber(double v)
{
    return std::isfinite(v) ? Json(v) : Json(nullptr);
}

/** Parses text once checkJsonLimits has bounded its size and nesting (a recursive parser must never see a bomb). */
Json parseBounded(const std::string &text, const char *what, std::uint64_t maxBytes = MaxSmallJsonBytes)
{
    checkJsonLimits(text, what, maxBytes);
    return Json::parse(text);
}

/** A JSON integer in [low, high]: a fraction (64.5) or a value that would wrap (2^32 + 64) is refused, not cast. */
std::int64_t wholeNumber(const Json &j, const char *key, std::int64_t low, std::int64_t high)
{
    if (!j.is_number_integer() || (j.is_number_unsigned() && j.get<std::uint64_t>() > std::uint64_t(high))
        || j.get<std::int64_t>() < low || j.get<std::int64_t>() > high)
        throw std::runtime_error(std::string("\"") + key + "\" is " + j.dump() + "; expected a whole number from "
            + std::to_string(low) + " to " + std::to_string(high));
    return j.get<std::int64_t>();
}

bool flag(const Json &j, const char *key)
{
    if (!j.is_boolean())
        throw std::runtime_error(std::string("\"") + key + "\" is " + j.dump() + "; expected true or false");
    return j.get<bool>();
}

double readNumber(const Json &j)
{
    return j.is_number() ? j.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

Json groupJson(const GroupAccuracy &g)
{
    Json cells = Json::array();
    for (const auto &row : g.cells) {
        Json r = Json::array();
        for (double v : row)
            r.push_back(jsonNumber(v));
        cells.push_back(r);
    }
    return Json {{"unbiased", jsonNumber(g.unbiased)}, {"aligned", jsonNumber(g.aligned)},
        {"conflicting", jsonNumber(g.conflicting)}, {"worst_group", jsonNumber(g.worstGroup)},
        {"accuracy", jsonNumber(g.sampleAccuracy)}, {"cells", cells}, {"cell_counts", g.cellCounts}};
}

GroupAccuracy groupFromJson(const Json &j)
{
    GroupAccuracy g;
    g.unbiased = readNumber(j.at("unbiased"));
    g.aligned = readNumber(j.at("aligned"));
    g.conflicting = readNumber(j.at("conflicting"));
    g.worstGroup = readNumber(j.at("worst_group"));
    g.sampleAccuracy = readNumber(j.value("accuracy", Json()));
    for (const auto &row : j.at("cells")) {
        std::vector<double> r;
        for (const auto &v : row)
            r.push_back(readNumber(v));
        g.cells.push_back(r);
    }
    if (j.contains("cell_counts"))
        g.cellCounts = j.at("cell_counts").get<std::vector<std::vector<int>>>();
    return g;
}

Json snapshotJson(const HeadSnapshot &s)
{
    return Json {{"epoch", s.epoch}, {"valid", groupJson(s.valid)}, {"test", groupJson(s.test)}};
}

HeadSnapshot snapshotFrom(const Json &j)
{
    return HeadSnapshot {j.at("epoch").get<int>(), groupFromJson(j.at("valid")), groupFromJson(j.at("test"))};
}

Json hardJson(const HardSamples &h)
{
    return Json {{"branch", h.branch}, {"k", h.k}, {"precision", jsonNumber(h.precision)},
        {"base_rate", jsonNumber(h.baseRate)}, {"indices", h.indices}, {"losses", h.losses}};
}

Json configJson(const DebiasConfig &c)
{
    const auto &d = c.dataset;
    return Json {{"method", methodKey(c.method)},
        {"dataset",
            {{"kind", datasetKey(d.kind)}, {"ratio", d.ratio}, {"color_noise", d.colorNoise}, {"seed", d.seed},
                {"path", d.path}, {"image_size", d.imageSize}}},
        {"architecture", architectureKey(c.architecture)}, {"deep_depth", c.deepDepth},
        {"shallow_depth", c.shallowDepth}, {"target_depth", c.targetDepth}, {"width", c.width},
        {"stage1_epochs", c.stage1Epochs}, {"stage2_epochs", c.stage2Epochs}, {"batch_size", c.batchSize},
        {"learning_rate", c.learningRate}, {"weight_decay", c.weightDecay},
        {"stage2_learning_rate", c.stage2LearningRate}, {"stage2_weight_decay", c.stage2WeightDecay},
        {"temperature", c.temperature}, {"poe_weight", c.poeWeight}, {"distill_weight", c.distillWeight},
        {"stage1_drop_last", c.stage1DropLast}, {"lff_q", c.lffQ}, {"lff_ema_alpha", c.lffEmaAlpha},
        {"lff_rescale_inputs", c.lffRescaleInputs}, {"seed", c.seed}, {"threads", c.threads},
        {"probe_every_iterations", c.probeEveryIterations}, {"checkpoint_every_epochs", c.checkpointEveryEpochs}};
}

} // namespace

std::string configToJson(const DebiasConfig &config)
{
    return configJson(config).dump(2);
}

std::string configDifferences(const DebiasConfig &stored, const DebiasConfig &given)
{
    const Json a = configJson(stored).flatten(), b = configJson(given).flatten();
    std::string text;
    for (const auto &[key, value] : a.items()) {
        if (key == "/threads" || (b.contains(key) && b.at(key) == value))
            continue;
        const std::string name = key.substr(key.find_first_not_of('/'));
        text += (text.empty() ? "" : "; ") + name + ": " + value.dump() + " vs "
            + (b.contains(key) ? b.at(key).dump() : std::string("missing"));
    }
    return text;
}

DebiasConfig configFromJson(const std::string &text)
{
    DebiasConfig c;
    const Json j = parseBounded(text, "config");
    if (!j.is_object())
        throw std::runtime_error("config is not a JSON object");
    auto need = [&j](const char *key) -> const Json & {
        if (!j.contains(key))
            throw std::runtime_error(std::string("config has no \"") + key + "\"");
        return j.at(key);
    };
    // Integers are read whole and within these bounds: far above any real run, far below what overflows an int or
    // allocates a network of gigabytes.
    constexpr std::int64_t MaxCount = 1 << 20;
    auto whole = [&need](const char *key, std::int64_t low, std::int64_t high) {
        return int(wholeNumber(need(key), key, low, high));
    };
    if (!parseMethodKey(need("method").get<std::string>(), c.method))
        throw std::runtime_error("config names an unknown method");
    const Json &d = need("dataset");
    if (!parseDatasetKey(d.at("kind").get<std::string>(), c.dataset.kind))
        throw std::runtime_error("config names an unknown dataset");
    c.dataset.ratio = d.at("ratio");
    c.dataset.colorNoise = d.at("color_noise");
    c.dataset.seed = d.at("seed");
    c.dataset.path = d.at("path");
    c.dataset.imageSize = int(wholeNumber(d.at("image_size"), "image_size", 0, 4096));
    if (!parseArchitectureKey(need("architecture").get<std::string>(), c.architecture))
        throw std::runtime_error("config names an unknown architecture");
    c.deepDepth = whole("deep_depth", 0, 1024);
    c.shallowDepth = whole("shallow_depth", 0, 1024);
    c.targetDepth = whole("target_depth", 0, 1024);
    c.width = whole("width", 0, MaxCount);
    c.stage1Epochs = whole("stage1_epochs", 0, MaxCount);
    c.stage2Epochs = whole("stage2_epochs", 0, MaxCount);
    c.batchSize = whole("batch_size", 0, MaxCount);
    c.learningRate = need("learning_rate");
    c.weightDecay = need("weight_decay");
    c.stage2LearningRate = need("stage2_learning_rate");
    c.stage2WeightDecay = need("stage2_weight_decay");
    c.temperature = need("temperature");
    c.poeWeight = need("poe_weight");
    c.distillWeight = need("distill_weight");
    // Added later: folders written before them ran with the values they default to here.
    c.stage1DropLast = j.contains("stage1_drop_last") ? flag(j.at("stage1_drop_last"), "stage1_drop_last") : true;
    c.lffRescaleInputs
        = j.contains("lff_rescale_inputs") ? flag(j.at("lff_rescale_inputs"), "lff_rescale_inputs") : false;
    c.lffQ = need("lff_q");
    c.lffEmaAlpha = need("lff_ema_alpha");
    c.seed = need("seed");
    c.threads = whole("threads", 0, 4096);
    c.probeEveryIterations = whole("probe_every_iterations", 0, std::numeric_limits<int>::max());
    c.checkpointEveryEpochs = whole("checkpoint_every_epochs", 0, MaxCount);
    return c;
}

std::string evaluationToJson(const EvaluationRecord &r)
{
    Json heads = Json::array();
    for (const auto &h : r.heads)
        heads.push_back(Json {{"head", h.head}, {"valid", groupJson(h.valid)}, {"test", groupJson(h.test)}});
    return Json {{"stage", r.stage}, {"epoch", r.epoch}, {"iteration", r.iteration},
        {"train_loss", jsonNumber(r.trainLoss)}, {"train_loss_aligned", jsonNumber(r.trainLossAligned)},
        {"train_loss_conflicting", jsonNumber(r.trainLossConflicting)}, {"poe_loss", jsonNumber(r.poeLoss)},
        {"distill_loss", jsonNumber(r.distillLoss)}, {"epoch_seconds", r.epochSeconds}, {"eval_seconds", r.evalSeconds},
        {"samples_per_second", r.samplesPerSecond}, {"heads", heads}}
        .dump();
}

EvaluationRecord evaluationFromJson(const std::string &text)
{
    const Json j = parseBounded(text, "evaluation record");
    EvaluationRecord r;
    r.stage = j.at("stage");
    r.epoch = j.at("epoch");
    r.iteration = j.at("iteration");
    r.trainLoss = readNumber(j.at("train_loss"));
    r.trainLossAligned = readNumber(j.at("train_loss_aligned"));
    r.trainLossConflicting = readNumber(j.at("train_loss_conflicting"));
    r.poeLoss = readNumber(j.at("poe_loss"));
    r.distillLoss = readNumber(j.at("distill_loss"));
    r.epochSeconds = j.at("epoch_seconds");
    r.evalSeconds = j.at("eval_seconds");
    r.samplesPerSecond = j.at("samples_per_second");
    for (const auto &h : j.at("heads"))
        r.heads.push_back(HeadAccuracy {h.at("head"), groupFromJson(h.at("valid")), groupFromJson(h.at("test"))});
    return r;
}

std::string probeToJson(const ProbeRecord &r)
{
    return Json {{"stage", r.stage}, {"epoch", r.epoch}, {"iteration", r.iteration}, {"branch", r.branch},
        {"target", r.targetAccuracy}, {"bias", r.biasAccuracy}}
        .dump();
}

ProbeRecord probeFromJson(const std::string &text)
{
    const Json j = parseBounded(text, "probe record");
    return ProbeRecord {j.at("stage"), j.at("epoch"), j.at("iteration"), j.at("branch"), j.at("target"), j.at("bias")};
}

std::string snapshotToJson(const HeadSnapshot &snapshot)
{
    return snapshotJson(snapshot).dump();
}

HeadSnapshot snapshotFromJson(const std::string &json)
{
    return snapshotFrom(parseBounded(json, "snapshot record"));
}

std::string hardSamplesToJson(const HardSamples &hard)
{
    return hardJson(hard).dump();
}

HardSamples hardSamplesFromJson(const std::string &text)
{
    const Json j = parseBounded(text, "hard-sample record", MaxJsonBytes);
    HardSamples h;
    h.branch = j.at("branch");
    h.k = j.at("k");
    h.precision = readNumber(j.at("precision"));
    h.baseRate = readNumber(j.at("base_rate"));
    h.indices = j.at("indices").get<std::vector<int>>();
    h.losses = j.at("losses").get<std::vector<double>>();
    return h;
}

std::string resultToJson(const DebiasResult &r, bool pretty)
{
    auto summary = [](const GroupAccuracy &g) {
        return Json {{"unbiased", jsonNumber(g.unbiased)}, {"aligned", jsonNumber(g.aligned)},
            {"conflicting", jsonNumber(g.conflicting)}, {"worst_group", jsonNumber(g.worstGroup)}};
    };
    auto headSummary = [&](const HeadSnapshot &s) {
        return Json {{"epoch", s.epoch}, {"valid", summary(s.valid)}, {"test", summary(s.test)}};
    };
    Json j {{"method", methodKey(r.config.method)}, {"dataset", datasetKey(r.config.dataset.kind)},
        {"ratio", r.config.dataset.ratio}, {"seed", r.config.seed}, {"final_head", r.finalHead},
        {"selected", headSummary(r.selected)}, {"last", headSummary(r.last)},
        {"seconds_per_epoch", {{"stage1", r.stage1SecondsPerEpoch}, {"stage2", r.stage2SecondsPerEpoch}}},
        {"total_seconds", r.totalSeconds}, {"stopped", r.stopped},
        {"hardest",
            Json {{"branch", r.hardest.branch}, {"k", r.hardest.k}, {"precision", jsonNumber(r.hardest.precision)},
                {"base_rate", jsonNumber(r.hardest.baseRate)}}}};
    if (!r.stage1Health.branch.empty())
        j["stage1_health"] = Json {{"branch", r.stage1Health.branch}, {"epoch", r.stage1Health.epoch},
            {"bias_decodability", jsonNumber(r.stage1Health.biasDecodability)},
            {"target_decodability", jsonNumber(r.stage1Health.targetDecodability)}};
    if (r.config.method == DebiasMethod::DeNetDM)
        j["stage1"] = Json {{"selected_epoch", r.stage1SelectedEpoch}, {"deep", headSummary(r.stage1Deep)},
            {"shallow", headSummary(r.stage1Shallow)}};
    return pretty ? j.dump(2) : j.dump();
}

DebiasResult resultFromJson(const std::string &text)
{
    const Json j = parseBounded(text, "result");
    if (!j.is_object())
        throw std::runtime_error("result is not a JSON object");
    auto summary = [](const Json &g) {
        GroupAccuracy a;
        a.unbiased = readNumber(g.at("unbiased"));
        a.aligned = readNumber(g.at("aligned"));
        a.conflicting = readNumber(g.at("conflicting"));
        a.worstGroup = readNumber(g.at("worst_group"));
        return a;
    };
    auto headSummary = [&](const Json &s) {
        return HeadSnapshot {
            int(wholeNumber(s.at("epoch"), "epoch", 0, 1 << 20)), summary(s.at("valid")), summary(s.at("test"))};
    };
    DebiasResult r;
    if (!parseMethodKey(j.at("method").get<std::string>(), r.config.method))
        throw std::runtime_error("result names an unknown method");
    if (!parseDatasetKey(j.at("dataset").get<std::string>(), r.config.dataset.kind))
        throw std::runtime_error("result names an unknown dataset");
    r.config.dataset.ratio = j.at("ratio").get<double>();
    r.stopped = j.value("stopped", false);
    if (r.stopped)
        return r; // older versions wrote a stopped run's result with partial numbers: nothing to read
    r.config.seed = j.at("seed").get<std::uint64_t>();
    r.finalHead = j.at("final_head").get<std::string>();
    r.selected = headSummary(j.at("selected"));
    r.last = headSummary(j.at("last"));
    const Json &seconds = j.at("seconds_per_epoch");
    r.stage1SecondsPerEpoch = readNumber(seconds.at("stage1"));
    r.stage2SecondsPerEpoch = readNumber(seconds.at("stage2"));
    r.totalSeconds = readNumber(j.at("total_seconds"));
    const Json &hardest = j.at("hardest");
    r.hardest.branch = hardest.at("branch").get<std::string>();
    r.hardest.k = int(wholeNumber(hardest.at("k"), "k", 0, std::int64_t(1) << 31));
    r.hardest.precision = readNumber(hardest.at("precision"));
    r.hardest.baseRate = readNumber(hardest.at("base_rate"));
    if (j.contains("stage1_health")) { // written since the probe-based health check
        const Json &h = j.at("stage1_health");
        r.stage1Health.branch = h.at("branch").get<std::string>();
        r.stage1Health.epoch = int(wholeNumber(h.at("epoch"), "epoch", 0, 1 << 20));
        r.stage1Health.biasDecodability = readNumber(h.at("bias_decodability"));
        r.stage1Health.targetDecodability = readNumber(h.at("target_decodability"));
    }
    if (j.contains("stage1")) {
        const Json &s1 = j.at("stage1");
        r.stage1SelectedEpoch = int(wholeNumber(s1.at("selected_epoch"), "selected_epoch", 0, 1 << 20));
        r.stage1Deep = headSummary(s1.at("deep"));
        r.stage1Shallow = headSummary(s1.at("shallow"));
    }
    return r;
}

std::string evaluationCsvHeader(const std::vector<std::string> &heads)
{
    std::ostringstream out;
    out << "stage,epoch,iteration,train_loss,train_loss_aligned,train_loss_conflicting,poe_loss,distill_loss,"
           "epoch_seconds,eval_seconds,samples_per_second";
    for (const auto &head : heads)
        for (const char *split : {"valid", "test"})
            for (const char *field : {"unbiased", "aligned", "conflicting", "worst_group"})
                out << ',' << head << '_' << split << '_' << field;
    return out.str();
}

std::string evaluationCsvRow(const EvaluationRecord &r, const std::vector<std::string> &heads)
{
    std::ostringstream out;
    out.precision(6);
    out << r.stage << ',' << r.epoch << ',' << r.iteration << ',' << r.trainLoss << ',' << r.trainLossAligned << ','
        << r.trainLossConflicting << ',' << r.poeLoss << ',' << r.distillLoss << ',' << r.epochSeconds << ','
        << r.evalSeconds << ',' << r.samplesPerSecond;
    for (const auto &name : heads) {
        const HeadAccuracy *head = r.findHead(name);
        for (const GroupAccuracy *g : {head ? &head->valid : nullptr, head ? &head->test : nullptr})
            for (int field = 0; field < 4; ++field) {
                out << ',';
                if (g) {
                    const double v = field == 0 ? g->unbiased
                        : field == 1            ? g->aligned
                        : field == 2            ? g->conflicting
                                                : g->worstGroup;
                    if (std::isfinite(v))
                        out << v;
                }
            }
    }
    return out.str();
}

} // namespace untangle
