#pragma once
#include <QMainWindow>
namespace untangle {
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
};
} // namespace untangle
