#include "samplequeries.h"

#include <algorithm>

namespace untangle {
namespace {

/** The first `limit` of indices ordered by score (highest first); ties keep split order so views are stable. */
std::vector<int> topByScore(std::vector<int> indices, const std::vector<double> &score, int limit)
{
    std::stable_sort(indices.begin(), indices.end(), [&](int a, int b) { return score[a] > score[b]; });
    indices.resize(std::min(indices.size(), std::size_t(std::max(0, limit))));
    return indices;
}

} // namespace

std::vector<int> confidentMistakes(
    const std::vector<ImagePredictions> &predictions, const LabeledImages &split, int head, int limit, int *total)
{
    std::vector<int> wrong;
    std::vector<double> confidence(predictions.size(), 0.0);
    for (std::size_t i = 0; i < predictions.size() && int(i) < split.count; ++i) {
        const HeadPrediction &p = predictions[i][std::size_t(head)];
        confidence[i] = p.confidence;
        if (p.predicted != split.targets[i])
            wrong.push_back(int(i));
    }
    if (total)
        *total = int(wrong.size());
    return topByScore(std::move(wrong), confidence, limit);
}

std::vector<int> disagreements(
    const std::vector<ImagePredictions> &predictions, int headA, int headB, int limit, int *total)
{
    std::vector<int> differ;
    std::vector<double> confidence(predictions.size(), 0.0);
    for (std::size_t i = 0; i < predictions.size(); ++i) {
        const HeadPrediction &a = predictions[i][std::size_t(headA)], &b = predictions[i][std::size_t(headB)];
        // Both sure and still apart: the images where the two heads clearly use different cues.
        confidence[i] = std::min(a.confidence, b.confidence);
        if (a.predicted != b.predicted)
            differ.push_back(int(i));
    }
    if (total)
        *total = int(differ.size());
    return topByScore(std::move(differ), confidence, limit);
}

std::vector<int> cellMembers(const LabeledImages &split, int target, int bias)
{
    std::vector<int> members;
    for (int i = 0; i < split.count; ++i)
        if (split.targets[i] == target && split.biases[i] == bias)
            members.push_back(i);
    return members;
}

} // namespace untangle
