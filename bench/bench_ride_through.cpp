// Fixed workload: `dctwin ride-through` on the 100K-GPU campus (scenarios/campus-100k-h100.json):
// a 200-point map (10 remaining-voltage levels x 20 durations, 1 ms .. 10 s) on 2 threads and the
// PERC1 fit that `dctwin ride-through` runs after it (sim/studies/perc1_fit.h), repeated; prints
// the wall time per map + fit (median) and the fit's share. Goal: < 60 s on the 2-core machine.
//   build/bin/bench_ride_through [SCENARIO] [--runs N] [--threads N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "sim/input/scenario_loader.h"
#include "sim/studies/perc1_fit.h"
#include "sim/studies/ride_through.h"

int main(int argc, char** argv) {
  std::string path = std::string(DCTWIN_SOURCE_DIR) + "/scenarios/campus-100k-h100.json";
  int runs = 3;
  unsigned threads = 2;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = static_cast<unsigned>(std::max(1, std::atoi(argv[++i])));
    else path = argv[i];
  }
  try {
    const dctwin::Scenario sc = dctwin::load_scenario_file(path);
    dctwin::RideThroughOptions o;
    o.depths = 10;
    o.durations = 20;
    o.threads = threads;
    std::vector<double> wall, fit_wall;
    double fit_err = 0;
    std::size_t lost = 0;
    double meter_mw = 0;
    for (int r = 0; r < runs; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      const dctwin::RideThroughMap m = dctwin::ride_through_map(sc, o);
      const auto t1 = std::chrono::steady_clock::now();
      const dctwin::Perc1Fit fit = dctwin::fit_perc1(dctwin::perc1_events_from_map(sc, m, o), {threads});
      const auto t2 = std::chrono::steady_clock::now();
      wall.push_back(std::chrono::duration<double>(t2 - t0).count());
      fit_wall.push_back(std::chrono::duration<double>(t2 - t1).count());
      fit_err = fit.fit_error_pct;
      lost = static_cast<std::size_t>(std::count_if(m.points.begin(), m.points.end(),
                                                    [](const dctwin::RideThroughPoint& p) { return p.result.load_lost_w > 0; }));
      meter_mw = m.loads.meter_w * 1e-6;
    }
    std::sort(wall.begin(), wall.end());
    std::sort(fit_wall.begin(), fit_wall.end());
    std::printf("scenario %s: %lld GPUs, %.1f MW at the meter; 200 cases, %zu lose load\n", sc.name.c_str(),
                static_cast<long long>(sc.total_gpus()), meter_mw, lost);
    std::printf("ride-through map + PERC1 fit: median %.3f s over %d runs on %u threads (min %.3f, max %.3f); goal < 60 s\n",
                wall[wall.size() / 2], runs, threads, wall.front(), wall.back());
    std::printf("of which the PERC1 fit (25 events re-simulated with traces, then fitted): median %.3f s; fit error %.3f %%\n",
                fit_wall[fit_wall.size() / 2], fit_err);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_ride_through: %s\n", e.what());
    return 1;
  }
}
