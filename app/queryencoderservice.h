#pragma once

#include "imageu8.h"
#include "modelthread.h"

#include <QObject>
#include <QString>
#include <QVector>

#include <atomic>
#include <cstdint>
#include <memory>

namespace untangle {

class ScoreEncoder;

/**
 * The retrieval panel's score network on a thread of its own (a ScoreEncoder holds a LibTorch module): the GUI
 * sends a query (an image file, or generated pixels) and receives its scores. A query that a newer one overtook
 * before it started is skipped. Answers arrive on the thread that created the service.
 */
class QueryEncoderService : public QObject {
    Q_OBJECT

public:
    explicit QueryEncoderService(QObject *parent = nullptr);
    ~QueryEncoderService() override;

    /** Loads the score network (the pool's) on the service thread; queries queued after it use it. */
    void load(const QString &scoreFile);
    /** Scores of an image file; returns the query's id. */
    std::uint64_t encodeFile(const QString &path);
    /** Scores of HWC pixels (a generated image), in the generator's [-1, 1] range; returns the query's id. */
    std::uint64_t encodeImage(const ImageU8 &image);
    std::uint64_t lastRequestId() const { return m_latest.load(); }
    void shutdown();

signals:
    void loadFailed(const QString &scoreFile, const QString &message);
    void encoded(quint64 id, const QVector<double> &scores);
    void failed(quint64 id, const QString &message);

private:
    std::uint64_t post(std::function<std::vector<double>(const ScoreEncoder &)> encode);

    ModelThread m_thread {QStringLiteral("query-encoder")};
    std::unique_ptr<ScoreEncoder> m_encoder; // touched only by work posted to m_thread
    std::atomic<std::uint64_t> m_latest {0};
};

} // namespace untangle
