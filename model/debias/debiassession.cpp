#include "debiassession.h"

#include "computeruntime.h"
#include "dataerror.h"
#include "evalbatches.h"
#include "recordjson.h"
#include "seededrandom.h"

#include <cmath>
#include <filesystem>
#include <mutex>
#include <numeric>
#include <sstream>

namespace untangle {
namespace {

/** Guards torch's global generator while a session seeds it and draws its modules' initial weights. */
std::mutex &sessionGeneratorMutex()
{
    static std::mutex mutex;
    return mutex;
}

constexpr int ProgressEveryBatches = 8; // often enough for a smooth bar and a prompt stop, rare enough to cost nothing
constexpr std::uint64_t ShuffleStream = 77;

GroupAccuracy accuracyOf(const torch::Tensor &logits, const SplitTensors &split, int numTargets, int numBiases)
{
    const auto predictions = logits.argmax(1).contiguous();
    std::vector<std::int64_t> list(
        predictions.data_ptr<std::int64_t>(), predictions.data_ptr<std::int64_t>() + predictions.numel());
    return groupAccuracy(list, split.targetList, split.biasList, numTargets, numBiases);
}

double mean(double sum, long long count)
{
    return count > 0 ? sum / double(count) : std::numeric_limits<double>::quiet_NaN();
}

} // namespace

DebiasSession::DebiasSession(const DebiasConfig &config, const BiasedDataset &dataset, const DebiasCallbacks &callbacks,
    const std::string &runDir)
    : m_config(config)
    , m_dataset(dataset)
    , m_callbacks(callbacks)
{
    if (const std::string problem = validateConfig(config); !problem.empty())
        throw std::invalid_argument(problem);
    if (dataset.train.count < config.batchSize)
        throw DataError("the training split has " + std::to_string(dataset.train.count)
            + " samples, fewer than one batch of " + std::to_string(config.batchSize));
    if (!runDir.empty())
        m_folder.emplace(runDir);
    configureComputeThread(config.threads);
    m_train = toSplitTensors(dataset.train);
    m_valid = toSplitTensors(dataset.valid);
    m_test = toSplitTensors(dataset.test);
    m_probeSets = makeProbeSets(m_valid, m_test, dataset.numTargets(), dataset.numBiases());
    {
        // The initial weights come from torch's one global generator: sessions built at the same time (--seeds N)
        // would interleave their draws, so seeding and drawing happen as one step, and the state after it is kept
        // for the modules a later stage builds (DeNetDM's target), as if this session were alone in the process.
        std::lock_guard lock(sessionGeneratorMutex());
        torch::manual_seed(config.seed);
        m_trainer = makeMethodTrainer(config, inputShapeOf(dataset.train), dataset.numTargets(), dataset.train.count);
        m_generatorAfterInit = at::detail::getDefaultCPUGenerator().get_state();
    }
    m_shuffle.seed(SeededRandom::derive(config.seed, ShuffleStream));
}

DebiasResult DebiasSession::run(bool resume, bool overwrite)
{
    m_start = std::chrono::steady_clock::now();
    if (m_folder)
        m_claim = std::make_unique<RunFolderClaim>(m_folder->dir(), RunKind::Debias,
            resume          ? RunFolderMode::Resume
                : overwrite ? RunFolderMode::Overwrite
                            : RunFolderMode::Fresh);
    std::vector<std::string> heads = m_trainer->heads(1);
    if (m_trainer->stageCount() > 1)
        for (const auto &h : m_trainer->heads(2))
            heads.push_back(h);

    int stage = 1, epochsDone = 0;
    if (resume) {
        if (!m_folder || !m_folder->hasCheckpoint())
            throw DataError(
                (m_folder ? m_folder->checkpointPath() : std::string("run folder")) + ": no checkpoint to resume from");
        std::tie(stage, epochsDone) = loadCheckpoint();
        m_folder->setHeads(heads);
        m_folder->truncateRecords(m_evaluations, m_probes);
        m_folder->removeResult();
        for (const auto &probe : m_folder->readProbes())
            if (probe.stage == 1 && probe.epoch > 0)
                m_stage1Probes.push_back(probe);
    } else {
        if (m_folder)
            m_folder->create(m_config, heads);
        m_trainer->beginStage(1, m_train.images);
    }

    for (; stage <= m_trainer->stageCount() && !m_stopped; ++stage, epochsDone = 0) {
        if (epochsDone == 0 && stage > 1) {
            std::lock_guard lock(sessionGeneratorMutex());
            at::Generator generator = at::detail::getDefaultCPUGenerator(); // a handle on the one global state
            {
                std::lock_guard stateLock(generator.mutex()); // released before the draws, which take it themselves
                generator.set_state(m_generatorAfterInit);
            }
            m_trainer->beginStage(stage, m_train.images);
        }
        trainStage(stage, epochsDone + 1);
        if (!m_stopped)
            finishStage(stage);
    }
    const DebiasResult result = makeResult();
    // result.json marks a finished run: a stopped one has only its checkpoint and records (table skips it).
    if (m_folder && !result.stopped)
        m_folder->writeResult(result);
    return result;
}

void DebiasSession::trainStage(int stage, int firstEpoch)
{
    if (firstEpoch == 1 && m_config.probeEveryIterations > 0)
        runProbes(stage, 0); // the untrained state: where the curves of Figures 2-3 start
    for (int epoch = firstEpoch; epoch <= m_trainer->epochs(stage); ++epoch) {
        EvaluationRecord record;
        if (!trainEpoch(stage, epoch, record)) {
            m_stopped = true;
            return;
        }
        evaluate(stage, record);
        select(stage, record);
        m_lastRecord = record;
        ++m_evaluations;
        if (m_folder)
            m_folder->appendEvaluation(record);
        if (m_callbacks.evaluated)
            m_callbacks.evaluated(record);
        if (m_config.probeEveryIterations > 0)
            runProbes(stage, epoch);
        const bool last = epoch == m_trainer->epochs(stage);
        if (m_folder && (last || epoch % std::max(1, m_config.checkpointEveryEpochs) == 0))
            writeCheckpoint(stage, epoch);
        if (!reportProgress(stage, epoch, 1.0, "evaluated")) {
            m_stopped = !last || stage < m_trainer->stageCount();
            return;
        }
    }
}

bool DebiasSession::trainEpoch(int stage, int epoch, EvaluationRecord &record)
{
    const auto begin = std::chrono::steady_clock::now();
    m_trainer->setTraining(true);
    const int n = m_train.count(), batch = m_config.batchSize;
    std::vector<std::int64_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), m_shuffle); // mt19937_64 + std::shuffle: fixed for our toolchain
    const auto orderTensor = torch::tensor(order, torch::kInt64);
    const int batches = m_trainer->dropLast(stage) && m_config.stage1DropLast ? n / batch : (n + batch - 1) / batch;

    double lossSum = 0, alignedSum = 0, conflictingSum = 0, poeSum = 0, distillSum = 0;
    long long alignedCount = 0, conflictingCount = 0;
    for (int b = 0; b < batches; ++b) {
        const int start = b * batch, size = std::min(batch, n - start);
        const auto index = orderTensor.narrow(0, start, size);
        const auto images = m_train.images.index_select(0, index);
        const auto targets = m_train.targets.index_select(0, index);
        const BatchLoss loss = m_trainer->trainBatch(images, targets, index);
        const double value = loss.loss.item<double>();
        if (!std::isfinite(value))
            throw TrainingError("the loss became " + std::string(std::isnan(value) ? "NaN" : "infinite") + " in stage "
                + std::to_string(stage) + ", epoch " + std::to_string(epoch) + " (batch " + std::to_string(b + 1)
                + "); "
                + (m_folder && m_folder->hasCheckpoint() ? "the last good checkpoint is kept in " + m_folder->dir()
                                                         : std::string("no checkpoint was written"))
                + ". Try a lower learning rate.");
        lossSum += value;
        poeSum += loss.poe;
        distillSum += loss.distill;
        const auto aligned = m_train.aligned.index_select(0, index);
        alignedSum += loss.perSample.masked_select(aligned).sum().item<double>();
        conflictingSum += loss.perSample.masked_select(aligned.logical_not()).sum().item<double>();
        const long long nAligned = aligned.sum().item<std::int64_t>();
        alignedCount += nAligned;
        conflictingCount += size - nAligned;
        ++m_iteration;
        if (epoch == 1 && m_config.probeEveryIterations > 0 && m_iteration % m_config.probeEveryIterations == 0)
            runProbes(stage, 0); // dense early: the paper's Figure 3 happens within the first epoch
        if ((b + 1) % ProgressEveryBatches == 0 && !reportProgress(stage, epoch, double(b + 1) / batches, "training"))
            return false;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    record.stage = stage;
    record.epoch = epoch;
    record.iteration = m_iteration;
    record.trainLoss = lossSum / batches;
    record.poeLoss = poeSum / batches;
    record.distillLoss = distillSum / batches;
    record.trainLossAligned = mean(alignedSum, alignedCount);
    record.trainLossConflicting = mean(conflictingSum, conflictingCount);
    record.epochSeconds = seconds;
    record.samplesPerSecond = seconds > 0 ? double(alignedCount + conflictingCount) / seconds : 0.0;
    m_stageSeconds[stage - 1] += seconds;
    m_stageEpochs[stage - 1] += 1;
    return true;
}

