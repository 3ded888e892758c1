// Fixed workload for the training-dynamics engine: an H100 campus of a given size (the
// campus-100k-h100 hall template, repeated) running one synchronous job on ~90 % of its GPUs with
// per-rack jitter and stragglers, checkpoints and failures, for 24 simulated hours at 100 ms
// facility resolution. Prints, per campus size, the median wall time of several runs, the peak
// memory of the process, and rack-steps per second (racks x output intervals / wall s); and, in
// the same process, the rack-steps per second of a plain streaming loop over per-rack arrays
// (one multiply-add per rack and interval): the machine's limit for a per-rack fixed-step loop.
//   build/bin/bench_dynamics                 all sizes (15K, 50K, 100K, 200K, 1M), one process each
//   build/bin/bench_dynamics --gpus N [--runs R] [--hours H] [--rack-storage] [--cooling]
// The campus file's cooling block (plant and GPU junction temperatures, added to it later) is left
// out unless --cooling: the table measures the training-dynamics engine, as recorded in the README.
// --rack-storage gives every rack a PSU/BBU-style storage (sim/facility/rack_storage.h; 2 MJ, 40 kW,
// 2 kW/s per rack, control step 0.05 s: made-up sizes for timing only).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "sim/run.h"
#include "sim/input/scenario_loader.h"
#include "bench/scenario_variant.h"

namespace {

double peak_rss_mib() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  return -1;
}

int run_size(long gpus_target, int runs, double hours, bool rack_storage, bool cooling) {
  // Halls of 20 rows x 20 racks x 4 nodes x 8 GPUs = 12,800 GPUs; below one hall, fewer rows.
  const long per_hall = 12800;
  long halls = std::max(1L, (gpus_target + per_hall / 2) / per_hall);
  long rows = 20;
  if (gpus_target < per_hall) rows = std::max(1L, gpus_target / 640);
  if (gpus_target > per_hall && gpus_target < 2 * per_hall) halls = 1, rows = gpus_target / 640;
  if (gpus_target == 15000) halls = 1, rows = 24;  // 15,360 GPUs
  const long gpus = halls * rows * 640;
  const long job = (gpus * 9 / 10) / 8 * 8;
  dctwin::LoadOptions lo;
  lo.overrides = {"simulation.duration_s=" + std::to_string(hours * 3600), "simulation.output_step_s=0.1",
                  "campus.halls.0.count=" + std::to_string(halls), "campus.halls.0.rows.0.count=" + std::to_string(rows),
                  "campus.utility.feeds.capacity_mw=10000",
                  "jobs=[{\"name\":\"pretrain\",\"kind\":\"training\",\"gpus\":" + std::to_string(job) +
                      ",\"start_s\":0,\"stop_s\":null,\"step\":[{\"phase\":\"compute\",\"duration_s\":1.8},"
                      "{\"phase\":\"communication\",\"duration_s\":0.5},{\"phase\":\"optimizer\",\"duration_s\":0.2}],"
                      "\"jitter\":{\"compute_cv\":0.02,\"straggler_probability\":0.0001,\"straggler_slowdown\":0.3},"
                      "\"checkpoint\":{\"interval_s\":1800,\"duration_s\":60},"
                      "\"failures\":{\"node_mtbf_h\":6300,\"restart_s\":600,\"reload_s\":120}}]"};
  if (rack_storage)
    lo.overrides.push_back(R"(rack_types.dgx-h100-rack.storage={"energy_j":2000000,"power_w":40000,"round_trip_efficiency":0.95,)"
                           R"("soc_min_pct":10,"soc_max_pct":90,"recovery_s":10,"grid_ramp_limit_w_per_s":2000})");
  const dctwin::Scenario sc = bench::load_variant(std::string(DCTWIN_SOURCE_DIR) + "/scenarios/campus-100k-h100.json", lo, cooling);
  std::vector<double> wall;
  std::size_t bins = 0, racks = static_cast<std::size_t>(sc.total_racks());
  unsigned long long events = 0;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const dctwin::RunResult res = dctwin::run_scenario(sc);
    wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    bins = res.engine.recorder.bin_count();
    events = res.engine.stats.events;
  }
  std::sort(wall.begin(), wall.end());
  const double median = wall[wall.size() / 2];
  // The plain streaming loop over per-rack arrays, same racks x intervals (timed once, capped to
  // 2e9 rack-steps by sampling fewer intervals and scaling).
  std::vector<double> p(racks, 1.0), e(racks, 0.0);
  const std::size_t steps = std::min<std::size_t>(bins, static_cast<std::size_t>(2e9 / std::max<std::size_t>(racks, 1)));
  const auto s0 = std::chrono::steady_clock::now();
  for (std::size_t k = 0; k < steps; ++k)
    for (std::size_t i = 0; i < racks; ++i) e[i] += p[i] * 0.1;
  const double loop_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count();
  volatile double sink = e[racks / 2];
  (void)sink;
  std::printf("%9lld %7zu %9zu %9llu %8.3f %8.3f %8.1f %12.3g %12.3g\n", static_cast<long long>(sc.total_gpus()), racks, bins, events,
              wall.front(), median, peak_rss_mib(), static_cast<double>(racks) * bins / median,
              static_cast<double>(racks) * steps / loop_s);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  long gpus = 0;
  int runs = 3;
  double hours = 24;
  bool rack_storage = false, cooling = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--cooling")) cooling = true;
    if (!std::strcmp(argv[i], "--gpus") && i + 1 < argc) gpus = std::atol(argv[++i]);
    else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--hours") && i + 1 < argc) hours = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--rack-storage")) rack_storage = true;
  }
  if (gpus > 0) {
    try {
      return run_size(gpus, runs, hours, rack_storage, cooling);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n", e.what());
      return 2;
    }
  }
  std::printf("%9s %7s %9s %9s %8s %8s %8s %12s %12s\n", "GPUs", "racks", "intervals", "events", "min_s", "median_s", "peak_MiB",
              "rack-steps/s", "loop rack-steps/s");
  for (long n : {15000L, 51200L, 102400L, 204800L, 1000000L}) {
    const std::string cmd = std::string(argv[0]) + " --gpus " + std::to_string(n) + " --runs " + std::to_string(runs) +
                            " --hours " + std::to_string(hours) + (rack_storage ? " --rack-storage" : "") + (cooling ? " --cooling" : "");
    std::fflush(stdout);
    if (std::system(cmd.c_str()) != 0) return 1;
  }
  return 0;
}
