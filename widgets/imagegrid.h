#pragma once
#include <QWidget>
namespace untangle {
class ImageGrid : public QWidget {
    Q_OBJECT
public:
    explicit ImageGrid(QWidget *parent = nullptr);
};
} // namespace untangle
