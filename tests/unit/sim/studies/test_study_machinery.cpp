// The machinery the studies share (sim/studies/sweep.h): the cartesian product's grid points,
// running work in threads (every index once; the first exception rethrown), override text, the
// table files, and a sweep row read back.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <stdexcept>

#include "sim/studies/sweep.h"
#include "tests/support.h"

using namespace dctwin;

TEST_CASE("study machinery: grid points of a cartesian product, the first axis slowest") {
  const std::vector<std::size_t> sizes = {2, 3, 4};
  CHECK(grid_combinations(sizes) == 24.0);
  CHECK(grid_combinations({}) == 1.0);
  CHECK(grid_point_indices(0, sizes) == std::vector<std::size_t>{0, 0, 0});
  CHECK(grid_point_indices(1, sizes) == std::vector<std::size_t>{0, 0, 1});
  CHECK(grid_point_indices(4, sizes) == std::vector<std::size_t>{0, 1, 0});
  CHECK(grid_point_indices(12, sizes) == std::vector<std::size_t>{1, 0, 0});
  CHECK(grid_point_indices(23, sizes) == std::vector<std::size_t>{1, 2, 3});  // (1 x 3 + 2) x 4 + 3
  CHECK(grid_point_indices(0, {}).empty());
}

TEST_CASE("study machinery: run_in_threads runs every index once, and rethrows the first exception") {
  for (unsigned threads : {1u, 3u, 16u}) {
    CAPTURE(threads);
    std::vector<std::atomic<int>> seen(50);
    run_in_threads(seen.size(), threads, [&](std::size_t i) { ++seen[i]; });
    for (const auto& s : seen) CHECK(s.load() == 1);
    CHECK_THROWS_WITH_AS(run_in_threads(50, threads,
                                        [](std::size_t i) {
                                          if (i == 7) throw std::runtime_error("case 7");
                                        }),
                         "case 7", std::runtime_error);
  }
  run_in_threads(0, 4, [](std::size_t) { FAIL("no work"); });
}

TEST_CASE("study machinery: override text, table files, a sweep row read back") {
  CHECK(override_text("a.b", json("eco")) == "a.b=\"eco\"");
  CHECK(override_text("a.b", json(1.5)) == "a.b=1.5");

  test::TempDir dir("tables");
  write_table_files(dir.str(), "t", "x,y\n1,2\n", json{{"k", 1}});
  CHECK(test::read_file(dir.file("t.csv")) == "x,y\n1,2\n");
  CHECK(test::read_file(dir.file("t.json")) == "{\n  \"k\": 1\n}\n");

  const SweepRowFigures ok = read_sweep_row(json::parse(
      R"({"case": 3, "peak_facility_mw": 1.5, "facility_energy_mwh": 2, "pue": null, "goodput": 0.9, "error": null})"));
  CHECK(ok.index == 3);
  CHECK_FALSE(ok.failed);
  CHECK(ok.facility_energy_mwh == 2.0);
  CHECK(std::isnan(ok.pue));
  const SweepRowFigures bad =
      read_sweep_row(json::parse(R"({"case": 4, "error": "conservation check failed: x", "exit_code": 4})"));
  CHECK(bad.failed);
  CHECK(bad.exit_code == 4);
  CHECK(bad.error == "conservation check failed: x");
  CHECK(std::isnan(bad.peak_facility_mw));
  CHECK(read_sweep_row(json::parse(R"({"case": 5, "error": "boom"})")).exit_code == 1);
}
