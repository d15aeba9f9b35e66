#pragma once

#include <QString>

namespace untangle {

/**
 * False when the generator comes from a GAN run folder (generator.pt beside the run's config.json) whose config says
 * it learned a dataset of real images (MNIST-10k, Fashion-MNIST, an image folder): its images have a world's shape
 * (3 channels at 64 px look like Scenes) but a factor reader would read nonsense from them. True otherwise: the
 * shape decides (FactorWorld::forImages), as for the shipped generators and TorchScript files.
 */
bool mayBelongToRenderedWorld(const QString &generatorPath);

} // namespace untangle
