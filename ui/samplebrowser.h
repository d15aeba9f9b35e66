#pragma once

#include "debiasconfig.h"
#include "debiasrecords.h"

#include <QStringList>
#include <QTabWidget>

#include <array>
#include <memory>
#include <vector>

class QComboBox;
class QLabel;

namespace untangle {

class ImageGrid;
struct RunInspection;

/**
 * Browsers over an inspected run's images: a head's most confident test mistakes, the test images two heads
 * disagree on, the training samples the biased branch finds hardest, and the test images of one (target, bias)
 * cell. Clicking an image asks the page to select it.
 */
class SampleBrowser : public QTabWidget {
    Q_OBJECT

public:
    enum Browser { Mistakes, Disagree, Hardest, Cell, BrowserCount };
    static constexpr int MistakeLimit = 48; // a screenful: enough to see a pattern, few enough to look at each
    static constexpr int DisagreeLimit = 48;
    static constexpr int HardestLimit = 400; // k is the number of conflicting training samples: up to 3,000

    explicit SampleBrowser(QWidget *parent = nullptr);

    /** heads: the heads to offer (the page's shown heads); method picks the pair compared for disagreements. */
    void setInspection(std::shared_ptr<const RunInspection> inspection, const QStringList &heads, DebiasMethod method);
    void setHardSamples(const HardSamples &hard);
    /**
     * Fills the Cell browser with the test images of (target, bias); head frames its mistakes. Needs an inspection.
     * The summary names the epoch of the verdicts; note (e.g. how the Train page's map compares) is appended.
     */
    void showCell(const QString &head, int target, int bias, const QString &note = QString());
    void clear();

    ImageGrid *grid(Browser browser) const { return m_tabs[browser].grid; }
    QString summary(Browser browser) const;
    /** Split indices of the images a browser shows, in grid order (train indices for Hardest, test otherwise). */
    const std::vector<int> &shownIndices(Browser browser) const { return m_tabs[browser].indices; }
    QWidget *page(Browser browser) const { return m_tabs[browser].page; }
    QComboBox *mistakesHeadBox() const { return m_mistakesHead; }

signals:
    void testImageClicked(int index);
    void trainImageClicked(int index);

private:
    struct Tab {
        QWidget *page = nullptr;
        QLabel *summary = nullptr;
        ImageGrid *grid = nullptr;
        std::vector<int> indices;
    };

    void makeTab(Browser browser, const QString &title, int cellSize, QWidget *controls = nullptr);
    void showMistakes();
    void showDisagreements();
    void showHardest();
    /** Tooltip of a test image: its labels and every shown head's probabilities. */
    QString testToolTip(int index) const;

    std::array<Tab, BrowserCount> m_tabs;
    QComboBox *m_mistakesHead = nullptr;
    std::shared_ptr<const RunInspection> m_inspection;
    QStringList m_heads;
    QStringList m_pair;
    HardSamples m_hard;
};

} // namespace untangle
