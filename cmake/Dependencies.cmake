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

# SimGrid 3.32 ships no CMake package: use pkg-config (docs/design.md, "SimGrid for network contention").
pkg_check_modules(SIMGRID QUIET IMPORTED_TARGET simgrid)
if(NOT SIMGRID_FOUND)
  message(FATAL_ERROR "dctwin: SimGrid not found by pkg-config (simgrid.pc). Install it: apt-get install libsimgrid-dev")
endif()

# MPI (optional): `dctwin sweep` distributes its cases over MPI ranks when built with it
# (Debian: libopenmpi-dev openmpi-bin). DCTWIN_ENABLE_MPI defaults to ON when MPI is found;
# without it the sweep runs in threads on one machine and the MPI tests print "skipped: ...".
find_package(MPI COMPONENTS CXX QUIET)
option(DCTWIN_ENABLE_MPI "Distribute dctwin sweep cases over MPI ranks (needs libopenmpi-dev)" ${MPI_CXX_FOUND})
if(DCTWIN_ENABLE_MPI AND NOT MPI_CXX_FOUND)
  message(FATAL_ERROR "dctwin: DCTWIN_ENABLE_MPI is ON but MPI was not found. Install it: apt-get install libopenmpi-dev openmpi-bin (or configure with -DDCTWIN_ENABLE_MPI=OFF)")
endif()
message(STATUS "dctwin: MPI for dctwin sweep: ${DCTWIN_ENABLE_MPI}")
