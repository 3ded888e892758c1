# Every dependency is a Debian 12 package. A missing one stops configure with the apt package name.
# `bash .ci/setup` installs them all.
find_package(PkgConfig QUIET)
if(NOT PkgConfig_FOUND)
  message(FATAL_ERROR "dctwin: pkg-config not found. Install it: apt-get install pkg-config")
endif()

macro(dctwin_require_package name apt)
  find_package(${name} ${ARGN} QUIET)
  if(NOT ${name}_FOUND)
    message(FATAL_ERROR "dctwin: ${name} not found. Install it: apt-get install ${apt}")
  endif()
endmacro()

dctwin_require_package(Boost libboost-graph-dev CONFIG COMPONENTS graph)
if(NOT TARGET Boost::graph)
  # Boost's CMake config exposes the header-only part of Boost.Graph as Boost::graph only when the
  # compiled part is present; fall back to the headers target.
  add_library(Boost::graph INTERFACE IMPORTED)
  target_link_libraries(Boost::graph INTERFACE Boost::headers)
endif()
dctwin_require_package(Eigen3 libeigen3-dev CONFIG)
dctwin_require_package(nlohmann_json nlohmann-json3-dev CONFIG)
dctwin_require_package(CLI11 libcli11-dev CONFIG)
if(DCTWIN_BUILD_TESTS)
  dctwin_require_package(doctest doctest-dev CONFIG)
endif()

# SimGrid 3.32 ships no CMake package: use pkg-config (DESIGN.md decision 3).
pkg_check_modules(SIMGRID QUIET IMPORTED_TARGET simgrid)
if(NOT SIMGRID_FOUND)
  message(FATAL_ERROR "dctwin: SimGrid not found by pkg-config (simgrid.pc). Install it: apt-get install libsimgrid-dev")
endif()
