#pragma once

#include <stdexcept>
#include <string>

namespace untangle {

/** Bad or missing input data. The message names the file (or folder) and the problem, ready to show a user. */
class DataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/** The user asked to stop a long operation; not an error to report. */
class Cancelled : public std::runtime_error {
public:
    Cancelled()
        : std::runtime_error("cancelled")
    {
    }
};

} // namespace untangle
