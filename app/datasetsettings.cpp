#include "datasetsettings.h"

#include <QSettings>

namespace untangle {

void saveDatasetSpec(QSettings &settings, const DatasetSpec &spec)
{
    settings.setValue("dataset/kind", QString::fromStdString(datasetKey(spec.kind)));
    settings.setValue("dataset/ratio", spec.ratio);
    settings.setValue("dataset/colorNoise", spec.colorNoise);
    settings.setValue("dataset/seed", quint64(spec.seed));
    settings.setValue("dataset/path", QString::fromStdString(spec.path));
    settings.setValue("dataset/imageSize", spec.imageSize);
}

DatasetSpec loadDatasetSpec(const QSettings &settings)
{
    DatasetSpec spec;
    DatasetKind kind;
    if (parseDatasetKey(settings.value("dataset/kind").toString().toStdString(), kind))
        spec.kind = kind;
    spec.ratio = settings.value("dataset/ratio", spec.ratio).toDouble();
    spec.colorNoise = settings.value("dataset/colorNoise", spec.colorNoise).toDouble();
    spec.seed = settings.value("dataset/seed", quint64(spec.seed)).toULongLong();
    spec.path = settings.value("dataset/path").toString().toStdString();
    spec.imageSize = settings.value("dataset/imageSize", spec.imageSize).toInt();
    return spec;
}

} // namespace untangle
