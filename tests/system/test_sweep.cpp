// Scenario sweeps (`dctwin sweep`, sim/studies/sweep.h): the cases of a grid x Monte Carlo sweep, a
// deterministic table (the same twice, in threads or over MPI ranks), clear errors for bad files.
#include <doctest/doctest.h>

#include <cstdlib>

#include "core/json_input.h"
#include "sim/studies/sweep.h"
#include "tests/support.h"

using namespace dctwin;

namespace {

// A 2 x 3 sweep of tests/data/tiny.json: UPS mode grid x 3 draws of the seed (with frequent
// failures, so the seed matters) and of the job's start time. 20 simulated seconds each.
json sweep_doc() {
  return json::parse(R"({
    "base": ")" + test::tiny_path() + R"(",
    "set": { "simulation.duration_s": 20, "simulation.output_step_s": 0.1,
             "jobs.0.failures": { "node_mtbf_h": 0.005, "restart_s": 1, "reload_s": 1 } },
    "grid": { "campus.halls.0.lineups.ups.mode": ["double_conversion", "eco"] },
    "monte_carlo": { "draws": 3, "seed": 11,
                     "parameters": { "simulation.seed": { "seed": true }, "jobs.0.start_s": { "uniform": [0, 5] } } } })");
}

std::string write_sweep(const test::TempDir& dir, const json& doc) {
  const std::string path = dir.file("sweep.json");
  test::write_file(path, doc.dump(2));
  return path;
}

test::CliRun sweep_cli(const std::string& file, const std::string& out, const std::string& extra = "") {
  return test::run_cli("sweep " + test::shell_quote(file) + " " + extra + " -o " + test::shell_quote(out));
}

}  // namespace

TEST_CASE("sweep: cases are grid points x draws, a draw has the same values at every grid point") {
  const SweepSpec s = parse_sweep(sweep_doc(), "sweep.json", ".");
  REQUIRE(s.cases.size() == 6);
  CHECK(s.grid_points == 2);
  CHECK(s.draws == 3);
  CHECK(s.parameters == std::vector<std::string>{"campus.halls.0.lineups.ups.mode", "simulation.seed", "jobs.0.start_s"});
  for (std::size_t d = 0; d < 3; ++d) {
    CHECK(s.cases[d].values[0].second == "double_conversion");
    CHECK(s.cases[3 + d].values[0].second == "eco");
    CHECK(s.cases[d].values[1].second == s.cases[3 + d].values[1].second);  // common random numbers
    const double start = s.cases[d].values[2].second.get<double>();
    CHECK(start >= 0.0);
    CHECK(start < 5.0);
  }
  CHECK(s.cases[0].values[1].second != s.cases[1].values[1].second);
  // Re-parsing gives the same draws (seeded streams, not the clock).
  const SweepSpec again = parse_sweep(sweep_doc(), "sweep.json", ".");
  for (std::size_t i = 0; i < s.cases.size(); ++i) CHECK(s.cases[i].values == again.cases[i].values);
}

