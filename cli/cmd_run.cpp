// dctwin run [SCENARIO] [-o DIR] [--duration-s N] [--seed N] [--set path=value ...]
//            [--checkpoint-every-s N] [--resume DIR] [--max-memory-gb N]
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "sim/engine/checkpoint.h"
#include "sim/facility/rating_check.h"
#include "sim/run.h"

#include "cli/common.h"
#include "sim/output/results.h"
#include "sim/output/summary_figures.h"
#include "viz/key_figures.h"
#include "viz/report.h"

namespace dctwin::cli {

namespace {
constexpr const char* kRunFilesHelp =
    "summary.json, timeseries.csv, racks.csv, cooling.csv (with \"cooling\"), storage.csv (with campus.storage), "
    "grid_events.csv (with grid.events), report.html (unless --no-report)";

struct RunArgs {
  ScenarioArgs scenario;
  std::string out = "results/run";
  std::optional<double> duration_s;
  std::optional<double> dt_s;
  std::optional<std::int64_t> seed;
  bool no_report = false;
  bool out_given = false;
  std::optional<double> checkpoint_every_s;
  std::string resume;
  std::optional<double> max_memory_gb;
};

// SIGINT / SIGTERM: the engine polls this flag at every event boundary and stops cleanly there.
std::atomic<bool> g_stop{false};
volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_stop_signal(int sig) {
  g_signal = sig;
  g_stop.store(true);
}

// A command-line value out of range: one line, exit 2 (like every other bad input).
void check_option(const char* name, const std::optional<double>& v, double lo, double hi) {
  if (!v || (*v >= lo && *v <= hi)) return;
  Problems p;
  p.add(name, "value", "a number in [" + exact_number(lo) + ", " + exact_number(hi) + "]", exact_number(*v));
  throw InputError(p);
}

int run(RunArgs a) {
  check_option("--checkpoint-every-s", a.checkpoint_every_s, 1e-3, kMaxDurationS);
  check_option("--max-memory-gb", a.max_memory_gb, 1e-3, 1e6);
  check_option("--duration-s", a.duration_s, 1e-3, kMaxDurationS);
  check_option("--dt-s", a.dt_s, 1e-3, 3600);
  if (!a.resume.empty() && !a.out_given) a.out = a.resume;  // resume writes into the run's folder
  ScenarioArgs sa = a.scenario;
  if (a.duration_s) sa.sets.push_back("simulation.duration_s=" + exact_number(*a.duration_s));
  if (a.dt_s) sa.sets.push_back("simulation.output_step_s=" + exact_number(*a.dt_s));
  if (a.seed) sa.sets.push_back("simulation.seed=" + std::to_string(*a.seed));
  const Scenario sc = sa.load();
  std::fprintf(stderr, "dctwin: %s: %lld GPUs in %lld racks, %.0f s simulated at %.3g s output resolution\n",
               sc.name.c_str(), static_cast<long long>(sc.total_gpus()), static_cast<long long>(sc.total_racks()),
               sc.duration_s, sc.output_step_s);
  for (const auto& w : rating_warnings(sc)) std::fprintf(stderr, "dctwin: warning: %s\n", w.str().c_str());
  Progress progress;
  RunOptions ro;
  ro.progress = [&progress](double f) { progress(f); };
  ro.stop = &g_stop;
  ro.checkpoint_every_s = a.checkpoint_every_s.value_or(0.0);
  const std::string checkpoint = a.out + "/" + kCheckpointFileName;
  ro.checkpoint_file = checkpoint;
  if (!a.resume.empty()) ro.resume_file = a.resume + "/" + kCheckpointFileName;
  if (a.max_memory_gb) ro.max_memory_bytes = *a.max_memory_gb * 1024.0 * 1024.0 * 1024.0;
  create_output_folder(a.out, "output folder (-o)");
  std::error_code ec;
  const auto t0 = std::chrono::steady_clock::now();
  g_stop.store(false);
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  const RunResult r = run_scenario(sc, ro);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  write_results(a.out, sc, r);
  if (r.engine.partial && !r.engine.halted) {
    std::fprintf(stderr,
                 "dctwin: stopped by signal %d at %.3f s of %.0f s simulated; partial results (\"partial\": true) in %s; "
                 "continue with: dctwin run ... --resume %s\n",
                 static_cast<int>(g_signal), to_seconds(r.engine.simulated_to), sc.duration_s, a.out.c_str(), a.out.c_str());
    return 128 + (g_signal ? static_cast<int>(g_signal) : SIGINT);
  }
  std::filesystem::remove(checkpoint, ec);  // complete: nothing to resume
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const SummaryFigures s = read_summary_figures(r.summary);
  const std::string& out = a.out;
  std::printf("scenario            %s\n", sc.name.c_str());
  std::printf("GPUs                %lld (%lld in jobs)\n", static_cast<long long>(s.gpus), static_cast<long long>(s.gpus_in_jobs));
  std::printf("peak / mean IT      %.3f / %.3f MW\n", s.peak_it_mw, s.mean_it_mw);
  const bool cooled = s.cooling_modelled;
  std::printf("peak / mean meter   %.3f / %.3f MW (IT + electrical losses%s)\n", s.peak_facility_mw, s.mean_facility_mw,
              cooled ? " + cooling" : "; cooling not modelled");
  if (cooled) {
    const std::string window = viz::weather_window(r.summary, to_seconds(r.engine.simulated_to)).window;
    std::printf("PUE / WUE           %s / %s L/kWh%s\n", figure_text("%.4f", s.pue).c_str(), figure_text("%.3f", s.wue_l_per_kwh).c_str(),
                window.empty() ? "" : (" over " + window).c_str());
    if (s.max_junction_c)
      std::printf("max junction        %.2f C, %s throttled GPU-hours\n", *s.max_junction_c, figure_text("%.3g", s.throttled_gpu_hours).c_str());
    std::printf("cooling alarms      %zu\n", s.alarms);
  }
  std::printf("energy IT / losses  %.3f / %.3f MWh\n", s.it_energy_mwh, s.losses_energy_mwh);
  std::printf("max ramp up / down  %.3f / %.3f MW/s (over %.3g s intervals)\n", s.max_ramp_up_mw_per_s, s.max_ramp_down_mw_per_s,
              s.ramp_window_s);
  if (const json& x = r.summary["thermal_runaway"]; !x.is_null())
    std::printf("thermal runaway     %s at %.3f s: %s; %s\n", x["cohort"].get<std::string>().c_str(), x["t_s"].get<double>(),
                x["reason"].get<std::string>().c_str(),
                r.engine.halted ? ("the run stopped: results cover [0, " + exact_number(to_seconds(r.engine.simulated_to)) +
                                   " s) (\"partial\": true)").c_str()
                                : "at the end of the run");
  std::printf("overloads           %zu\n", s.overloads.size());
  for (const auto& o : s.overloads)
    std::printf("  %s (%s): %.1f kW on a %.1f kW rating, margin %.1f kW\n", o.element.c_str(), o.condition.c_str(), o.load_kw,
                o.rating_kw, o.margin_kw);
  std::string files;
  for (const auto& f : result_files(r)) files += (files.empty() ? "" : ", ") + out + "/" + f;
  std::printf("results             %s\n", files.c_str());
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
  add_out_option(sub, args->out, std::string("Output folder; writes ") + kRunFilesHelp, "DIR")->each([args](const std::string&) { args->out_given = true; });
  sub->add_option("--duration-s", args->duration_s, "Simulated time in s (default: the scenario's simulation.duration_s)");
  sub->add_option("--dt-s", args->dt_s, "Facility output resolution in s, down to 0.001 (default: the scenario's simulation.output_step_s)");
  sub->add_option("--seed", args->seed, "Random seed (default: the scenario's simulation.seed)");
  sub->add_option("--checkpoint-every-s", args->checkpoint_every_s,
                  "Write DIR/checkpoint.dctwin every N s of simulated time (and on SIGINT/SIGTERM; default: only then)");
  sub->add_option("--resume", args->resume,
                  "Continue the run whose checkpoint is in DIR (same scenario and options); results go to DIR unless -o");
  sub->add_option("--max-memory-gb", args->max_memory_gb,
                  "Refuse a run estimated to need more memory (default: the available physical memory)");
  sub->add_flag("--no-report", args->no_report, "Do not write report.html (the utility report) into the output folder");
  return {sub, [args] { return run(*args); }};
}

}  // namespace dctwin::cli
