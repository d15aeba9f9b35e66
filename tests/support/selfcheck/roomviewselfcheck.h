#pragma once
// Std-only helpers for the room-view measure's tests (factors/roomcommitment.h).
#include "scenesrenderer.h"

#include <string>
#include <vector>

namespace untangle::selfcheck {

/** What roomViewShare is shown of each scene. */
enum class RoomViewInput {
    Render, // the render itself
    AveragedRoom, // the mean of its room's 15 orientations (the dome)
    MirrorBlend, // the render blended half and half with its mirror image
};

/** roomViewShare of `scenes` shown as `input` at `resolution`, with an exact reader: the probabilities are the scenes'
 *  true factors one-hot. */
double roomViewShareOfScenes(const std::vector<SceneFactors> &scenes, RoomViewInput input, int resolution = 32);

/** The std::invalid_argument text roomViewShare gives for `count` images of `channels` channels at 32 px (random
 *  pixels, uniform answers), or "" when it accepts them. */
std::string roomViewShareProblem(int count, int channels);

} // namespace untangle::selfcheck
