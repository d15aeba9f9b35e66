#include "coloredtraintest.h"

#include "datasetnaming.h"
#include "seededrandom.h"

namespace untangle {

BiasedDataset buildColoredTrainTest(const GreyImages &train, const GreyImages &test, const ColoringOptions &options,
    const std::string &name, const std::vector<std::string> &targetNames)
{
    checkRatio(options.ratio);
    const int numClasses = int(targetNames.size());
    const TrainTestPlan plan = planTrainTest(train, test, numClasses, 10, options.ratio, options.seed);

    BiasedDataset dataset;
    dataset.name = name;
    dataset.targetNames = targetNames;
    dataset.biasNames = colourNames();
    colorSplit(train, plan.train, options.colorNoise, SeededRandom::derive(options.seed, 1000), dataset.train);
    colorSplit(train, plan.valid, 0.0, 0, dataset.valid);
    colorSplit(test, plan.test, 0.0, 0, dataset.test);
    return dataset;
}

} // namespace untangle
