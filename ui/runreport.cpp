#include "runreport.h"

#include "branchheatmaps.h"
#include "cellheatmap.h"
#include "debiascurves.h"
#include "jsonlimits.h"
#include "metricplot.h"
#include "runhistory.h"

#include <qcustomplot.h>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QPdfWriter>

#include <cmath>

namespace untangle {
namespace {

constexpr QSize PageSize(1600, 1130); // A4 landscape proportions at a screen-like resolution
constexpr int Margin = 40;

QString percent(const QJsonValue &v)
{
    return v.isDouble() ? QString::number(100.0 * v.toDouble(), 'f', 2) : QStringLiteral("–");
}

QStringList resultLines(const QString &runDir)
{
    QFile file(runDir + "/result.json");
    if (!file.open(QIODevice::ReadOnly))
        return {QObject::tr("No result.json yet: the run has not finished.")};
    // Size and nesting bounded before the (recursive) parser sees the text (jsonlimits.h); past them it reads as empty.
    const QByteArray text = file.read(qint64(MaxSmallJsonBytes) + 1);
    const bool bounded
        = jsonWithinLimits(std::string_view(text.constData(), std::size_t(text.size())), MaxSmallJsonBytes);
    const QJsonObject r = bounded ? QJsonDocument::fromJson(text).object() : QJsonObject();
    auto row = [](const QString &name, const QJsonObject &snapshot) {
        const QJsonObject test = snapshot["test"].toObject();
        return QString("%1  epoch %2   unbiased %3   aligned %4   conflicting %5   worst group %6")
            .arg(name, -26)
            .arg(snapshot["epoch"].toInt(), 3)
            .arg(percent(test["unbiased"]), 6)
            .arg(percent(test["aligned"]), 6)
            .arg(percent(test["conflicting"]), 6)
            .arg(percent(test["worst_group"]), 6);
    };
    QStringList lines;
    const QString head = r["final_head"].toString();
    lines << QObject::tr("Test accuracy (%), selected on the unbiased valid split:");
    if (r.contains("stage1")) {
        const QJsonObject s1 = r["stage1"].toObject();
        lines << row("stage-1 deep branch", s1["deep"].toObject());
        lines << row("stage-1 shallow branch", s1["shallow"].toObject());
    }
    lines << row(head + " (selected epoch)", r["selected"].toObject());
    lines << row(head + " (last epoch)", r["last"].toObject());
    const QJsonObject hardest = r["hardest"].toObject();
    lines << QObject::tr("Hardest %1 training samples of the %2 branch: %3% truly conflicting (base rate %4%)")
                 .arg(hardest["k"].toInt())
                 .arg(hardest["branch"].toString(), percent(hardest["precision"]), percent(hardest["base_rate"]));
    const QJsonObject seconds = r["seconds_per_epoch"].toObject();
    lines << QObject::tr("Seconds per epoch: stage 1 %1, stage 2 %2; whole run %3 s%4")
                 .arg(seconds["stage1"].toDouble(), 0, 'f', 2)
                 .arg(seconds["stage2"].toDouble(), 0, 'f', 2)
                 .arg(r["total_seconds"].toDouble(), 0, 'f', 0)
                 .arg(r["stopped"].toBool() ? QObject::tr(" (stopped early)") : QString());
    return lines;
}

QString settingsLine(const DebiasConfig &c)
{
    return QObject::tr("%1 on %2, %3% conflicting, seed %4 · depths deep %5 / shallow %6, width %7 · epochs %8 + %9 · "
                       "batch %10, lr %11")
        .arg(QString::fromStdString(methodKey(c.method)), QString::fromStdString(datasetTitle(c.dataset.kind)))
        .arg(100.0 * c.dataset.ratio)
        .arg(c.seed)
        .arg(c.deepDepth)
        .arg(c.shallowDepth)
        .arg(c.width)
        .arg(c.stage1Epochs)
        .arg(c.method == DebiasMethod::DeNetDM ? c.stage2Epochs : 0)
        .arg(c.batchSize)
        .arg(c.learningRate);
}

void paintReport(QPainter &painter, const RunHistory &history, DebiasCurves *curves, BranchHeatMaps *maps)
{
    painter.fillRect(QRect(QPoint(0, 0), PageSize), Qt::white);
    painter.setPen(Qt::black);
    QFont title("Sans", 20, QFont::Bold);
    painter.setFont(title);
    int y = Margin + 10;
    painter.drawText(Margin, y, QObject::tr("Untangle run report"));
    QFont body("Sans", 11);
    painter.setFont(body);
    y += 30;
    painter.drawText(Margin, y, settingsLine(history.config()));
    y += 20;
    painter.drawText(Margin, y, QObject::tr("Run folder: %1").arg(history.runDir()));
    QFont mono("Monospace", 10);
    painter.setFont(mono);
    y += 16;
    for (const QString &line : resultLines(history.runDir())) {
        y += 18;
        painter.drawText(Margin, y, line);
    }
    y += 20;

    // Plots as they are on screen, side by side, then the heat maps.
    const int plotWidth = (PageSize.width() - 3 * Margin) / 2, plotHeight = 420;
    painter.drawPixmap(Margin, y, curves->accuracyPlot()->plot()->toPixmap(plotWidth, plotHeight));
    painter.drawPixmap(2 * Margin + plotWidth, y, curves->probePlot()->plot()->toPixmap(plotWidth, plotHeight));
    y += plotHeight + 10;
    const auto visible = [&] {
        QList<CellHeatMap *> shown;
        for (CellHeatMap *map : maps->maps())
            if (!map->isHidden()) // heads of the shown evaluation
                shown << map;
        return shown;
    }();
    if (!visible.isEmpty()) {
        const int mapHeight = PageSize.height() - y - Margin;
        const int mapWidth
            = std::min((PageSize.width() - Margin * (int(visible.size()) + 1)) / int(visible.size()), mapHeight + 120);
        for (int i = 0; i < visible.size(); ++i)
            painter.drawPixmap(Margin + i * (mapWidth + Margin), y, visible[i]->plot()->toPixmap(mapWidth, mapHeight));
    }
}

} // namespace

bool writeRunReport(
    const QString &path, const RunHistory &history, DebiasCurves *curves, BranchHeatMaps *maps, QString *error)
{
    if (path.endsWith(".pdf", Qt::CaseInsensitive)) {
        QPdfWriter writer(path);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageOrientation(QPageLayout::Landscape);
        writer.setResolution(144);
        QPainter painter;
        if (!painter.begin(&writer)) {
            if (error)
                *error = QObject::tr("Could not write %1").arg(path);
            return false;
        }
        // Fit the pixel layout onto the page.
        const QRect page = painter.viewport();
        const double scale
            = std::min(page.width() / double(PageSize.width()), page.height() / double(PageSize.height()));
        painter.scale(scale, scale);
        paintReport(painter, history, curves, maps);
        return painter.end();
    }
    QImage image(PageSize, QImage::Format_RGB32);
    QPainter painter(&image);
    paintReport(painter, history, curves, maps);
    painter.end();
    if (!image.save(path)) {
        if (error)
            *error = QObject::tr("Could not write %1").arg(path);
        return false;
    }
    return true;
}

} // namespace untangle
