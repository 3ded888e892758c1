// dctwin calibrate TRACE... [--format auto|nvidia-smi|dcgm|dctwin] [--field auto|instant|average] --base PROFILE -o profile.json:
// fits per-phase power, idle power, rise/fall time constants and step period to one or more power
// traces (gpu_runtime/common/profile_fit.h), writes a GPU profile the scenario loader accepts
// (gpu_profiles {"file": ...}; the base profile with the fitted figures, sim/input/gpu_profile.h)
// and, next to it, the full fit report (profile.fit.json, cli/calibrate_report.h).
// Several traces at different power limits also give the power-cap exponent a
// (models/power/power_cap.h). Prints a ready-to-paste jobs[].step array of the fitted phase
// durations. Bad input, and a fit that would make a profile the scenario loader refuses (a phase
// level outside [idle_w, tdp_w]): exit 2, one line per problem, nothing written.
// With --limit-sweep FILE.csv (rows power_limit_w, step_time_s, avg_power_w; gpu_runtime/common/
// limit_sweep.h) instead of traces it fits the power-cap DVFS curve (static power, exponent,
// voltage-floor knee) and writes the base profile with that curve as its power_cap; traces at
// several limits feed the same curve fit (the fit report's power_cap.curve).
// With --coolant-c (one value, or one per trace; else a dctwin trace's coolant_c or inlet_c column,
// sample by sample) and a temperature column it also fits the GPU
// junction model (gpu_runtime/common/thermal_fit.h): R and tau, and the leakage pair from traces at
// two coolant temperatures, into the fit report's "thermal" key and a printed gpu_thermal object;
// R and tau also replace the profile's thermal figures of the --heat-sink (cold-plate or air),
// with "measured:" provenance (sim/input/gpu_profile.h merge_profile_fit).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/calibrate_report.h"
#include "cli/common.h"
#include "core/atomic_file.h"
#include "gpu_runtime/common/profile_fit.h"
#include "gpu_runtime/common/thermal_fit.h"
#include "gpu_runtime/common/trace.h"
#include "sim/input/gpu_profile.h"

