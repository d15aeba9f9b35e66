#pragma once

#include "debiasconfig.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace untangle {

/**
 * The debias run's settings: method (and LfF's recipe), architecture sizes, epochs per stage, learning rate, batch,
 * training seed and data seed, how many training seeds run at once, threads.
 */
class RunForm : public QWidget {
    Q_OBJECT

public:
    explicit RunForm(QWidget *parent = nullptr);

    /** The form's settings on top of a dataset spec (the dataset comes from the dataset builder). */
    DebiasConfig config(const DatasetSpec &dataset) const;
    void setConfig(const DebiasConfig &config);
    /** Training seeds to run at once (seed, seed + 1, ...); 1 is a single run. */
    int seedCount() const;
    void setSeedCount(int count);
    QString runFolder() const;
    void setRunFolder(const QString &folder);

    QComboBox *methodBox() const { return m_method; }
    QLineEdit *folderEdit() const { return m_folder; }
    QSpinBox *stage1EpochsBox() const { return m_stage1Epochs; }
    QSpinBox *stage2EpochsBox() const { return m_stage2Epochs; }

    QComboBox *lffRecipeBox() const { return m_lffRecipe; }
    QSpinBox *dataSeedBox() const { return m_dataSeed; }
    QSpinBox *seedCountBox() const { return m_seedCount; }

private:
    void updateForMethod();
    void applyRecipeToFields();

    QComboBox *m_method = nullptr, *m_lffRecipe = nullptr;
    DebiasMethod m_shownMethod = DebiasMethod::DeNetDM;
    QSpinBox *m_deepDepth = nullptr, *m_shallowDepth = nullptr, *m_width = nullptr;
    QSpinBox *m_stage1Epochs = nullptr, *m_stage2Epochs = nullptr, *m_batch = nullptr, *m_seed = nullptr,
             *m_dataSeed = nullptr, *m_seedCount = nullptr, *m_threads = nullptr;
    QDoubleSpinBox *m_learningRate = nullptr;
    QLineEdit *m_folder = nullptr;
};

} // namespace untangle
