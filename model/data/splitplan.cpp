#include "splitplan.h"

#include "biasassignment.h"
#include "coloredmnist.h"
#include "seededrandom.h"

namespace untangle {

namespace {
constexpr double TrainShare = 0.9; // the last 10% of each class becomes the unbiased valid split
}

TrainTestPlan planTrainTest(
    const GreyImages &train, const GreyImages &test, int numClasses, int numBiases, double ratio, std::uint64_t seed)
{
    TrainTestPlan plan;
    const auto byClass = indicesByClass(train.labels, numClasses, "training images");
    for (int c = 0; c < numClasses; ++c) {
        const int n = int(byClass[c].size());
        const int nTrain = int(n * TrainShare);
        const auto bias = assignBiasLabels(nTrain, c, numBiases, ratio, SeededRandom::derive(seed, c));
        for (int k = 0; k < nTrain; ++k)
            plan.train.add(byClass[c][k], c, bias[k]);
        for (int k = nTrain; k < n; ++k)
            plan.valid.add(byClass[c][k], c, (k - nTrain) % numBiases);
    }
    indicesByClass(test.labels, numClasses, "test images"); // validates the labels
    SeededRandom random(FixedTestSeed);
    for (int i = 0; i < test.count; ++i)
        plan.test.add(i, int(test.labels[i]), random.below(numBiases));
    return plan;
}

} // namespace untangle
