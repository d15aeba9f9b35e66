#include "imagegrid.h"
namespace untangle {
ImageGrid::ImageGrid(QWidget *parent) : QWidget(parent) {}
} // namespace untangle
