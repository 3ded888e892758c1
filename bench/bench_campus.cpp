// Fixed workload: the 100K-GPU campus (scenarios/campus-100k-h100.json) for 1 simulated hour at
// 100 ms output resolution, repeated; prints wall time per run (median), simulated GPU-seconds per
// wall second, and the process's peak resident memory. Goal: < 10 s and
// < 1 GiB on the 2-core machine. The scenario's cooling block (plant and GPU junction temperatures,
// added to the shipped campus later) is left out unless --cooling, so the figures stay comparable
// with those recorded in the README (power and training dynamics only).
//   build/bin/bench_campus [SCENARIO] [--runs N] [--cooling]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "sim/output/results.h"
#include "sim/run.h"
#include "sim/input/scenario_loader.h"
#include "bench/scenario_variant.h"

int main(int argc, char** argv) {
  std::string path = std::string(DCTWIN_SOURCE_DIR) + "/scenarios/campus-100k-h100.json";
  int runs = 5;
  bool cooling = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (std::strcmp(argv[i], "--cooling") == 0) cooling = true;
    else path = argv[i];
  }
  dctwin::LoadOptions lo;
  lo.overrides = {"simulation.duration_s=3600", "simulation.output_step_s=0.1"};
  try {
    const dctwin::Scenario sc = bench::load_variant(path, lo, cooling);
    std::vector<double> wall;
    std::size_t csv_bytes = 0;
    double sim_gpu_s = 0;
    for (int r = 0; r < runs; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      const dctwin::RunResult res = dctwin::run_scenario(sc);
      csv_bytes = dctwin::timeseries_csv(res.engine.recorder).size();  // the output work is part of a run
      wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      sim_gpu_s = static_cast<double>(sc.total_gpus()) * sc.duration_s;
      if (r == 0)
        std::printf("scenario %s (%s): %lld GPUs, %.0f s simulated, %zu output rows, %llu events, %zu graph vertices\n",
                    sc.name.c_str(), sc.cooling ? "with cooling" : "without cooling", static_cast<long long>(sc.total_gpus()), sc.duration_s,
                    res.engine.recorder.bin_count(),
                    static_cast<unsigned long long>(res.engine.stats.events),
                    static_cast<std::size_t>(res.summary["engine"]["graph_vertices"].get<std::size_t>()));
    }
    std::vector<double> sorted = wall;
    std::sort(sorted.begin(), sorted.end());
    const double median = sorted[sorted.size() / 2];
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("runs %d: wall s min %.3f median %.3f max %.3f\n", runs, sorted.front(), median, sorted.back());
    std::printf("simulated GPU-seconds per wall second (median run): %.3g\n", sim_gpu_s / median);
    std::printf("timeseries.csv size: %.1f MB\n", static_cast<double>(csv_bytes) / 1e6);
    std::printf("peak resident memory: %.1f MiB\n", static_cast<double>(ru.ru_maxrss) / 1024.0);
  } catch (const dctwin::InputError& e) {
    std::fprintf(stderr, "%s", e.what());
    return 2;
  }
  return 0;
}
