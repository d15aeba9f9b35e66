#pragma once

#include <QString>

class QCustomPlot;

namespace untangle {

/**
 * Gives a plot a right-click menu with "Save as PNG…" and "Save as PDF…" (at the plot's on-screen size, PNG at
 * twice the pixels so it stays sharp in a paper). The dialog proposes the plot's objectName() as the file name.
 */
void addPlotExportMenu(QCustomPlot *plot);

/** A file-name-friendly version of a plot title ("Test accuracy per head" -> "test-accuracy-per-head"). */
QString fileNameFor(const QString &title);

/** Saves a plot by extension (.png or .pdf) at width x height; false when the file cannot be written. */
bool savePlot(QCustomPlot *plot, const QString &path, int width, int height);

} // namespace untangle
