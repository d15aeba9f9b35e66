#pragma once

#include "biaseddataset.h"
#include "debiasconfig.h"
#include "imageu8.h"

#include <memory>
#include <string>
#include <vector>

namespace untangle {

/** One head's verdict on one image. */
struct HeadPrediction {
    std::string head;
    int predicted = -1;
    double confidence = 0.0; // softmax probability of the predicted class
    std::vector<double> probabilities; // per class
};

/** Which weights a head's verdicts come from. */
struct HeadWeights {
    int stage = 0; // 0: unknown head
    int epoch = 0;
    bool selected = false; // the stage's epoch selected on the valid split; false: its last finished epoch
};

/** Every head's verdict on one image, in heads() order. */
using ImagePredictions = std::vector<HeadPrediction>;

/**
 * A finished (or interrupted) run's models, loaded from its folder for inspection: predictions of every head
 * (deep, shallow, PoE, target; or the baselines' heads) on any images, and input-gradient saliency. Uses the
 * selected epoch's weights (the ones result.json reports), not the last epoch's.
 */
class RunInspector {
public:
    /** Loads runDir/config.json and checkpoint.pt for a run on `dataset` (built from the run's config). Throws
     * DataError. */
    RunInspector(const std::string &runDir, const BiasedDataset &dataset);
    ~RunInspector();
    RunInspector(const RunInspector &) = delete;
    RunInspector &operator=(const RunInspector &) = delete;

    const DebiasConfig &config() const;
    std::vector<std::string> heads() const;
    /** The stage and epoch whose weights head predicts with (DeNetDM's stage-1 heads keep their selected epoch in
     *  stage 2). */
    HeadWeights weightsOf(const std::string &head) const;

    /** Predictions for images of the dataset's shape (HWC uint8). */
    std::vector<ImagePredictions> predict(const std::vector<ImageU8> &images);
    /** Predictions for rows of a split, e.g. the test images of one (target, bias) cell. */
    std::vector<ImagePredictions> predict(const LabeledImages &split, const std::vector<int> &indices);

    /**
     * |d logit / d pixel| of a head's logit for classIndex (-1 = its predicted class), max over channels, drawn as
     * an OpenCV JET colour map blended over the image and scaled up by `upscale` (nearest) so pixels stay visible.
     */
    ImageU8 saliencyOverlay(const ImageU8 &image, const std::string &head, int classIndex = -1, int upscale = 4);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace untangle
