#pragma once

#include "datasethandle.h"

#include <QWidget>

class QLabel;

namespace untangle {

class DatasetForm;
class DatasetPreview;
class JobController;

/**
 * The Debias workspace's dataset builder: every change of the form rebuilds the dataset on the worker thread.
 * Requests coalesce: while a build runs, only the newest spec is remembered and built next, so dragging the
 * ratio slider never queues stale builds.
 */
class DatasetBuilderPage : public QWidget {
    Q_OBJECT

public:
    DatasetBuilderPage(JobController *controller, QWidget *parent = nullptr);

    DatasetForm *form() const { return m_form; }
    DatasetPreview *preview() const { return m_preview; }
    DatasetHandle currentDataset() const;
    QString errorText() const;
    int buildsStarted() const { return m_buildsStarted; }

public slots:
    /** Builds the form's current spec now, or as soon as the worker is free. */
    void requestBuild();
    /** The help under the form: how this dataset's bias follows its target. */
    QString aboutText() const;
    void exportLff();

signals:
    void datasetBuilt(const untangle::DatasetHandle &dataset);
    void buildFailed(const QString &message);

private:
    void startBuild();
    void showError(const QString &message);

    JobController *m_controller;
    DatasetForm *m_form = nullptr;
    DatasetPreview *m_preview = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_about = nullptr;
    bool m_pending = false;
    bool m_building = false;
    int m_buildsStarted = 0;
};

} // namespace untangle
