// dctwin run [SCENARIO] [-o DIR] [--duration-s N] [--seed N] [--set path=value ...]
#include <chrono>
#include <cstdio>
#include <memory>

#include "cli/common.h"
#include "sim/results.h"
#include "viz/report.h"

namespace dctwin::cli {

namespace {
struct RunArgs {
  ScenarioArgs scenario;
  std::string out = "results/run";
  std::optional<double> duration_s;
  std::optional<double> dt_s;
  std::optional<std::int64_t> seed;
  bool no_report = false;
};

int run(const RunArgs& a) {
  ScenarioArgs sa = a.scenario;
  if (a.duration_s) sa.sets.push_back("simulation.duration_s=" + exact_number(*a.duration_s));
  if (a.dt_s) sa.sets.push_back("simulation.output_step_s=" + exact_number(*a.dt_s));
  if (a.seed) sa.sets.push_back("simulation.seed=" + std::to_string(*a.seed));
  const Scenario sc = sa.load();
  std::fprintf(stderr, "dctwin: %s: %lld GPUs in %lld racks, %.0f s simulated at %.3g s output resolution\n",
               sc.name.c_str(), static_cast<long long>(sc.total_gpus()), static_cast<long long>(sc.total_racks()),
               sc.duration_s, sc.output_step_s);
  Progress progress;
  RunOptions ro;
  ro.progress = [&progress](double f) { progress(f); };
  const auto t0 = std::chrono::steady_clock::now();
  const RunResult r = run_scenario(sc, ro);
  write_results(a.out, sc, r);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const json& s = r.summary;
  const std::string& out = a.out;
  std::printf("scenario            %s\n", sc.name.c_str());
  std::printf("GPUs                %lld (%lld in jobs)\n", static_cast<long long>(s["gpus"].get<std::int64_t>()),
              static_cast<long long>(s["gpus_in_jobs"].get<std::int64_t>()));
  std::printf("peak / mean IT      %.3f / %.3f MW\n", s["peak_it_mw"].get<double>(), s["mean_it_mw"].get<double>());
  std::printf("peak / mean meter   %.3f / %.3f MW (IT + electrical losses; cooling not modelled)\n",
              s["peak_facility_mw"].get<double>(), s["mean_facility_mw"].get<double>());
  std::printf("energy IT / losses  %.3f / %.3f MWh\n", s["it_energy_mwh"].get<double>(), s["losses_energy_mwh"].get<double>());
  std::printf("max ramp up / down  %.3f / %.3f MW/s (over %.3g s intervals)\n", s["max_ramp_up_mw_per_s"].get<double>(),
              s["max_ramp_down_mw_per_s"].get<double>(), s["ramp_window_s"].get<double>());
  std::printf("overloads           %zu\n", s["overloads"].size());
  for (const auto& o : s["overloads"])
    std::printf("  %s (%s): %.1f kW on a %.1f kW rating, margin %.1f kW\n", o["element"].get<std::string>().c_str(),
                o["condition"].get<std::string>().c_str(), o["load_kw"].get<double>(), o["rating_kw"].get<double>(),
                o["margin_kw"].get<double>());
  std::printf("results             %s/summary.json, %s/timeseries.csv\n", out.c_str(), out.c_str());
  if (!a.no_report) {
    if (const auto report = viz::write_default_report(out)) std::printf("report              %s\n", report->c_str());
    else std::fprintf(stderr, "dctwin: report.html not written: built without ECharts (npm ci --prefix viz, then rebuild)\n");
  }
  std::fprintf(stderr, "dctwin: wall time %.2f s\n", wall);
  return 0;
}
}  // namespace

Command add_run_command(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  auto* sub = app.add_subcommand("run", "Simulate a scenario (the embedded 15K-GPU default without one)");
  args->scenario.add_to(sub, false);
  sub->add_option("-o,--output", args->out, "Output folder for summary.json and timeseries.csv")->capture_default_str();
  sub->add_option("--duration-s", args->duration_s, "Simulated time in s (overrides simulation.duration_s)");
  sub->add_option("--dt-s", args->dt_s, "Facility output resolution in s, down to 0.001 (overrides simulation.output_step_s)");
  sub->add_option("--seed", args->seed, "Random seed (overrides simulation.seed)");
  sub->add_flag("--no-report", args->no_report, "Do not write report.html (the utility report) into the output folder");
  return {sub, [args] { return run(*args); }};
}

}  // namespace dctwin::cli