namespace dctwin::cli {

namespace {

static_assert(gpu::kFitPhaseCount == power::kGpuPhaseCount, "the fitted phases are the profile's phases");

struct CalibrateArgs {
  std::vector<std::string> traces;
  std::string format = "auto";
  std::string field = "auto";
  std::string base;
  std::string name;
  std::string out;
  double dcgm_delay_ms = 1000;
  bool ignore_markers = false;
  std::vector<double> coolant_c;  // --coolant-c: one for every trace, or one per trace
  std::string limit_sweep;        // --limit-sweep FILE.csv
  std::string heat_sink = "cold-plate";  // --heat-sink: which thermal figures of the profile R and tau replace
};

gpu::TraceFormat parse_format(const std::string& text) {
  try {
    return gpu::trace_format_from_string(text);
  } catch (const std::invalid_argument&) {
    Problems p;
    p.add("--format", "value", "auto, nvidia-smi, dcgm or dctwin", "\"" + text + "\"");
    throw InputError(p);
  }
}

gpu::PowerField parse_field(const std::string& text) {
  try {
    return gpu::power_field_from_string(text);
  } catch (const std::invalid_argument&) {
    Problems p;
    p.add("--field", "value", "auto, instant or average", "\"" + text + "\"");
    throw InputError(p);
  }
}

// Reads and fits every trace (and, with --coolant-c or a coolant column, its junction thermal model
// into `thermal`);
// collects every problem before giving up.
std::vector<gpu::TraceFit> fit_traces(const CalibrateArgs& a, gpu::TraceFormat format, std::vector<gpu::TraceThermal>& thermal) {
  Problems problems;
  std::vector<gpu::TraceFit> fits;
  if (!a.coolant_c.empty() && a.coolant_c.size() != 1 && a.coolant_c.size() != a.traces.size())
    problems.add("--coolant-c", "values", "one coolant temperature for all traces or one per trace (" + std::to_string(a.traces.size()) + ")",
                 std::to_string(a.coolant_c.size()) + " values");
  for (double c : a.coolant_c)
    if (!(c >= -40 && c <= 100)) problems.add("--coolant-c", "value", "a coolant or inlet temperature in [-40, 100] °C", std::to_string(c));
  if (!problems.empty()) throw InputError(problems);
  gpu::FitOptions opt;
  opt.use_markers = !a.ignore_markers;
  opt.field = parse_field(a.field);
  for (const auto& path : a.traces) {
    try {
      const gpu::Trace tr = gpu::read_trace_file(path, format, a.dcgm_delay_ms / 1000.0);
      fits.push_back(gpu::fit_trace(tr, opt));
      bool coolant_column = false;
      for (const auto& g : tr.gpus) coolant_column = coolant_column || g.has_coolant;
      if (!a.coolant_c.empty())
        thermal.push_back(gpu::fit_trace_thermal(tr, fits.back(), a.coolant_c.size() == 1 ? a.coolant_c[0] : a.coolant_c[fits.size() - 1]));
      else if (coolant_column)  // the trace's coolant_c / inlet_c column, sample by sample
        thermal.push_back(gpu::fit_trace_thermal(tr, fits.back(), std::nan("")));
    } catch (const InputError& e) {
      problems.append(e.problems());
    }
  }
  if (!problems.empty()) throw InputError(problems);
  return fits;
}

// The reference: the trace at the highest power limit (unknown limits count as highest).
const gpu::TraceFit& reference_fit(const std::vector<gpu::TraceFit>& fits) {
  std::size_t ref = 0;
  for (std::size_t i = 1; i < fits.size(); ++i) {
    const double li = std::isnan(fits[i].power_limit_w) ? 1e300 : fits[i].power_limit_w;
    const double lr = std::isnan(fits[ref].power_limit_w) ? 1e300 : fits[ref].power_limit_w;
    if (li > lr) ref = i;
  }
  return fits[ref];
}

// The reference trace's figures in the profile's terms: the mean over its GPUs; the lags only
// when every GPU resolved them.
ProfileFit profile_fit(const gpu::TraceFit& R, bool synthetic) {
  ProfileFit f;
  f.trace_file = R.file;
  f.trace_format = R.format;
  f.gpus = R.gpus.size();
  f.power_limit_w = R.power_limit_w;
  f.synthetic = synthetic;
  f.field = R.field;
  f.field_column = R.field_column;
  f.field_inferred = R.field_inferred;
  for (int p = 0; p < gpu::kFitPhaseCount; ++p) f.phase_power_w[static_cast<std::size_t>(p)] = R.mean_level(p);
  bool resolved = !R.gpus.empty();
  for (const auto& s : R.gpus) resolved = resolved && s.tau_resolved;
  if (resolved) {
    f.tau_rise_s = R.mean_of(&gpu::SeriesFit::tau_rise_s);
    f.tau_fall_s = R.mean_of(&gpu::SeriesFit::tau_fall_s);
  }
  return f;
}

void write_profile_and_report(const std::string& out, const power::GpuProfile& g, const json& report) {
  if (const auto dir = std::filesystem::path(out).parent_path(); !dir.empty()) create_output_folder(dir.string(), "profile folder (-o)");
  write_gpu_profile(out, g);
  const std::string report_path = profile_fit_report_path(out);
  write_file_atomic(report_path, report.dump(2) + "\n");
  std::printf("wrote %s and %s\n", out.c_str(), report_path.c_str());
}

// --limit-sweep: the DVFS curve from a power-limit sweep into the base profile's power_cap.
int run_limit_sweep(const CalibrateArgs& a) {
  if (!a.traces.empty()) {
    Problems p;
    p.add("--limit-sweep", "traces", "either a limit sweep or traces, not both", std::to_string(a.traces.size()) + " trace(s)");
    throw InputError(p);
  }
  std::string base_file;
  const power::GpuProfile base = load_gpu_profile(a.base, &base_file);
  const gpu::SweepFit fit = gpu::fit_limit_sweep(gpu::load_limit_sweep_file(a.limit_sweep));
  const std::string name = a.name.empty() ? base.name + "-calibrated" : a.name;
  std::printf("%s: power-limit sweep %s over %s\n", name.c_str(), a.limit_sweep.c_str(), base_file.c_str());
  print_sweep_fit(fit);
  if (!fit.ok) {
    Problems p;
    p.add(a.limit_sweep, "rows", "rows at three or more distinct power limits", fit.note);
    throw InputError(p);
  }
  const power::GpuProfile g = merge_power_cap_fit(base, fit.curve, a.limit_sweep, name, a.out);
  write_profile_and_report(a.out, g,
                           {{"profile", g.name}, {"base_profile", base_file}, {"limit_sweep", a.limit_sweep}, {"power_cap", sweep_fit_json(fit)}});
  return 0;
}

int run_calibrate(const CalibrateArgs& a) {
  if (!a.limit_sweep.empty()) return run_limit_sweep(a);
  if (a.traces.empty()) {
    Problems p;
    p.add("calibrate", "arguments", "trace files, or --limit-sweep FILE.csv", "neither");
    throw InputError(p);
  }
  const gpu::TraceFormat format = parse_format(a.format);
  std::string base_file;
  const power::GpuProfile base = load_gpu_profile(a.base, &base_file);
  std::vector<gpu::TraceThermal> thermal;
  const std::vector<gpu::TraceFit> fits = fit_traces(a, format, thermal);
  const gpu::TraceFit& R = reference_fit(fits);
  const gpu::CapFit cap = gpu::fit_power_cap(fits);
  const gpu::SweepFit curve = gpu::fit_limit_sweep(gpu::cap_fit_rows(cap, R.power_limit_w));
  bool synthetic = false;
  for (const auto& f : fits) synthetic = synthetic || f.synthetic;

  const std::string name = a.name.empty() ? base.name + "-calibrated" : a.name;
  // The summary first: when the fit makes a profile the loader would refuse, the figures that
  // explain why are on the screen above the error (exit 2, nothing written).
  print_fit_summary(name, synthetic, R, cap, fits);
  print_sweep_fit(curve);
  ProfileFit pf = profile_fit(R, synthetic);
  json thermal_report;
  if (!thermal.empty()) {
    std::vector<gpu::LeakageSamples> leak;
    for (const auto& t : thermal) leak.push_back(t.leakage);
    thermal_report = thermal_report_json(thermal, gpu::fit_leakage(leak), synthetic);
    print_thermal_summary(thermal_report);
    // R and tau (the mean over every GPU of every trace) into the profile's thermal figures.
    pf.r_th_k_w = thermal_report["gpu_thermal"]["r_th_k_w"].get<double>();
    pf.thermal_tau_s = thermal_report["gpu_thermal"]["tau_s"].get<double>();
    pf.heat_sink = a.heat_sink == "air" ? "air" : "cold_plate";
    pf.thermal_source = thermal_report["source"].get<std::string>().substr(0, 2000);
    if (!base.thermal)
      std::printf("  note: %s has no thermal figures (thresholds), so R and tau are in the fit report only\n", base_file.c_str());
  }
  power::GpuProfile g = merge_profile_fit(base, base_file, pf, name, a.out);
  if (curve.ok && !synthetic) {  // a synthetic trace's curve stays in the report only
    g.power_cap = curve.curve;
    g.sources["power_cap"] = "measured: DVFS curve fitted by dctwin calibrate to the compute phases of traces at " +
                             std::to_string(curve.points.size()) + " power limits (see the fit report)";
  }
  json report = fit_report_json(g.name, base_file, R, cap, fits);
  report["power_cap"]["curve"] = sweep_fit_json(curve);
  if (!thermal.empty()) report["thermal"] = thermal_report;
  print_step_array(R);
  write_profile_and_report(a.out, g, report);
  return 0;
}

}  // namespace

Command add_calibrate_command(CLI::App& app) {
  auto a = std::make_shared<CalibrateArgs>();
  auto* sub = app.add_subcommand("calibrate", "Fit a GPU power profile to power traces (nvidia-smi, DCGM or dctwin)");
  sub->add_option("traces", a->traces, "Trace files (several: different power limits of one GPU type)");
  sub->add_option("--limit-sweep", a->limit_sweep,
                  "Instead of traces: a power-limit sweep CSV (power_limit_w, step_time_s, avg_power_w): fits the power-cap "
                  "DVFS curve into the base profile's power_cap");
  sub->add_option("--format", a->format, "Trace format: auto, nvidia-smi, dcgm, dctwin")->capture_default_str();
  sub->add_option("--base", a->base,
                  "Profile supplying what a trace cannot (tdp_w, memory_gb, peak_dense_bf16_tflops, unobserved phases): "
                  "a built-in name (h100-sxm, h200-sxm, b200, gb200, gb300) or a profile JSON file")
      ->required();
  sub->add_option("--field", a->field,
                  "Which kind the power column is: instant, average (a 1-s average: nvidia-smi power.draw on Ampere and "
                  "newer, DCGM field 155) or auto (inferred from the column names and stated in the output)")
      ->capture_default_str();
  sub->add_option("--name", a->name, "Name of the new profile (default: <base>-calibrated)");
  add_out_option(sub, a->out, "Profile JSON to write; the fit report goes next to it as <stem>.fit.json", "FILE")->required();
  sub->add_option("--dcgm-delay-ms", a->dcgm_delay_ms, "dcgmi dmon --delay used when recording (its rows carry no time)")
      ->capture_default_str();
  sub->add_option("--coolant-c", a->coolant_c,
                  "Coolant the GPU's heat sink sees (cold-plate supply or inlet air), °C: fits the junction model "
                  "(r_th_k_w, tau_s; leakage from two coolant temperatures) to the trace's temperature column. One value, "
                  "or one per trace; without it a dctwin trace's coolant_c (or inlet_c) column is used, sample by sample")
      ->delimiter(',');
  sub->add_option("--heat-sink", a->heat_sink,
                  "With --coolant-c: the heat sink the traced GPUs had, whose thermal figures in the profile the fitted "
                  "R and tau replace (cold-plate: coolant = cold-plate supply water; air: coolant = inlet air)")
      ->check(CLI::IsMember({"cold-plate", "air"}))
      ->capture_default_str();
  sub->add_flag("--ignore-markers", a->ignore_markers, "Find phases from the signal even when the trace has phase markers");
  return {sub, [a] { return run_calibrate(*a); }};
}

}  // namespace dctwin::cli
