// dctwin sweep SWEEP.json [-o DIR] [--jobs N]
// Runs every case of a sweep (sim/studies/sweep.h: a base scenario + grid and/or Monte Carlo draws) on
// N threads, and under an MPI launcher (mpirun -n R, srun) over R ranks, rank 0 gathering the
// rows. Writes DIR/sweep.csv and DIR/sweep.json (one row per case, sorted by case).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>

#include "cli/common.h"
#include "sim/run.h"
#include "sim/studies/sweep.h"

namespace dctwin::cli {

namespace {

struct SweepArgs {
  std::string file;
  std::string out = "results/sweep";
  unsigned jobs = 0;  // 0: hardware threads
};

// Processes the launcher started: Open MPI, PMI, or the tasks of a Slurm job step (srun; the batch
// step of an sbatch script has one).
int launcher_world_size() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_STEP_NUM_TASKS"})
    if (const char* s = std::getenv(v)) return std::atoi(s);
  return 1;
}

int sweep(const SweepArgs& a, const MpiSession& mpi) {
  const bool root = mpi.rank() == 0;
  const unsigned threads = thread_count(a.jobs);
  const SweepSpec spec = load_sweep_file(a.file);
  validate_sweep(spec, threads);  // every rank: the same verdict, so no rank waits on a failed one
  if (root)
    std::fprintf(stderr, "dctwin sweep: %zu cases (%zu grid points x %zu draws) on %d process%s x %u thread%s\n",
                 spec.cases.size(), spec.grid_points, spec.draws, mpi.size(), mpi.size() == 1 ? "" : "es", threads,
                 threads == 1 ? "" : "s");
  const std::vector<std::size_t> mine = sweep_cases_of_rank(spec.cases.size(), mpi.rank(), mpi.size());
  int last_tenth = 0;
  const std::vector<json> local = run_sweep_cases(spec, mine, threads, [&](std::size_t done) {
    const int tenth = static_cast<int>(10 * done / std::max<std::size_t>(1, mine.size()));
    if (root && tenth > last_tenth) {
      last_tenth = tenth;
      std::fprintf(stderr, "dctwin sweep: rank 0 %3d%% of its %zu cases\n", tenth * 10, mine.size());
    }
  });
  const std::vector<json> rows = mpi.gather_rows(local);
  if (!root) return 0;

  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  if (ec) throw std::runtime_error(a.out + ": cannot create the output folder: " + ec.message());
  write_table_files(a.out, "sweep", sweep_table_csv(spec, rows), sweep_table_json(spec, rows));
  std::vector<SweepRowFigures> figures;
  for (const auto& r : rows) figures.push_back(read_sweep_row(r));
  int code = 0;
  std::size_t failed = 0;
  for (const auto& r : figures)
    if (r.failed) {
      ++failed;
      code = std::max(code, r.exit_code);
      if (failed <= 10) std::fprintf(stderr, "dctwin sweep: case %zu: %s\n", r.index, r.error.c_str());
    }
  if (rows.size() <= 50) {
    std::printf("%-6s %12s %12s %8s %8s\n", "case", "peak MW", "energy MWh", "PUE", "goodput");
    for (const auto& r : figures)
      std::printf("%-6zu %s %s %s %s\n", r.index, figure_text("%.4f", r.peak_facility_mw, 12).c_str(),
                  figure_text("%.4f", r.facility_energy_mwh, 12).c_str(), figure_text("%.4f", r.pue, 8).c_str(),
                  figure_text("%.4f", r.goodput, 8).c_str());
  }
  std::printf("wrote %s/sweep.csv and %s/sweep.json (%zu cases, %zu failed)\n", a.out.c_str(), a.out.c_str(), rows.size(),
              failed);
  return code;
}

int run(const SweepArgs& a) {
  if (!launched_by_mpi_launcher()) {
    // srun with several tasks but no PMI/PMIx: every task would run the whole sweep into the same files.
    if (launcher_world_size() > 1)
      throw EnvironmentError("srun started " + std::to_string(launcher_world_size()) + " tasks but no MPI process manager "
                             "(PMI/PMIx) is visible to them: launch with srun --mpi=pmix (srun --mpi=list shows the "
                             "plugins), or with one task");
    return sweep(a, MpiSession(false));
  }
  if (!sweep_mpi_built()) {
    if (launcher_world_size() > 1)
      throw EnvironmentError("started by an MPI launcher with several ranks, but this dctwin was built without MPI: "
                             "install libopenmpi-dev openmpi-bin and rebuild (cmake -DDCTWIN_ENABLE_MPI=ON), or run "
                             "without mpirun (cases then run in threads)");
    return sweep(a, MpiSession(false));
  }
  const MpiSession mpi(true);  // MPI_Init_thread ... MPI_Finalize
  if (mpi.rank() == 0) return sweep(a, mpi);
  try {
    return sweep(a, mpi);
  } catch (const InputError&) {
    return 2;  // rank 0 reports the same problems
  }
}

}  // namespace

Command add_sweep_command(CLI::App& app) {
  auto args = std::make_shared<SweepArgs>();
  auto* sub = app.add_subcommand("sweep", "Run a grid and/or Monte Carlo sweep of a scenario (threads; MPI ranks under mpirun/srun)");
  sub->add_option("sweep", args->file, "Sweep JSON file (README: dctwin sweep)")->required();
  add_out_option(sub, args->out, "Output folder; writes DIR/sweep.csv and DIR/sweep.json", "DIR");
  add_jobs_option(sub, args->jobs, "--jobs", "Threads per process");
  return {sub, [args] { return run(*args); }};
}

}  // namespace dctwin::cli