TEST_CASE("sweep: the table is the same twice and in any number of threads, figures follow the parameters") {
  const SweepSpec s = parse_sweep(sweep_doc(), "sweep.json", ".");
  std::vector<std::size_t> all(s.cases.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  const auto one = run_sweep_cases(s, all, 1);
  const auto four = run_sweep_cases(s, all, 4);
  CHECK(sweep_table_csv(s, one) == sweep_table_csv(s, four));
  CHECK(sweep_table_json(s, one).dump() == sweep_table_json(s, four).dump());
  for (const auto& r : one) CHECK(r["error"].is_null());
  // Eco mode loses less in the UPS: less facility energy than double conversion for the same draw.
  for (std::size_t d = 0; d < 3; ++d)
    CHECK(one[3 + d]["facility_energy_mwh"].get<double>() < one[d]["facility_energy_mwh"].get<double>());
  // The draws (seed of the failures, start time) change the goodput.
  bool differ = false;
  for (std::size_t d = 1; d < 3; ++d) differ = differ || one[d]["goodput"] != one[0]["goodput"];
  CHECK(differ);
  const std::string csv = sweep_table_csv(s, one);
  CHECK(csv.rfind("case,grid_point,draw,campus.halls.0.lineups.ups.mode,simulation.seed,jobs.0.start_s,gpus,", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 7);
}

TEST_CASE("cli: a bad sweep file gives file, JSON path, expected and found, exit 2") {
  test::TempDir dir("sweep-bad");
  json doc = sweep_doc();
  doc["grid"]["simulation.seed"] = 5;  // not an array
  doc["monte_carlo"]["parameters"]["jobs.0.start_s"] = json{{"uniform", json::array({5, 1})}};
  doc["gird"] = 1;
  const auto r = sweep_cli(write_sweep(dir, doc), dir.file("out"));
  CAPTURE(r.out);
  CHECK(r.code == 2);
  CHECK(r.out.find("sweep.json: $.grid[\"simulation.seed\"]: expected an array of 1..10000 values") != std::string::npos);
  CHECK(r.out.find("$.monte_carlo.parameters[\"jobs.0.start_s\"].uniform: expected [lo, hi]") != std::string::npos);
  CHECK(r.out.find("$.gird") != std::string::npos);
  CHECK(r.out.find("did you mean \"grid\"") != std::string::npos);

  // A value the scenario refuses: named with its case.
  json bad_case = sweep_doc();
  bad_case["grid"]["simulation.duration_s"] = json::array({10, -5});
  const auto c = sweep_cli(write_sweep(dir, bad_case), dir.file("out"));
  CAPTURE(c.out);
  CHECK(c.code == 2);
  CHECK(c.out.find("case 3 (") != std::string::npos);
  CHECK(c.out.find("simulation.duration_s=-5") != std::string::npos);
  CHECK(c.out.find("$.simulation.duration_s") != std::string::npos);
}

TEST_CASE("cli: dctwin sweep writes sweep.csv and sweep.json, the same twice") {
  test::TempDir dir("sweep-cli");
  const std::string file = write_sweep(dir, sweep_doc());
  const auto a = sweep_cli(file, dir.file("a"), "--jobs 2");
  const auto b = sweep_cli(file, dir.file("b"), "--jobs 1");
  CAPTURE(a.out);
  REQUIRE(a.code == 0);
  REQUIRE(b.code == 0);
  CHECK(test::read_file(dir.file("a/sweep.csv")) == test::read_file(dir.file("b/sweep.csv")));
  CHECK(test::read_file(dir.file("a/sweep.json")) == test::read_file(dir.file("b/sweep.json")));
  const json j = json::parse(test::read_file(dir.file("a/sweep.json")));
  CHECK(j["cases"].size() == 6);
}

TEST_CASE("mpi: mpirun -n 2 and -n 4 give the single-process table") {
  if (!sweep_mpi_built()) {
    MESSAGE("skipped: dctwin was built without MPI (DCTWIN_ENABLE_MPI=OFF or libopenmpi-dev missing)");
    return;
  }
  if (std::system("command -v mpirun >/dev/null 2>&1") != 0) {
    MESSAGE("skipped: mpirun not found (apt-get install openmpi-bin)");
    return;
  }
  test::TempDir dir("sweep-mpi");
  const std::string file = write_sweep(dir, sweep_doc());
  const auto single = sweep_cli(file, dir.file("single"), "--jobs 1");
  REQUIRE(single.code == 0);
  for (int n : {2, 4}) {
    CAPTURE(n);
    const std::string out = dir.file("mpi" + std::to_string(n));
    // As root in a container: Open MPI's root flags; no cross-memory attach (often denied there).
    // Under the sanitizer build (tests/fuzz/run.sh) LeakSanitizer reports Open MPI's own
    // allocations (its components are unloaded before the report), so leak detection is off for
    // the MPI ranks only; the sweep code itself is leak-checked by the single-process tests.
    const auto r = test::run_shell("ASAN_OPTIONS=\"${ASAN_OPTIONS:-}:detect_leaks=0\" "
                                   "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
                                   "OMPI_MCA_btl_vader_single_copy_mechanism=none mpirun --allow-run-as-root "
                                   "--oversubscribe -n " + std::to_string(n) + " " + test::shell_quote(DCTWIN_CLI_PATH) +
                                   " sweep " + test::shell_quote(file) + " --jobs 1 -o " + test::shell_quote(out));
    const std::string& text = r.out;
    CAPTURE(text);
    REQUIRE(r.code == 0);
    CHECK(text.find("on " + std::to_string(n) + " processes") != std::string::npos);
    CHECK(test::read_file(out + "/sweep.csv") == test::read_file(dir.file("single/sweep.csv")));
    CHECK(test::read_file(out + "/sweep.json") == test::read_file(dir.file("single/sweep.json")));
  }
}
