#include "errortext.h"

#include <c10/util/Exception.h>

namespace untangle {
namespace {

std::string trimmed(const std::string &text)
{
    const auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos)
        return {};
    return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

/** First and last line of a TorchScript interpreter error: where it happened (our prefix) and its cause
 *  ("RuntimeError: ..."); the script traceback between them means nothing to a user. */
std::string firstAndLastLine(const std::string &text)
{
    const std::string body = trimmed(text);
    const auto first = body.find('\n'), last = body.rfind('\n');
    if (first == std::string::npos)
        return body;
    return body.substr(0, first) + " ... " + body.substr(last + 1);
}

} // namespace

std::string conciseErrorText(std::string text)
{
    // c10::Error::what() = message + "\nException raised from <function> at <file> (most recent call first):\nframe
    // #0: ..."; a wrapper may have cut it anywhere after that, so cut at whichever marker comes first.
    for (const char *marker : {"Exception raised from ", "\nframe #", "(no backtrace available)"}) {
        const auto at = text.find(marker);
        if (at != std::string::npos)
            text.erase(at);
    }
    if (text.find("Traceback of TorchScript") != std::string::npos)
        text = firstAndLastLine(text);
    text = trimmed(text);
    if (text.size() > MaxErrorTextChars)
        text = text.substr(0, MaxErrorTextChars - 3) + "...";
    return text;
}

std::string conciseError(const std::exception &error)
{
    if (const auto *torchError = dynamic_cast<const c10::Error *>(&error))
        return conciseErrorText(torchError->what_without_backtrace());
    return conciseErrorText(error.what());
}

} // namespace untangle
