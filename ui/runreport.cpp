#include "runreport.h"

#include "inspectionlabels.h"

#include "cellheatmap.h"
#include "debiascurves.h"
#include "metricplot.h"
#include "runfolder.h"
#include "runhistory.h"

#include <qcustomplot.h>

#include <QPainter>
#include <QPdfWriter>

#include <cmath>

namespace untangle {
namespace {

constexpr QSize PageSize(1600, 1130); // A4 landscape proportions at a screen-like resolution
constexpr int Margin = 40;

QString percent(double v)
{
    return std::isfinite(v) ? QString::number(100.0 * v, 'f', 2) : QStringLiteral("–");
}

/** The run's result.json, or none while it is unfinished or when the file is not a result document (the report
 *  then shows the newest evaluation, as for an unfinished run). */
std::optional<DebiasResult> readResult(const QString &runDir)
{
    try {
        return RunFolder(runDir.toStdString()).readResult();
    } catch (const std::exception &) {
        return std::nullopt;
    }
}

/** The newest record of stage (any stage when 0) at epoch that has head, or null. */
const EvaluationRecord *findRecord(const RunHistory &history, int stage, int epoch, const std::string &head)
{
    const auto &records = history.evaluations();
    for (auto it = records.crbegin(); it != records.crend(); ++it)
        if ((stage == 0 || it->stage == stage) && it->epoch == epoch && it->findHead(head))
            return &*it;
    return nullptr;
}

QString tableRow(const QString &name, const EvaluationRecord &record, const GroupAccuracy &test)
{
    return QStringLiteral("%1  stage %2, epoch %3   unbiased %4   aligned %5   conflicting %6   worst group %7")
        .arg(name, -10)
        .arg(record.stage)
        .arg(record.epoch, 3)
        .arg(percent(test.unbiased), 6)
        .arg(percent(test.aligned), 6)
        .arg(percent(test.conflicting), 6)
        .arg(percent(test.worstGroup), 6);
}

} // namespace

RunReportContents runReportContents(const RunHistory &history, const ReportSeeds *seeds)
{
    RunReportContents contents;
    const auto &records = history.evaluations();
    if (records.isEmpty()) {
        contents.epochLine = QObject::tr("No evaluation yet: the run has not finished its first epoch.");
        return contents;
    }
    if (seeds) {
        // Each seed selects its own epoch, so no one epoch of the mean is "the selected one": the table is the
        // seeds' numbers at their own selections, the maps and the marker the mean at the newest evaluation.
        const EvaluationRecord &newest = records.back();
        for (const HeadAccuracy &head : newest.heads)
            if (head.head != "poe") {
                contents.mapRecords.push_back(newest);
                contents.mapHeads << QString::fromStdString(head.head);
            }
        contents.epochLine = QObject::tr("The mean of seeds %1. Curves and heat maps: the mean at stage %2, epoch %3, "
                                         "the newest evaluation every seed reached.")
                                 .arg(seeds->seeds)
                                 .arg(newest.stage)
                                 .arg(newest.epoch);
        contents.tableLines = seeds->summaryLines.isEmpty()
            ? QStringList {QObject::tr("(the batch has not finished: no selected epochs yet)")}
            : seeds->summaryLines;
        contents.markerEpoch = history.epochAxis(newest);
        return contents;
    }
    const std::optional<DebiasResult> r = readResult(history.runDir());
    const std::string finalHead = r ? r->finalHead : std::string();
    const EvaluationRecord *final = finalHead.empty() ? nullptr : findRecord(history, 0, r->selected.epoch, finalHead);
    const EvaluationRecord *stage1 = nullptr;
    if (final && final->stage == 2)
        stage1 = findRecord(history, 1, r->stage1SelectedEpoch, "deep");

    auto add = [&](const EvaluationRecord &record, const HeadAccuracy &head) {
        contents.mapRecords.push_back(record);
        contents.mapHeads << QString::fromStdString(head.head);
        contents.tableLines << tableRow(QString::fromStdString(head.head), record, head.test);
    };
    if (final) {
        if (stage1)
            for (const HeadAccuracy &head : stage1->heads)
                if (head.head != "poe")
                    add(*stage1, head);
        add(*final, *final->findHead(finalHead));
        contents.epochLine = stage1
            ? QObject::tr("Everything below is at the epochs selected on the unbiased valid split: stage 2, epoch %1 "
                          "for the %2; stage 1, epoch %3 for the deep and shallow branches (frozen there for stage 2).")
                  .arg(final->epoch)
                  .arg(QString::fromStdString(finalHead))
                  .arg(stage1->epoch)
            : QObject::tr("Everything below is at the epoch selected on the unbiased valid split: stage %1, epoch %2.")
                  .arg(final->stage)
                  .arg(final->epoch);
    } else {
        // No selection to report (the run has not finished): the newest evaluation, said so.
        final = &records.back();
        for (const HeadAccuracy &head : final->heads)
            if (head.head != "poe")
                add(*final, head);
        contents.epochLine
            = QObject::tr("Everything below is at the newest evaluation, stage %1, epoch %2: the run has "
                          "not finished, so no epoch is selected yet.")
                  .arg(final->stage)
                  .arg(final->epoch);
    }
    contents.markerEpoch = history.epochAxis(*final);

    if (r) {
        contents.noteLines << QObject::tr(
            "Hardest %1 training samples of the %2 branch: %3% truly conflicting (base rate %4%)")
                                  .arg(r->hardest.k)
                                  .arg(QString::fromStdString(r->hardest.branch), percent(r->hardest.precision),
                                      percent(r->hardest.baseRate));
        if (const QString health = branchHealthText(r->stage1Health); !health.isEmpty())
            contents.noteLines << health;
        contents.noteLines << QObject::tr("Seconds per epoch: stage 1 %1, stage 2 %2; whole run %3 s%4")
                                  .arg(r->stage1SecondsPerEpoch, 0, 'f', 2)
                                  .arg(r->stage2SecondsPerEpoch, 0, 'f', 2)
                                  .arg(r->totalSeconds, 0, 'f', 0)
                                  .arg(r->stopped ? QObject::tr(" (stopped early)") : QString());
    }
    return contents;
}

namespace {

QString settingsLine(const DebiasConfig &c, const ReportSeeds *seeds)
{
    return QObject::tr("%1 on %2, %3% conflicting, %4 · depths deep %5 / shallow %6, width %7 · epochs %8 + %9 · "
                       "batch %10, lr %11")
        .arg(QString::fromStdString(methodKey(c.method)), QString::fromStdString(datasetTitle(c.dataset.kind)))
        .arg(100.0 * c.dataset.ratio)
        .arg(seeds ? QObject::tr("seeds %1").arg(seeds->seeds) : QObject::tr("seed %1").arg(c.seed))
        .arg(c.deepDepth)
        .arg(c.shallowDepth)
        .arg(c.width)
        .arg(c.stage1Epochs)
        .arg(c.method == DebiasMethod::DeNetDM ? c.stage2Epochs : 0)
        .arg(c.batchSize)
        .arg(c.learningRate);
}

void paintReport(QPainter &painter, const RunHistory &history, DebiasCurves *curves, const QStringList &targetNames,
    const QStringList &biasNames, const ReportSeeds *seeds)
{
    const RunReportContents contents = runReportContents(history, seeds);
    painter.fillRect(QRect(QPoint(0, 0), PageSize), Qt::white);
    painter.setPen(Qt::black);
    QFont title("Sans", 20, QFont::Bold);
    painter.setFont(title);
    int y = Margin + 10;
    painter.drawText(Margin, y, QObject::tr("Untangle run report"));
    QFont body("Sans", 11);
    painter.setFont(body);
    y += 30;
    painter.drawText(Margin, y, settingsLine(history.config(), seeds));
    y += 20;
    painter.drawText(Margin, y, QObject::tr("Run folder: %1").arg(history.runDir()));
    y += 20;
    QFont bold = body;
    bold.setBold(true);
    painter.setFont(bold);
    const QRect epochRect(Margin, y - painter.fontMetrics().ascent(), PageSize.width() - 2 * Margin, 3 * 20);
    QRect used;
    painter.drawText(epochRect, Qt::TextWordWrap, contents.epochLine, &used);
    y = used.bottom() - painter.fontMetrics().descent();
    QFont mono("Monospace", 10);
    painter.setFont(mono);
    y += 8;
    for (const QString &line : QStringList {seeds ? QObject::tr("Accuracy (%):") : QObject::tr("Test accuracy (%):")}
            + contents.tableLines + contents.noteLines) {
        y += 18;
        painter.drawText(Margin, y, line);
    }
    y += 20;

    // The curves with their marker at the reported epoch (put back where the timeline had it afterwards).
    const double shownMarker = curves->accuracyPlot()->markerX();
    curves->setMarker(contents.markerEpoch);
    const int plotWidth = (PageSize.width() - 3 * Margin) / 2, plotHeight = 380;
    painter.drawPixmap(Margin, y, curves->accuracyPlot()->toPixmap(plotWidth, plotHeight));
    painter.drawPixmap(2 * Margin + plotWidth, y, curves->probePlot()->toPixmap(plotWidth, plotHeight));
    curves->setMarker(shownMarker);
    y += plotHeight + 10;

    // The heat maps of the reported epochs, drawn here rather than copied from the screen (the timeline may be
    // elsewhere).
    const int count = int(contents.mapRecords.size());
    if (count == 0)
        return;
    const int mapHeight = PageSize.height() - y - Margin;
    const int mapWidth = std::min((PageSize.width() - Margin * (count + 1)) / count, mapHeight + 120);
    for (int i = 0; i < count; ++i) {
        const EvaluationRecord &record = contents.mapRecords[i];
        const HeadAccuracy *head = record.findHead(contents.mapHeads[i].toStdString());
        CellHeatMap map;
        map.resize(mapWidth, mapHeight);
        map.setFixedRange(0.0, 100.0);
        map.setAxisTitles(QObject::tr("target"), QObject::tr("bias"));
        QVector<QVector<double>> cells;
        for (const auto &row : head->test.cells) {
            QVector<double> values;
            for (double v : row)
                values.push_back(std::isfinite(v) ? 100.0 * v : v);
            cells.push_back(values);
        }
        map.setMatrix(cells, targetNames, biasNames);
        map.setTitle(QObject::tr("%1, stage %2, epoch %3: %4% confl. · %5% aligned")
                         .arg(contents.mapHeads[i])
                         .arg(record.stage)
                         .arg(record.epoch)
                         .arg(100.0 * head->test.conflicting, 0, 'f', 1)
                         .arg(100.0 * head->test.aligned, 0, 'f', 1));
        painter.drawPixmap(Margin + i * (mapWidth + Margin), y, map.plot()->toPixmap(mapWidth, mapHeight));
    }
}

} // namespace

bool writeRunReport(const QString &path, const RunHistory &history, DebiasCurves *curves,
    const QStringList &targetNames, const QStringList &biasNames, QString *error, const ReportSeeds *seeds)
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
        paintReport(painter, history, curves, targetNames, biasNames, seeds);
        return painter.end();
    }
    QImage image(PageSize, QImage::Format_RGB32);
    QPainter painter(&image);
    paintReport(painter, history, curves, targetNames, biasNames, seeds);
    painter.end();
    if (!image.save(path)) {
        if (error)
            *error = QObject::tr("Could not write %1").arg(path);
        return false;
    }
    return true;
}

} // namespace untangle
