#include "plotexport.h"

#include <qcustomplot.h>

#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QRegularExpression>

namespace untangle {
namespace {
constexpr double PngScale = 2.0; // twice the screen pixels: sharp when printed or zoomed
}

bool savePlot(QCustomPlot *plot, const QString &path, int width, int height)
{
    if (path.endsWith(".pdf", Qt::CaseInsensitive))
        return plot->savePdf(path, width, height);
    return plot->savePng(path, width, height, PngScale);
}

QString fileNameFor(const QString &title)
{
    QString name = title.toLower();
    name.replace(QRegularExpression("[^a-z0-9]+"), "-");
    name.remove(QRegularExpression("^-+|-+$"));
    return name.isEmpty() ? QStringLiteral("plot") : name;
}

void addPlotExportMenu(QCustomPlot *plot)
{
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(plot, &QWidget::customContextMenuRequested, plot, [plot](const QPoint &pos) {
        const QString suggestedName = plot->objectName().isEmpty() ? QStringLiteral("plot") : plot->objectName();
        QMenu menu(plot);
        for (const QString extension : {QStringLiteral("png"), QStringLiteral("pdf")})
            menu.addAction(QObject::tr("Save as %1…").arg(extension.toUpper()), plot, [plot, suggestedName, extension] {
                const QString path = QFileDialog::getSaveFileName(plot, QObject::tr("Save plot"),
                    suggestedName + "." + extension, extension.toUpper() + " (*." + extension + ")");
                if (!path.isEmpty() && !savePlot(plot, path, plot->width(), plot->height()))
                    QMessageBox::warning(plot, QObject::tr("Save plot"), QObject::tr("Could not write %1").arg(path));
            });
        menu.exec(plot->mapToGlobal(pos));
    });
}

} // namespace untangle
