#pragma once
// Reading one setting of a settings file (a run's config.json) so that a wrong type names the setting: nlohmann's own
// type error says "type must be number, but is string" and not which of twenty keys it was.
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <type_traits>

namespace untangle {

/** json[key] as T; std::invalid_argument naming the key when it is absent or of another type. */
template <typename T> T requiredSetting(const nlohmann::json &json, const char *key)
{
    const auto found = json.find(key);
    if (found == json.end())
        throw std::invalid_argument(std::string(key) + " is missing");
    try {
        return found->get<T>();
    } catch (const nlohmann::json::exception &) {
        const char *wanted = std::is_same_v<T, bool> ? "true or false"
            : std::is_arithmetic_v<T>                ? "a number"
            : std::is_same_v<T, std::string>         ? "text"
                                                     : "a valid value";
        throw std::invalid_argument(std::string(key) + " is not " + wanted);
    }
}

/** A setting files from before it lack: the fallback when absent, else requiredSetting's reading. */
template <typename T> T optionalSetting(const nlohmann::json &json, const char *key, const T &fallback)
{
    return json.contains(key) ? requiredSetting<T>(json, key) : fallback;
}

} // namespace untangle
