// Error of the cohort reduction (models/workload/jitter.h) against the exact per-rack mode on the
// 100K-GPU campus (scenarios/campus-100k-h100.json, as shipped: three jobs with 1 % compute jitter
// and stragglers, cooling and GPU junctions), at the shipped 100 ms output step. Every job's
// `jitter.cohorts` is set to 8, 16, 32, 64 and "per-rack" in turn; prints, per setting, the median
// wall time of the runs, the figures of sim/output/power_figures.h (peak facility power, swing, ramp
// maxima up and down, energy, and the meter power's 0.1–20 Hz band: its energy and its largest
// component; at 100 ms the band ends at the 5 Hz Nyquist frequency), and each figure's relative
// error against per-rack, |x_K − x_rack| / |x_rack|, in %.
// The cohort runs use common random numbers (`jitter.draws = "per-rack"`, models/workload/jitter.h):
// every step ends when the per-rack run's does, so the error is the reduction's alone. --own-draws
// compares the default draws instead (one realization against another: extremes such as the ramp
// maxima then differ by chance, docs/design.md, Cohorts).
//   build/bin/bench_cohorts [--seconds S] [--runs R] [--cohorts 8,16,32,64] [--scenario FILE] [--own-draws]
// Defaults: S = 600 simulated seconds, R = 3 runs (the median wall time is printed).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "sim/input/scenario_loader.h"
#include "sim/output/power_figures.h"
#include "sim/run.h"

namespace {

struct Row {
  std::string setting;
  double wall_s = 0;
  dctwin::PowerFigures fig;
};

Row run_setting(const std::string& path, const std::string& cohorts, double seconds, int runs, bool common) {
  dctwin::LoadOptions lo;
  lo.overrides = {"simulation.duration_s=" + std::to_string(seconds)};
  dctwin::Scenario probe = dctwin::load_scenario_file(path, lo);
  for (std::size_t j = 0; j < probe.jobs.size(); ++j)
    if (probe.jobs[j].jitter) {
      lo.overrides.push_back("jobs." + std::to_string(j) + ".jitter.cohorts=" + cohorts);
      if (common) lo.overrides.push_back("jobs." + std::to_string(j) + ".jitter.draws=per-rack");
    }
  const dctwin::Scenario sc = dctwin::load_scenario_file(path, lo);
  Row row{cohorts, 0, {}};
  std::vector<double> wall;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const dctwin::RunResult res = dctwin::run_scenario(sc);
    wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    row.fig = dctwin::power_figures(res, sc.output_step_s);
  }
  std::sort(wall.begin(), wall.end());
  row.wall_s = wall[wall.size() / 2];
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 600;
  int runs = 3;
  std::string list = "8,16,32,64";
  std::string path = std::string(DCTWIN_SOURCE_DIR) + "/scenarios/campus-100k-h100.json";
  bool common = true;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--cohorts") && i + 1 < argc) list = argv[++i];
    else if (!std::strcmp(argv[i], "--scenario") && i + 1 < argc) path = argv[++i];
    else if (!std::strcmp(argv[i], "--own-draws")) common = false;
    else {
      std::fprintf(stderr, "usage: bench_cohorts [--seconds S] [--runs R] [--cohorts 8,16,32,64] [--scenario FILE] [--own-draws]\n");
      return 2;
    }
  }
  try {
    std::vector<std::string> settings;
    std::stringstream ss(list);
    for (std::string k; std::getline(ss, k, ',');) settings.push_back(k);
    std::vector<Row> rows;
    for (const auto& k : settings) rows.push_back(run_setting(path, k, seconds, runs, common));
    const Row exact = run_setting(path, "per-rack", seconds, runs, false);
    std::printf("%s, %.0f s simulated, median of %d runs, %s\n", path.c_str(), seconds, runs,
                common ? "common draws (the cohort runs draw the per-rack run's numbers)" : "each run its own draws");
    std::printf("%-9s %8s", "cohorts", "wall_s");
    for (const auto& [name, v] : dctwin::figure_list(exact.fig)) std::printf(" %16s", name.c_str());
    std::printf("\n");
    const auto print = [](const Row& r, const Row* ref) {
      std::printf("%-9s %8.2f", r.setting.c_str(), r.wall_s);
      const auto a = dctwin::figure_list(r.fig);
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (!ref) {
          std::printf(" %16.6g", a[i].second);
          continue;
        }
        const double x = dctwin::figure_list(ref->fig)[i].second;
        std::printf(" %15.3f%%", 100.0 * std::abs(a[i].second - x) / std::abs(x));
      }
      std::printf("\n");
    };
    std::printf("values:\n");
    for (const auto& r : rows) print(r, nullptr);
    print(exact, nullptr);
    std::printf("error against per-rack:\n");
    for (const auto& r : rows) print(r, &exact);
    print(exact, &exact);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  return 0;
}