void DebiasSession::evaluate(int stage, EvaluationRecord &record)
{
    const auto begin = std::chrono::steady_clock::now();
    m_trainer->setTraining(false);
    const auto names = m_trainer->heads(stage);
    const int targets = m_dataset.numTargets(), biases = m_dataset.numBiases();
    std::vector<std::vector<torch::Tensor>> validParts(names.size()), testParts(names.size());
    auto collect = [&](const SplitTensors &split, std::vector<std::vector<torch::Tensor>> &parts) {
        torch::NoGradGuard noGrad;
        const std::int64_t n = split.images.size(0);
        for (std::int64_t start = 0; start < n; start += EvalChunk) {
            const auto logits
                = m_trainer->headLogits(stage, split.images.narrow(0, start, std::min(EvalChunk, n - start)));
            for (std::size_t h = 0; h < names.size(); ++h)
                parts[h].push_back(logits[h]);
        }
    };
    collect(m_valid, validParts);
    collect(m_test, testParts);
    record.heads.clear();
    for (std::size_t h = 0; h < names.size(); ++h)
        record.heads.push_back(HeadAccuracy {names[h], accuracyOf(torch::cat(validParts[h]), m_valid, targets, biases),
            accuracyOf(torch::cat(testParts[h]), m_test, targets, biases)});
    record.evalSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

void DebiasSession::runProbes(int stage, int epoch)
{
    m_trainer->setTraining(false);
    const auto &p = m_probeSets;
    for (const auto &branch : m_trainer->probeBranches(stage)) {
        const auto fit
            = mapBatches(p.validImages, [&](const torch::Tensor &x) { return m_trainer->branchFeatures(branch, x); });
        const auto score
            = mapBatches(p.testImages, [&](const torch::Tensor &x) { return m_trainer->branchFeatures(branch, x); });
        ProbeRecord record;
        record.stage = stage;
        record.epoch = epoch;
        record.iteration = m_iteration;
        record.branch = branch;
        record.targetAccuracy = linearDecodability(fit, p.validTargets, score, p.testTargets, p.numTargets);
        record.biasAccuracy = linearDecodability(fit, p.validBiases, score, p.testBiases, p.numBiases);
        ++m_probes;
        if (stage == 1 && epoch > 0)
            m_stage1Probes.push_back(record);
        if (m_folder)
            m_folder->appendProbe(record);
        if (m_callbacks.probed)
            m_callbacks.probed(record);
    }
    m_trainer->setTraining(true);
}

void DebiasSession::select(int stage, const EvaluationRecord &record)
{
    const HeadAccuracy *head = record.findHead(m_trainer->selectionHead(stage));
    if (!head)
        return;
    // Selection on valid only (the official code selects on test; we never do).
    const double score = m_trainer->selectOnConflicting(stage) ? head->valid.conflicting : head->valid.unbiased;
    if (!(score > m_best.score))
        return;
    m_best.score = score;
    m_best.epoch = record.epoch;
    m_best.record = record;
    m_best.state.clear();
    for (const auto &t : m_trainer->stageState(stage))
        m_best.state.push_back(t.detach().clone());
}

void DebiasSession::finishStage(int stage)
{
    // Continue from (and report) the selected epoch, as the paper's stage 2 starts from the selected stage-1 model.
    {
        torch::NoGradGuard noGrad;
        const auto live = m_trainer->stageState(stage);
        for (std::size_t i = 0; i < live.size() && i < m_best.state.size(); ++i)
            live[i].copy_(m_best.state[i]);
    }
    m_trainer->setTraining(false);
    const std::string finalHead = m_trainer->finalHead();
    if (const HeadAccuracy *head = m_best.record.findHead(finalHead))
        m_selectedFinal = HeadSnapshot {m_best.epoch, head->valid, head->test};
    if (stage == 1) {
        m_stage1Selected = m_best.epoch;
        if (const HeadAccuracy *deep = m_best.record.findHead("deep"))
            m_stage1Deep = HeadSnapshot {m_best.epoch, deep->valid, deep->test};
        if (const HeadAccuracy *shallow = m_best.record.findHead("shallow"))
            m_stage1Shallow = HeadSnapshot {m_best.epoch, shallow->valid, shallow->test};
        m_hardest = rankHardSamples();

        if (m_folder)
            m_folder->writeHardest(m_hardest);
        if (m_callbacks.hardSamples)
            m_callbacks.hardSamples(m_hardest);
    }
    if (stage < m_trainer->stageCount()) {
        m_best = StageBest();
        m_iteration = 0;
    }
}

HardSamples DebiasSession::rankHardSamples()
{
    HardSamples hard;
    hard.branch = m_trainer->biasedBranch();
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> parts;
    const std::int64_t n = m_train.images.size(0);
    for (std::int64_t start = 0; start < n; start += EvalChunk) {
        const std::int64_t size = std::min(EvalChunk, n - start);
        parts.push_back(
            m_trainer->biasedLosses(m_train.images.narrow(0, start, size), m_train.targets.narrow(0, start, size)));
    }
    const auto all = torch::cat(parts);
    const auto conflicting = m_train.aligned.logical_not();
    hard.k = int(conflicting.sum().item<std::int64_t>());
    hard.baseRate = n > 0 ? double(hard.k) / double(n) : 0.0;
    if (hard.k == 0)
        return hard;
    const auto top = all.topk(hard.k);
    const auto values = std::get<0>(top).contiguous(), indices = std::get<1>(top).contiguous();
    hard.precision = conflicting.index_select(0, indices).to(torch::kFloat64).mean().item<double>();
    for (std::int64_t i = 0; i < indices.numel(); ++i) {
        hard.indices.push_back(int(indices[i].item<std::int64_t>()));
        hard.losses.push_back(values[i].item<double>());
    }
    return hard;
}

BranchHealth DebiasSession::stage1Health() const
{
    // Derived, not kept: the selected stage-1 epoch is in the checkpoint and the probes are re-read on resume, so a
    // run resumed in stage 2 reports the same health as one that never stopped.
    if (m_stage1Selected <= 0)
        return {};
    BranchHealth health {m_trainer->biasedBranch(), m_stage1Selected};
    for (const auto &probe : m_stage1Probes)
        if (probe.epoch == m_stage1Selected && probe.branch == health.branch) {
            health.biasDecodability = probe.biasAccuracy;
            health.targetDecodability = probe.targetAccuracy;
        }
    return health;
}

DebiasResult DebiasSession::makeResult() const
{
    DebiasResult result;
    result.config = m_config;
    result.finalHead = m_trainer->finalHead();
    result.selected = m_selectedFinal;
    if (m_stopped && m_best.epoch > 0)
        if (const HeadAccuracy *head = m_best.record.findHead(result.finalHead))
            result.selected = HeadSnapshot {m_best.epoch, head->valid, head->test};
    if (const HeadAccuracy *head = m_lastRecord.findHead(result.finalHead))
        result.last = HeadSnapshot {m_lastRecord.epoch, head->valid, head->test};
    result.stage1Deep = m_stage1Deep;
    result.stage1Shallow = m_stage1Shallow;
    result.stage1SelectedEpoch = m_stage1Selected;
    result.hardest = m_hardest;
    result.stage1Health = stage1Health();
    result.stage1SecondsPerEpoch = m_stageEpochs[0] ? m_stageSeconds[0] / m_stageEpochs[0] : 0.0;
    result.stage2SecondsPerEpoch = m_stageEpochs[1] ? m_stageSeconds[1] / m_stageEpochs[1] : 0.0;
    result.totalSeconds
        = m_priorSeconds + std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    result.stopped = m_stopped;
    return result;
}

bool DebiasSession::reportProgress(int stage, int epoch, double withinEpoch, const std::string &what)
{
    if (!m_callbacks.progress)
        return true;
    const int done = (stage == 2 ? m_config.stage1Epochs : 0) + epoch - 1;
    const double fraction = (double(done) + withinEpoch) / double(std::max(1, totalEpochs(m_config)));
    std::ostringstream text;
    text << "stage " << stage << ", epoch " << epoch << "/" << m_trainer->epochs(stage) << ": " << what;
    return m_callbacks.progress(std::min(1.0, fraction), text.str());
}

} // namespace untangle
