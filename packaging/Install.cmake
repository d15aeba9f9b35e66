# Installation and CPack (a .deb that depends on the same Debian packages the setup script installs).
include(GNUInstallDirs)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/untangle.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/untangle.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)

set(CPACK_PACKAGE_NAME untangle)
set(CPACK_PACKAGE_VENDOR "Untangle")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "A desktop lab for seeing and removing what a network learned by shortcut")
set(CPACK_PACKAGE_CONTACT "untangle@localhost")
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "libqt6widgets6, libqt6printsupport6, libtorch1.13, libopencv-core406, libopencv-imgproc406, libopencv-imgcodecs406, libopencv-ml406, libopencv-videoio406, libqcustomplot2.1-qt6, libopenblas0-openmp, zlib1g")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "dataset-fashion-mnist")
include(CPack)
# Factor models shipped so a fresh machine never trains them before its first coverage number
# (packaging/train-factor-models.sh makes them).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/models DESTINATION ${CMAKE_INSTALL_DATADIR}/untangle
        FILES_MATCHING PATTERN "*.pt")
