#include "datasetcues.h"

#include <QCoreApplication>

namespace untangle {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("DatasetCues", text);
}
} // namespace

DatasetCues datasetCues(DatasetKind kind)
{
    switch (kind) {
    case DatasetKind::ColoredMnist10k:
    case DatasetKind::ColoredMnistIdx:
        return {tr("digit"), tr("colour"), tr("each digit has its colour: 0 red, 1 yellow, …")};
    case DatasetKind::ColoredFashion:
        return {tr("garment"), tr("colour"), tr("each garment class has its colour: T-shirt red, trouser yellow, …")};
    case DatasetKind::CorruptedFashion:
        return {tr("garment"), tr("corruption"), tr("each garment class has its corruption (noise, blur, …)")};
    case DatasetKind::Sprites:
        return {
            tr("shape"), tr("position"), tr("each shape sits in its band: square left, ellipse centre, heart right")};
    default:
        break;
    }
    return {tr("target"), tr("bias"), tr("the bias label equals the target label")};
}

} // namespace untangle
