#pragma once

#include <QString>

namespace untangle {

/** What a folder handed to "open run" holds, judged from its files (config.json keys, directions.json). */
enum class RunFolderKind {
    Missing, // nothing at that path
    File, // a file, not a folder
    Debias, // a debias run (config.json with a "method")
    Gan, // a GAN training run (config.json with "resolution" and "emaBeta", or a generator.pt)
    Sre, // an SRE run (config.json naming "generator", "directions" and "steps")
    Directions, // a folder of latent directions (directions.json, no run config)
    Unknown,
};

RunFolderKind runFolderKind(const QString &path);

/**
 * Why path does not open as a debias run and where it opens instead ("... is a GAN run; open it in the Latent
 * workspace ..."); empty for a debias run or an unknown folder (whose own error says more).
 */
QString notADebiasRunText(const QString &path);

} // namespace untangle
