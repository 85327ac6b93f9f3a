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

# pkg-config, for builds without CMake: scratchnet.pc in the library folder's pkgconfig/, its
# paths relative to where it lies (${pcfiledir}), so that `cmake --install --prefix` anywhere
# and a moved tree both work. Eigen and nlohmann-json come from their own .pc files.
set(scratchnet_pc_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(scratchnet_pc_prefix "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH scratchnet_pc_up /root/${scratchnet_pc_dir} /root)  # ../.. for lib/
  string(REGEX REPLACE "/$" "" scratchnet_pc_up "${scratchnet_pc_up}")
  set(scratchnet_pc_prefix "\${pcfiledir}/${scratchnet_pc_up}")
endif()
foreach(dir LIBDIR INCLUDEDIR)
  string(TOLOWER ${dir} name)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(scratchnet_pc_${name} "${CMAKE_INSTALL_${dir}}")
  else()
    set(scratchnet_pc_${name} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
set(scratchnet_pc_requires "eigen3 >= 3.4, nlohmann_json >= 3")
if(scratchnet_library_type STREQUAL "STATIC_LIBRARY")
  string(APPEND scratchnet_pc_requires ", zlib")
  set(scratchnet_pc_requires_private "")
else()
  set(scratchnet_pc_requires_private "zlib")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/scratchnet.pc.in ${PROJECT_BINARY_DIR}/scratchnet.pc
               @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/scratchnet.pc DESTINATION ${scratchnet_pc_dir}
        COMPONENT scratchnet_development)

# The license travels with the library and its headers.
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/scratchnet)

if(TARGET scratchnet_cli AND SCRATCHNET_INSTALL_CLI)
  install(TARGETS scratchnet_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
          COMPONENT scratchnet_cli)
endif()
