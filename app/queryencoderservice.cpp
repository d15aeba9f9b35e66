#include "queryencoderservice.h"

#include "sre/scoreencoder.h"

namespace untangle {

QueryEncoderService::QueryEncoderService(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<QVector<double>>();
}

QueryEncoderService::~QueryEncoderService()
{
    shutdown();
}

void QueryEncoderService::shutdown()
{
    m_thread.stop([this] { m_encoder.reset(); });
}

void QueryEncoderService::load(const QString &scoreFile)
{
    m_thread.post([this, scoreFile] {
        try {
            m_encoder = std::make_unique<ScoreEncoder>(scoreFile.toStdString());
        } catch (const std::exception &error) {
            m_encoder.reset();
            emit loadFailed(scoreFile, QString::fromUtf8(error.what()));
        }
    });
}

std::uint64_t QueryEncoderService::encodeFile(const QString &path)
{
    const std::string file = path.toStdString();
    return post([file](const ScoreEncoder &encoder) { return encoder.encodeImageFile(file); });
}

std::uint64_t QueryEncoderService::encodeImage(const ImageU8 &image)
{
    return post([image](const ScoreEncoder &encoder) {
        // HWC bytes -> CHW floats in [-1, 1], the generator's own range (docs/methods/sre.md, pitfall 14: never
        // [0, 1]).
        std::vector<float> chw(image.bytes.size());
        const std::size_t plane = std::size_t(image.width) * std::size_t(image.height);
        for (std::size_t p = 0; p < plane; ++p)
            for (int c = 0; c < image.channels; ++c)
                chw[std::size_t(c) * plane + p]
                    = float(image.bytes[p * std::size_t(image.channels) + std::size_t(c)]) / 127.5f - 1.0f;
        return encoder.encodeImage(chw, image.channels, image.height, image.width);
    });
}

std::uint64_t QueryEncoderService::post(std::function<std::vector<double>(const ScoreEncoder &)> encode)
{
    const std::uint64_t id = ++m_latest;
    m_thread.post([this, id, encode = std::move(encode)] {
        if (id != m_latest.load())
            return; // a newer query is queued behind this one
        if (!m_encoder) {
            emit failed(id, tr("No score network is loaded."));
            return;
        }
        try {
            const std::vector<double> scores = encode(*m_encoder);
            emit encoded(id, QVector<double>(scores.begin(), scores.end()));
        } catch (const std::exception &error) {
            emit failed(id, QString::fromUtf8(error.what()));
        }
    });
    return id;
}

} // namespace untangle
