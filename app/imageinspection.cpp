#include "imageinspection.h"

#include "cueconflict.h"

#include <algorithm>

namespace untangle {

RunHeads RunHeads::of(const RunInspector &inspector)
{
    RunHeads heads;
    heads.names = inspector.heads();
    for (const auto &name : heads.names)
        heads.weights.push_back(inspector.weightsOf(name));
    return heads;
}

int RunHeads::indexOf(const std::string &head) const
{
    const auto found = std::find(names.begin(), names.end(), head);
    return found == names.end() ? -1 : int(found - names.begin());
}

HeadWeights RunHeads::weightsOf(const std::string &head) const
{
    const int index = indexOf(head);
    return index < 0 ? HeadWeights() : weights[std::size_t(index)];
}

ImageInspection inspectImage(RunInspector &inspector, const ImageInspectionRequest &request)
{
    ImageInspection answer;
    answer.id = request.id;
    answer.image = request.image;
    answer.predictions = inspector.predict(std::vector<ImageU8> {request.image}).front();
    for (const auto &head : request.saliencyHeads)
        answer.saliency.push_back(inspector.saliencyOverlay(request.image, head, -1, request.saliencyUpscale));
    if (request.cueConflict) {
        const CueConflictSet set = makeCueConflictSet(request.image, request.colour);
        answer.cueProbes = set.recoloured;
        answer.recoloured = int(set.recoloured.size());
        answer.cueProbes.push_back(set.colourOnly);
        answer.cueProbes.push_back(set.greyOnly);
        answer.cuePredictions = inspector.predict(answer.cueProbes);
    }
    return answer;
}

} // namespace untangle
