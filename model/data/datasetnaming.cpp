#include "datasetnaming.h"

#include "dataerror.h"

#include <cstdio>

namespace untangle {

void checkRatio(double ratio)
{
    if (!(ratio >= 0.0 && ratio <= 1.0))
        throw DataError("conflicting ratio " + std::to_string(ratio) + " is outside [0, 1]");
}

std::string describeOptions(const ColoringOptions &options)
{
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, "%g%% conflicting, colour noise %g, seed %llu", options.ratio * 100.0,
                  options.colorNoise, static_cast<unsigned long long>(options.seed));
    return buffer;
}

std::vector<std::string> digitNames()
{
    return {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
}

std::vector<std::string> colourNames()
{
    return {"red", "yellow", "mauve", "sage", "sky", "green", "blue", "purple", "olive", "crimson"};
}

std::vector<std::string> fashionNames()
{
    return {"T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
}

} // namespace untangle
