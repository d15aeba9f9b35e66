// DESIGN.md's layering rules, checked on the real link lines and sources: model links no Qt, app links no
// Widgets, model includes no Qt header, and no file includes both torch and Qt headers.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

namespace {

QStringList readLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
}

QStringList sourceFiles(const QString &folder)
{
    QStringList files;
    QDirIterator it(QString(UNTANGLE_SOURCE_DIR) + "/" + folder, {"*.h", "*.hpp", "*.cpp"}, QDir::Files,
        QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    return files;
}

const QRegularExpression QtInclude(
    R"(^\s*#\s*include\s*[<"](Q[A-Za-z]|qcustomplot))", QRegularExpression::MultilineOption);
const QRegularExpression TorchInclude(
    R"(^\s*#\s*include\s*[<"](torch|ATen|c10)/)", QRegularExpression::MultilineOption);

QString contents(const QString &path)
{
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return QString::fromUtf8(file.readAll());
}

} // namespace

class TstLayering : public QObject {
    Q_OBJECT

private slots:
    void modelLinksNoQt()
    {
        const QStringList links = readLines(QString(UNTANGLE_BINARY_DIR) + "/layering/model-links.txt");
        QVERIFY2(!links.isEmpty(), "model-links.txt missing: reconfigure with CMake");
        QVERIFY(links.join(' ').contains("torch")); // the file is real: model does link torch
        for (const QString &lib : links)
            QVERIFY2(!lib.contains("Qt", Qt::CaseInsensitive), qPrintable("model links " + lib));
    }

    void appLinksNoWidgets()
    {
        const QStringList links = readLines(QString(UNTANGLE_BINARY_DIR) + "/layering/app-links.txt");
        QVERIFY(links.contains("Qt6::Core"));
        for (const QString &lib : links)
            QVERIFY2(!lib.contains("Widgets") && !lib.contains("Gui") && !lib.contains("QCustomPlot"),
                qPrintable("app links " + lib));
    }

    void modelIncludesNoQt()
    {
        const QStringList files = sourceFiles("model");
        QVERIFY(files.size() > 10);
        for (const QString &file : files)
            QVERIFY2(!QtInclude.match(contents(file)).hasMatch(), qPrintable(file + " includes a Qt header"));
    }

    void appIncludesNoTorch()
    {
        for (const QString folder : {"app", "ui", "widgets"})
            for (const QString &file : sourceFiles(folder))
                QVERIFY2(!TorchInclude.match(contents(file)).hasMatch(), qPrintable(file + " includes torch"));
    }

    void noFileIncludesTorchAndQt()
    {
        for (const QString folder : {"model", "app", "ui", "widgets", "tests"})
            for (const QString &file : sourceFiles(folder)) {
                const QString text = contents(file);
                QVERIFY2(!(TorchInclude.match(text).hasMatch() && QtInclude.match(text).hasMatch()),
                    qPrintable(file + " includes both torch and Qt headers"));
            }
    }

    void latentIncludesNameTheirRoom()
    {
        // model/latent is split into rooms (gan/, directions/, sre/, evaluation/, factors/, ...); only model/latent
        // is on the include path, so every include of a latent header says its room ("sre/srerunner.h"). A bare
        // sibling include would still compile (quotes search the file's own folder) and hide the room: refused.
        QSet<QString> latentHeaders;
        for (const QString &file : sourceFiles("model/latent"))
            if (file.endsWith(".h"))
                latentHeaders.insert(QFileInfo(file).fileName());
        QVERIFY(latentHeaders.contains("srerunner.h"));
        static const QRegularExpression include("^\\s*#\\s*include\\s*\"([^\"/]+)\"",
            QRegularExpression::MultilineOption); // plain: moc misreads delimited raw strings
        for (const QString folder : {"model", "app", "ui", "widgets", "tests"})
            for (const QString &file : sourceFiles(folder)) {
                auto matches = include.globalMatch(contents(file));
                while (matches.hasNext()) {
                    const QString header = matches.next().captured(1);
                    QVERIFY2(!latentHeaders.contains(header),
                        qPrintable(file + " includes \"" + header + "\" without its room folder"));
                }
            }
        // The rooms themselves are not on the include path.
        QVERIFY(QDir(QString(UNTANGLE_SOURCE_DIR) + "/model/latent/sre").exists());
    }

    void shippedLibraryHoldsNoTestHelpers()
    {
        // The selfcheck helpers (tiny random generators, step traces) are test support: tests/support/selfcheck
        // builds them into a test-only library, so the shipped libuntangle-model never carries them.
        for (const QString &file : sourceFiles("model"))
            QVERIFY2(!QFileInfo(file).fileName().contains("selfcheck"), qPrintable(file + " is a test helper"));
        QVERIFY(QFileInfo::exists(QString(UNTANGLE_SOURCE_DIR) + "/tests/support/selfcheck/sreselfcheck.h"));
    }

    void everyLatentFileIsInItsRoomsList()
    {
        // model/latent's rooms list their files (no glob there): a file left out of its room's CMakeLists.txt
        // would silently not be built until something links against it.
        int checked = 0;
        for (const QString &file : sourceFiles("model/latent")) {
            const QFileInfo info(file);
            const QString list = contents(info.absolutePath() + "/CMakeLists.txt");
            const QRegularExpression listed("^\\s*" + QRegularExpression::escape(info.fileName()) + "\\)?\\s*$",
                QRegularExpression::MultilineOption);
            QVERIFY2(listed.match(list).hasMatch(), qPrintable(file + " is not listed in its room's CMakeLists.txt"));
            ++checked;
        }
        QVERIFY(checked > 50);
    }

    void guiThreadCodeHoldsNoRunModels()
    {
        // A run's models (RunInspector) and a score network (ScoreEncoder) hold live LibTorch modules: they belong to
        // their services' threads (InspectionService, QueryEncoderService) and the views get value types. Naming
        // either class in ui/ or widgets/ is the first step back to running a network on the GUI thread.
        static const QRegularExpression name(R"(\b(RunInspector|ScoreEncoder)\b)");
        for (const QString folder : {"ui", "widgets"})
            for (const QString &file : sourceFiles(folder))
                QVERIFY2(
                    !name.match(contents(file)).hasMatch(), qPrintable(file + " names a class that runs a network"));
    }
};

QTEST_GUILESS_MAIN(TstLayering)
#include "tst_layering.moc"
