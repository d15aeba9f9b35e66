#pragma once
#include <QStringList>

namespace untangle::cli {
/** `untangle-cli directions`: SeFa, GANSpace or Voynov-Babenko directions of a generator, saved as JSON. */
int runDirectionsCommand(const QStringList &arguments);
} // namespace untangle::cli
