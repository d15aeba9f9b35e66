#include "mainwindow.h"
namespace untangle {
MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent) {}
} // namespace untangle
