#pragma once

#include "dataerror.h"

#include <QString>

#include <exception>

namespace untangle::test {

/** The DataError message f throws, or a marker that makes a test comparing messages fail visibly. */
template <typename F> QString dataErrorOf(F &&f)
{
    try {
        f();
    } catch (const DataError &e) {
        return QString::fromStdString(e.what());
    } catch (const std::exception &e) {
        return QStringLiteral("wrong exception type: ") + e.what();
    }
    return QStringLiteral("no exception");
}

} // namespace untangle::test
