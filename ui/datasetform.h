#pragma once

#include "datasetspec.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;

namespace untangle {

/** The dataset builder's controls: dataset, folder, conflicting ratio, colour noise, seed, image size. */
class DatasetForm : public QWidget {
    Q_OBJECT

public:
    explicit DatasetForm(QWidget *parent = nullptr);

    DatasetSpec spec() const;
    /** Shows spec in the controls without emitting specChanged. */
    void setSpec(const DatasetSpec &spec);

    // Exposed for tests and keyboard-driven use.
    QComboBox *datasetBox() const { return m_dataset; }
    QSlider *ratioSlider() const { return m_ratioSlider; }
    QDoubleSpinBox *ratioBox() const { return m_ratioBox; }
    QSpinBox *seedBox() const { return m_seed; }

signals:
    void specChanged();
    void exportRequested();
    /** The chosen dataset kind, after every change of the combo box or setSpec (also without specChanged). */
    void kindChanged(untangle::DatasetKind kind);

private:
    void updateVisibility();
    void browseFolder();

    QComboBox *m_dataset = nullptr;
    QLineEdit *m_path = nullptr;
    QPushButton *m_browse = nullptr;
    QWidget *m_pathRow = nullptr;
    QWidget *m_ratioRow = nullptr;
    QSlider *m_ratioSlider = nullptr;
    QDoubleSpinBox *m_ratioBox = nullptr;
    QDoubleSpinBox *m_noise = nullptr;
    QSpinBox *m_seed = nullptr;
    QSpinBox *m_size = nullptr;
    QLabel *m_ratioLabel = nullptr, *m_noiseLabel = nullptr, *m_sizeLabel = nullptr, *m_pathLabel = nullptr;
    bool m_updating = false;
};

} // namespace untangle
