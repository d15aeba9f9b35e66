#pragma once
// Value types between the Inspect page and the thread that owns a run's models (InspectionService): the GUI sends
// an image and gets verdicts, saliency and the cue-conflict set back, and never calls a model itself.

#include "imageu8.h"
#include "runinspector.h"

#include <cstdint>
#include <string>
#include <vector>

namespace untangle {

/** A run's heads and where each one's weights come from: a copy the views read instead of asking the models. */
struct RunHeads {
    std::vector<std::string> names; // the order of ImagePredictions
    std::vector<HeadWeights> weights; // weights[i] belongs to names[i]

    static RunHeads of(const RunInspector &inspector);
    /** Position of head in names, or -1. */
    int indexOf(const std::string &head) const;
    /** Its weights' stage and epoch; stage 0 for a head the run does not have. */
    HeadWeights weightsOf(const std::string &head) const;
};

/** One selected image to explain. */
struct ImageInspectionRequest {
    std::uint64_t id = 0; // set by the service
    ImageU8 image; // of the run's dataset shape, HWC
    std::vector<std::string> saliencyHeads; // one overlay each, for the head's own predicted class
    int saliencyUpscale = 4;
    bool cueConflict = false; // also recolour the image into its cue-conflict set and predict it
    int colour = -1; // the image's palette colour (cueConflict only)
};

/** What the run's models say about one image. */
struct ImageInspection {
    std::uint64_t id = 0;
    ImageU8 image;
    ImagePredictions predictions; // every head on the image, in RunHeads order
    std::vector<ImageU8> saliency; // per request.saliencyHeads, in that order
    // The cue-conflict set (cueConflict only): the shape in every palette colour, then the colour alone, then the
    // shape alone in grey; with every head's verdict on each.
    std::vector<ImageU8> cueProbes;
    int recoloured = 0; // how many of cueProbes are recolourings
    std::vector<ImagePredictions> cuePredictions;
};

/** Runs the models for a request; call it only on the thread that owns inspector. Throws what the models throw. */
ImageInspection inspectImage(RunInspector &inspector, const ImageInspectionRequest &request);

} // namespace untangle
