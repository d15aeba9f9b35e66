#pragma once
#include <QStringList>

namespace untangle::cli {
/** `untangle-cli study`: the {SeFa, GANSpace, Voynov-Babenko} x {before, after SRE} table over generators and seeds. */
int runStudyCommand(const QStringList &arguments);
/** `untangle-cli evaluate`: the disentanglement protocol and the rescoring matrix for direction files. */
int runEvaluateCommand(const QStringList &arguments);
/** `untangle-cli label`: directions renamed after the ground-truth factor each moves most. */
int runLabelCommand(const QStringList &arguments);
} // namespace untangle::cli
