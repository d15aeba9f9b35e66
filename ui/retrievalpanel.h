#pragma once

#include "poolencodingjob.h"

#include <QImage>
#include <QWidget>

#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace untangle {

class DirectionExplorer;
class ImageGrid;
class QueryEncoderService;
class JobButtons;
class JobController;

/**
 * Attribute retrieval with a score network (docs/methods/sre.md §5, §7.6): encode a pool (Sprites or a dataset's
 * test split) on the worker, pick a query (a pool image, the explorer's current edited image, or a dropped image file)
 * and a direction, and see the k pool images whose score along that direction is nearest, with distances. Where the
 * pool has ground truth, each result is framed green when its value of the factor the direction tracks is relevant to
 * the query's (factorValuesRelevant: the same class for a categorical factor, +-1 step for an ordinal one, +-1 step
 * around the circle for a circular one), red otherwise, and precision@k is shown. Clicking a result makes it the query.
 */
class RetrievalPanel : public QWidget {
    Q_OBJECT

public:
    RetrievalPanel(DirectionExplorer *explorer, JobController *controller, QWidget *parent = nullptr);
    ~RetrievalPanel() override;

    void setScoreFile(const QString &path);
    QString scoreFile() const;
    /** Starts encoding the pool; false (with the reason in the status line) when it cannot start. */
    bool encodePool();
    bool hasPool() const { return m_encoding != nullptr; }
    const PoolEncoding *encoding() const { return m_encoding.get(); }
    /** Shows an encoded pool: what encodePool's job delivers (a test may hand over one it made). */
    void setEncoding(const std::shared_ptr<const PoolEncoding> &encoding);

    /** Queries with pool image index (excluded from its own results). */
    bool setQueryFromPool(int index);
    /** Queries with an image file, scored on the score network's thread (queryShown follows); false with the
     *  reason in the status line when it cannot start (no pool, not an image). */
    bool setQueryFromFile(const QString &path);
    /** Queries with the explorer's first edited image, as setQueryFromFile. */
    bool useGeneratedImage();
    int queryIndex() const { return m_queryIndex; }
    const std::vector<double> &queryScores() const { return m_queryScores; }
    /** Pool indices of the gallery, nearest first. */
    const std::vector<int> &resultIndices() const { return m_results; }

    ImageGrid *poolGrid() const { return m_poolGrid; }
    ImageGrid *gallery() const { return m_gallery; }
    QComboBox *poolSource() const { return m_source; }
    QSpinBox *poolCount() const { return m_count; }
    QComboBox *directionCombo() const { return m_direction; }
    QSpinBox *kSpin() const { return m_k; }
    QString statusText() const;
    QString precisionText() const;
    /** The factor results are judged by for a direction: the explorer's attribution when these are its directions
     *  (shared set true), else the factor the direction's score tracks best on the pool; -1 without ground truth. */
    int relevanceFactor(int direction, bool *shared = nullptr) const;
    QString relevanceFactorName(int direction) const;
    /** The caption's words for what counts as relevant, e.g. "same shape", "same scale ±1 step". */
    static QString relevanceRule(FactorKind kind, const QString &factorWords);

signals:
    void poolEncoded();
    /** The gallery shows the results for the newest query. */
    void queryShown();

protected:
    /** The first time the page is shown with a score network and nothing running, encodes the pool (a few seconds
     *  for the rendered worlds) and queries with its first image: the page is alive at first sight, as the others. */
    void showEvent(QShowEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    /** Selects the rendered pool of the open generator's world, when its images belong to one. */
    void followGeneratorWorld();
    void browseScoreFile();
    void suggestScoreFile();
    void showPool();
    bool setQueryScores(std::vector<double> scores, const QImage &image, int poolIndex);
    void requery();
    QImage poolImage(int index) const;

    DirectionExplorer *m_explorer;
    JobController *m_controller;
    QLineEdit *m_scorePath = nullptr;
    QComboBox *m_source = nullptr;
    QSpinBox *m_count = nullptr;
    QPushButton *m_encode = nullptr;
    QPushButton *m_stop = nullptr; // m_jobButtons' Stop
    JobButtons *m_jobButtons = nullptr;
    QPushButton *m_useGenerated = nullptr;
    QComboBox *m_direction = nullptr;
    QSpinBox *m_k = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_query = nullptr;
    QLabel *m_precision = nullptr;
    ImageGrid *m_poolGrid = nullptr;
    ImageGrid *m_gallery = nullptr;

    std::shared_ptr<const PoolEncoding> m_encoding;
    QueryEncoderService *m_queryEncoder; // the pool's network on its own thread, for queries from outside the pool
    QImage m_pendingQuery; // the image of the query being scored
    std::vector<double> m_queryScores;
    int m_queryIndex = -1;
    std::vector<int> m_results;
    bool m_shownOnce = false; // showEvent's automatic encoding happens at most once
    bool m_queryFirstImage = false; // the automatic encoding queries with pool image 0 when it lands
};

} // namespace untangle
