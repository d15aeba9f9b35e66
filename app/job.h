#pragma once
#include <QObject>
namespace untangle {
class Job : public QObject {
    Q_OBJECT
};
} // namespace untangle
