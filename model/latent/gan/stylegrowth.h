#pragma once
// model-internal: starting a generator from a smaller one (ProGAN's progressive growing, one step) or one of its size.
#include "gan/stylegenerator.h"

#include <string>

namespace untangle {

/** Why `smaller` cannot start `larger` (another latent, style, channel or synthesis setting, a larger picture, a last
 *  stage of another width, ProGAN's synthesis grown to a larger picture or narrowed), or an empty string when it can.
 *  A generator of the same size starts `larger` as it is: a fine-tune with a fresh critic. ProGAN's synthesis may
 *  also be wider at any stage (widenProGanSynthesis). */
std::string styleGrowthProblem(const StyleGeneratorConfig &smaller, const StyleGeneratorConfig &larger);

/**
 * ProGAN's synthesis: copies the mapping and widens the synthesis (widenProGanSynthesis), so `larger` first draws what
 * `smaller` draws. The style synthesis:
 * Copies every layer of `smaller` into `larger` (mapping, constant, the shared stages' convolutions and the 1x1 to
 * image channels) and starts each new stage's convolution as the identity with unit styles, so `larger` first draws
 * what `smaller` draws, upsampled, and training refines the new stages' detail instead of learning the layout anew.
 * Throws std::invalid_argument with styleGrowthProblem's text when the two do not fit.
 */
void growStyleNetwork(const StyleNetwork &smaller, StyleNetwork &larger);

} // namespace untangle
