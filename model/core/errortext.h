#pragma once

#include <exception>
#include <string>

namespace untangle {

/** Longest error text shown to a user: a few lines of a terminal, enough for a path and a reason. */
constexpr std::size_t MaxErrorTextChars = 600;

/**
 * What to show a user for error: a c10::Error (torch) without its C++ backtrace (what() appends "Exception raised
 * from ... frame #0 ..." and dozens of frames), a TorchScript interpreter error as its final cause line, and any other
 * message that embeds such a text cut where the backtrace starts; at most MaxErrorTextChars characters.
 */
std::string conciseError(const std::exception &error);

/** The same for a message already taken from an exception (e.g. a DataError wrapping a torch error's what()). */
std::string conciseErrorText(std::string text);

} // namespace untangle
