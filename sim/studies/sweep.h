// Scenario sweeps (`dctwin sweep SWEEP.json`): a base scenario plus a parameter grid and/or Monte
// Carlo draws. A case is the base scenario with a list of `--set` overrides (path=value, see
// core/json_input.h); its row in the table holds its parameters and its summary figures.
//
// The sweep file (README "dctwin sweep"; every key strict, problems with file and JSON path):
//
//   { "base": "scenario.json",               optional; relative to the sweep file; absent: the
//                                            embedded default scenario
//     "set": { "simulation.duration_s": 3600 },   optional; overrides applied to every case
//     "grid": { "path": [v1, v2, ...], ... },      optional; every combination (first key slowest)
//     "monte_carlo": { "draws": D, "seed": S,      optional; D draws for every grid point
//       "parameters": { "path": {"uniform": [lo, hi]} | {"integer": [lo, hi]} |
//                               {"choice": [v1, ...]} | {"seed": true} } } }
//
// Cases: grid point g (0..G-1, the first grid key varying slowest) x draw d (0..D-1); case index
// = g x D + d. Draw d of a parameter comes from the stream (S, "sweep/<d>/<path>") (core/rng.h), so
// a draw has the same values at every grid point (common random numbers), and a case's values do
// not depend on which thread or MPI rank runs it: the table is the same however it is run.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/json_reader.h"
#include "sim/input/scenario.h"

namespace dctwin {

inline constexpr std::size_t kMaxSweepCases = 100'000;

struct SweepCase {
  std::size_t index = 0, grid_point = 0, draw = 0;
  std::vector<std::pair<std::string, json>> values;  // parameter path -> value, in column order
};

struct SweepSpec {
  std::string file;        // the sweep file (for messages)
  std::string base_path;   // base scenario file; "" = the embedded default
  std::vector<std::string> base_sets;  // "path=value" applied to every case, before its own
  std::vector<std::string> parameters; // parameter paths: grid keys, then Monte Carlo keys
  std::vector<SweepCase> cases;
  std::size_t grid_points = 1, draws = 1;
};

// Reads and validates a sweep file; throws InputError (file, JSON path, expected, found).
SweepSpec load_sweep_file(const std::string& path);
SweepSpec parse_sweep(const json& doc, const std::string& file, const std::string& base_dir);

// The case's scenario (base + set + the case's values). Throws InputError.
Scenario load_sweep_case(const SweepSpec& spec, const SweepCase& c);
// Loads every case; throws one InputError naming each bad case ("case N (path=value, ...)").
void validate_sweep(const SweepSpec& spec, unsigned threads = 1);

// Summary figures copied into every row (null when the summary has none, e.g. pue without cooling).
const std::vector<std::string>& sweep_figure_keys();

// Runs the given cases (indices into spec.cases) on `threads` threads; returns one row each, in
// the order of `indices`. A case that fails while running (conservation check, internal error)
// gets its row with "error" and "exit_code" (4 or 1) instead of stopping the sweep.
// `on_done` (optional) is called after each case from the worker threads, serialized.
std::vector<json> run_sweep_cases(const SweepSpec& spec, const std::vector<std::size_t>& indices, unsigned threads,
                                  const std::function<void(std::size_t done)>& on_done = {});

// The table: rows sorted by case. JSON {"sweep", "base", "parameters", "figures", "cases": [...]},
// CSV one header line then one line per case.
json sweep_table_json(const SweepSpec& spec, const std::vector<json>& rows);
std::string sweep_table_csv(const SweepSpec& spec, const std::vector<json>& rows);

// A row read back, with the figures `dctwin sweep` prints (NaN where the row has null).
struct SweepRowFigures {
  std::size_t index = 0;
  bool failed = false;
  std::string error;  // why the case failed
  int exit_code = 0;  // of a failed case: 4 conservation check, 2 bad input, 1 internal error
  double peak_facility_mw = 0, facility_energy_mwh = 0, pue = 0, goodput = 0;
};
SweepRowFigures read_sweep_row(const json& row);

// ---- the machinery shared with the other studies (sim/studies/whatif.h) ------------------------

// Grid point g of the cartesian product of axes with these sizes: the index on each axis, the first
// axis varying slowest (g = (i0 x n1 + i1) x n2 + i2 ...).
std::vector<std::size_t> grid_point_indices(std::size_t g, const std::vector<std::size_t>& axis_sizes);
// The number of grid points (as a double: no wrap-around however many).
double grid_combinations(const std::vector<std::size_t>& axis_sizes);

// Runs fn(i) for i in [0, n) on up to `threads` threads, work taken in order. The first exception
// fn throws stops the taking of new work and is rethrown once every thread has finished.
void run_in_threads(std::size_t n, unsigned threads, const std::function<void(std::size_t)>& fn);

// `--set` text: PATH=VALUE with the value as JSON.
std::string override_text(const std::string& path, const json& value);

// Writes a study's table into `dir` (which must exist): STEM.csv, then STEM.json (2-space indented).
void write_table_files(const std::string& dir, const std::string& stem, const std::string& csv, const json& doc);

// ---- MPI (sim/studies/sweep_mpi.cpp, compiled with DCTWIN_ENABLE_MPI) ---------------------------------
// True when this binary was built with MPI.
bool sweep_mpi_built();
// True when the process was started by an MPI launcher (mpirun, mpiexec, srun with PMI/PMIx):
// one of OMPI_COMM_WORLD_SIZE, PMIX_RANK, PMI_RANK, PMI_SIZE is set.
bool launched_by_mpi_launcher();
// The ranks of MPI_COMM_WORLD. MpiSession(true) initializes MPI (when built with MPI and not yet
// initialized) and finalizes it when destroyed; MpiSession(false), or a build without MPI, is
// rank 0 of 1 and never touches MPI.
class MpiSession {
 public:
  explicit MpiSession(bool use_mpi);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }
  // Gathers every rank's rows on rank 0 (sorted by "case"); other ranks get an empty vector.
  std::vector<json> gather_rows(const std::vector<json>& local) const;

 private:
  int rank_ = 0, size_ = 1;
  bool active_ = false, initialized_ = false;
};

// Cases of rank r of n: r, r + n, r + 2n, ... (fixed, so a run is reproducible).
std::vector<std::size_t> sweep_cases_of_rank(std::size_t cases, int rank, int ranks);

}  // namespace dctwin
