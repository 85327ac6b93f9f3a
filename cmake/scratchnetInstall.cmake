# Install rules: the library, its public headers (include/scratchnet; the private ones in src/
# stay behind) and a CMake package, so that another project writes
#   find_package(scratchnet CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE scratchnet::scratchnet)
# and gets the include directory, C++20 and scratchnet's dependencies with the target.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(scratchnet_package_dir ${CMAKE_INSTALL_LIBDIR}/cmake/scratchnet)

# The installed target's include directory is src/CMakeLists.txt's INSTALL_INTERFACE.
install(TARGETS scratchnet EXPORT scratchnetTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT scratchnet_development
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT scratchnet_runtime
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT scratchnet_runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/scratchnet
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT scratchnet_development
        FILES_MATCHING PATTERN "*.hpp")
install(EXPORT scratchnetTargets NAMESPACE scratchnet:: FILE scratchnetTargets.cmake
        DESTINATION ${scratchnet_package_dir} COMPONENT scratchnet_development)

# The package file finds zlib too when the library is static (BUILD_SHARED_LIBS off, the
# default), whose consumers link zlib themselves.
get_target_property(scratchnet_library_type scratchnet TYPE)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/scratchnetConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/scratchnetConfig.cmake
                              INSTALL_DESTINATION ${scratchnet_package_dir})
# Before 1.0 a minor version may change the API, so only the same 0.MINOR satisfies a request.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/scratchnetConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/scratchnetConfig.cmake
              ${PROJECT_BINARY_DIR}/scratchnetConfigVersion.cmake
        DESTINATION ${scratchnet_package_dir} COMPONENT scratchnet_development)

if(TARGET scratchnet_cli AND SCRATCHNET_INSTALL_CLI)
  install(TARGETS scratchnet_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
          COMPONENT scratchnet_cli)
endif()
