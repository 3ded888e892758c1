// Coupled power + cooling at the thermal step (1 s): (1) the 100K-GPU GB200 NVL72 campus
// (scenarios/gb200-nvl72-campus.json, liquid cooled) for 24 simulated hours; (2) the 15K-GPU
// default (scenarios/mai1-15k-h100.json, air cooled) for a year (8760 h) with the Chicago TMY3
// weather; (3) as (1) with GPU junction temperatures coupled both ways (leakage, throttling) for
// 8 jitter cohorts per job (16 junction states, the job's racks in placement order); (4) the same
// with 64 cohorts per job (128 states). The junction parameters of (3) and (4) are a fixed bench
// workload, not data for a real GPU. Prints wall seconds, PUE and the process's peak resident
// memory. Goals on the 2-core machine: (1) and (3) <= 5 s, (2) <= 30 s.
//   build/bin/bench_cooling [day|year|junction|junction64|both] [HOURS]   (both: day, year, junction)
// HOURS (optional) shortens the day runs (day, junction, junction64) for profiling; the goals are for 24 h.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/run.h"
#include "sim/input/scenario_loader.h"

namespace {
// The bench's fixed workload: the scenario's jobs without the failures, checkpoints and jitter
// the shipped scenarios now carry (they add job events and cohorts, not cooling work), so the
// timings stay comparable with those recorded in the README.
std::vector<std::string> plain_jobs(const std::string& path) {
  std::ifstream in(path);
  nlohmann::json doc = nlohmann::json::parse(in);
  for (auto& job : doc["jobs"])
    for (const char* k : {"failures", "checkpoint", "jitter"}) job.erase(k);
  return {"jobs=" + doc["jobs"].dump()};
}

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

void run(const char* label, const std::string& path, const std::vector<std::string>& sets) {
  dctwin::LoadOptions lo;
  lo.overrides = sets;
  const dctwin::Scenario sc = dctwin::load_scenario_file(path, lo);
  const auto t0 = std::chrono::steady_clock::now();
  const dctwin::RunResult r = dctwin::run_scenario(sc);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const auto& s = r.summary;
  std::printf("%s: %s, %lld GPUs, %.0f h simulated at thermal step %.3g s: wall %.2f s, PUE %.4f, WUE %.3f L/kWh, "
              "free cooling %.0f h full + %.0f h partial, chillers %.0f h, %llu events, max junction %s C, peak RSS %.0f MiB\n",
              label, sc.name.c_str(), static_cast<long long>(sc.total_gpus()), sc.duration_s / 3600, sc.thermal_step_s, wall,
              s["pue"].get<double>(), s["wue_l_per_kwh"].get<double>(), s["free_cooling_hours"]["full"].get<double>(),
              s["free_cooling_hours"]["partial"].get<double>(), s["chiller_hours"].get<double>(),
              static_cast<unsigned long long>(r.engine.stats.events), s["max_junction_c"].dump().c_str(),
              static_cast<double>(ru.ru_maxrss) / 1024.0);
}
}  // namespace

int main(int argc, char** argv) {
  const std::string what = argc > 1 ? argv[1] : "both";
  const double hours = argc > 2 ? std::atof(argv[2]) : 24.0;
  if (!(hours > 0 && hours <= 24)) {
    std::fprintf(stderr, "bench_cooling: HOURS must be in (0, 24], got \"%s\"\n", argv[2]);
    return 2;
  }
  const std::string day_s = "simulation.duration_s=" + std::to_string(hours * 3600);
  const std::string src = DCTWIN_SOURCE_DIR;
  const std::string epw = src + "/data/weather/chicago.epw";
  const std::string gb200 = src + "/scenarios/gb200-nvl72-campus.json";
  try {
    if (what == "day" || what == "both")
      run("100K campus", gb200,
          with({day_s, "simulation.output_step_s=1", "simulation.thermal_step_s=1"}, plain_jobs(gb200)));
    for (const int cohorts : {8, 64}) {
      if (!(what == "junction64" && cohorts == 64) && !((what == "junction" || what == "both") && cohorts == 8)) continue;
      const std::string jitter = "={\"compute_cv\": 0.02, \"cohorts\": " + std::to_string(cohorts) + "}";
      run(("100K campus, GPU junction feedback, " + std::to_string(cohorts) + " cohorts per job").c_str(),
          gb200,
          with(plain_jobs(gb200), {day_s, "simulation.output_step_s=1", "simulation.thermal_step_s=1",
                                   "jobs.0.jitter" + jitter, "jobs.1.jitter" + jitter,
                                   "cooling.gpu_thermal={\"r_th_k_w\": 0.035, \"tau_s\": 2, \"throttle_c\": 90, \"limit_c\": 95, "
                                   "\"leakage\": {\"reference_c\": 60, \"w_at_reference\": 50, \"doubling_k\": 25}}"}));
    }
    if (what == "year" || what == "both")
      run("15K default, 8760 h", src + "/scenarios/mai1-15k-h100.json",
          with({"simulation.duration_s=31536000", "simulation.output_step_s=60", "simulation.thermal_step_s=1",
                "cooling.weather={\"epw_file\": \"" + epw + "\"}"},
               plain_jobs(src + "/scenarios/mai1-15k-h100.json")));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_cooling: %s\n", e.what());
    return 1;
  }
  return 0;
}
