#include "debiasflops.h"

namespace untangle {
namespace {

/** Multiply-adds of one forward pass of an MLP branch of `depth` linear layers including the head. */
double branchMacs(long long input, int depth, int width)
{
    return double(input) * width + double(depth - 2) * width * width;
}

/**
 * Forward + backward FLOPs: backward costs two GEMMs per layer (weight and input gradient) except that no one
 * needs the gradient of the input pixels, so the first layer's input-gradient GEMM is skipped.
 */
double trainingFlops(double forwardMacs, double firstLayerMacs)
{
    return 2.0 * (3.0 * forwardMacs - firstLayerMacs);
}

} // namespace

DebiasFlops mlpDebiasFlops(const DebiasConfig &c, long long inputSize, int numClasses)
{
    const double head = double(c.width) * numClasses;
    const double first = double(inputSize) * c.width;
    const double deep = branchMacs(inputSize, c.deepDepth, c.width);
    const double shallow = branchMacs(inputSize, c.shallowDepth, c.width);
    const double target = branchMacs(inputSize, c.targetDepth, c.width);
    DebiasFlops flops;
    flops.stage1 = trainingFlops(deep + shallow + head, 2.0 * first);
    flops.stage2 = trainingFlops(target + 2.0 * head, first); // head_t runs on the PoE sum and on the target alone
    flops.evaluation = 2.0 * (deep + shallow + 3.0 * head);
    return flops;
}

} // namespace untangle
