// dctwin calibrate TRACE... [--format auto|nvidia-smi|dcgm|dctwin] --base PROFILE -o profile.json:
// fits per-phase power, idle power, rise/fall time constants and step period to one or more power
// traces (gpu_runtime/common/profile_fit.h), writes a GPU profile the scenario loader accepts
// (gpu_profiles {"file": ...}) and, next to it, the full fit report (profile.fit.json).
// Several traces at different power limits also give the power-cap exponent a
// (models/power/power_cap.h). Bad input: exit 2, one line per problem.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "cli/common.h"
#include "core/atomic_file.h"
#include "gpu_runtime/common/profile_fit.h"
#include "gpu_runtime/common/trace.h"
#include "core/json_input.h"
#include "core/json_reader.h"

namespace dctwin::cli {

namespace {

struct CalibrateArgs {
  std::vector<std::string> traces;
  std::string format = "auto";
  std::string base;
  std::string name;
  std::string out;
  double dcgm_delay_ms = 1000;
  bool ignore_markers = false;
};

json num_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::string fmt(double v, int prec = 1) {
  if (!std::isfinite(v)) return "n/a";
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", prec, v);
  return b;
}

power::GpuProfile load_base(const std::string& base, std::string& base_file) {
  if (!builtin_profile_text(base).empty()) {
    base_file = "built-in profile " + base;
    return load_builtin_profile(base);
  }
  Problems p;
  const std::string text = read_text_file(base, p);
  if (p.empty()) {
    json doc = parse_json(text, base, p);
    if (p.empty()) {
      JsonReader r(doc, "$", p, base);
      power::GpuProfile g = read_gpu_profile(r);
      if (p.empty()) {
        base_file = base;
        return g;
      }
    }
  }
  throw InputError(p);
}

json series_json(const gpu::SeriesFit& f) {
  json levels = json::object(), durs = json::object(), segs = json::object();
  for (int p = 0; p < gpu::kFitPhaseCount; ++p) {
    levels[gpu::fit_phase_name(p)] = num_or_null(f.level_w[static_cast<std::size_t>(p)]);
    durs[gpu::fit_phase_name(p)] = num_or_null(f.mean_duration_s[static_cast<std::size_t>(p)]);
    segs[gpu::fit_phase_name(p)] = f.segments[static_cast<std::size_t>(p)];
  }
  return json{{"gpu", f.gpu},
              {"field", f.field},
              {"segmentation", f.segmentation},
              {"average_window_s", f.average_window_s},
              {"phase_power_w", levels},
              {"phase_mean_duration_s", durs},
              {"phase_segments", segs},
              {"tau_rise_s", f.tau_rise_s},
              {"tau_fall_s", f.tau_fall_s},
              {"tau_resolved", f.tau_resolved},
              {"shift_rise_s", f.shift_rise_s},
              {"shift_fall_s", f.shift_fall_s},
              {"steps", f.steps},
              {"step_period_s", num_or_null(f.step_period_s)},
              {"step_period_sd_s", num_or_null(f.step_period_sd_s)},
              {"compute_sm_clock_mhz", num_or_null(f.compute_sm_clock_mhz)},
              {"power_limit_w", num_or_null(f.power_limit_w)},
              {"samples_used", f.samples_used},
              {"rmse_w", f.rmse_w},
              {"energy_trace_j", f.energy_trace_j},
              {"energy_model_j", f.energy_model_j},
              {"energy_error_pct", num_or_null(f.energy_error_pct)},
              {"energy_counter_j", num_or_null(f.energy_counter_j)},
              {"energy_counter_error_pct", num_or_null(f.energy_counter_error_pct)},
              {"residuals_w",
               {{"mean", f.residuals.mean_w},
                {"sd", f.residuals.sd_w},
                {"p1", f.residuals.p1_w},
                {"p50", f.residuals.p50_w},
                {"p99", f.residuals.p99_w},
                {"max_abs", f.residuals.max_abs_w},
                {"lag1_autocorrelation", f.residuals.lag1_autocorrelation}}},
              {"notes", f.notes}};
}

void write_json(const std::string& path, const json& j) { write_file_atomic(path, j.dump(2) + "\n"); }

int run_calibrate(const CalibrateArgs& a) {
  gpu::TraceFormat format;
  try {
    format = gpu::trace_format_from_string(a.format);
  } catch (const std::invalid_argument& e) {
    Problems p;
    p.add("--format", "value", "auto, nvidia-smi, dcgm or dctwin", "\"" + a.format + "\"");
    throw InputError(p);
  }
  std::string base_file;
  const power::GpuProfile base = load_base(a.base, base_file);

  // Read and fit every trace; collect every problem before giving up.
  Problems problems;
  std::vector<gpu::TraceFit> fits;
  gpu::FitOptions opt;
  opt.use_markers = !a.ignore_markers;
  for (const auto& path : a.traces) {
    try {
      const gpu::Trace tr = gpu::read_trace_file(path, format, a.dcgm_delay_ms / 1000.0);
      fits.push_back(gpu::fit_trace(tr, opt));
    } catch (const InputError& e) {
      problems.append(e.problems());
    }
  }
  if (!problems.empty()) throw InputError(problems);

  // Reference: the trace at the highest power limit (unknown limits count as highest).
  std::size_t ref = 0;
  for (std::size_t i = 1; i < fits.size(); ++i) {
    const double li = std::isnan(fits[i].power_limit_w) ? 1e300 : fits[i].power_limit_w;
    const double lr = std::isnan(fits[ref].power_limit_w) ? 1e300 : fits[ref].power_limit_w;
    if (li > lr) ref = i;
  }
  const gpu::TraceFit& R = fits[ref];
  const gpu::CapFit cap = gpu::fit_power_cap(fits);
  bool synthetic = false;
  for (const auto& f : fits) synthetic = synthetic || f.synthetic;

  // The profile: fitted phases over the base profile's figures.
  power::GpuProfile g = base;
  g.name = a.name.empty() ? base.name + "-calibrated" : a.name;
  const std::string prov = synthetic ? "assumption: fitted from a SYNTHETIC trace (not a measurement): " : "measured: ";
  std::string fitted_from = R.file + " (" + R.format + ", " + std::to_string(R.gpus.size()) + " GPU" +
                            (R.gpus.size() == 1 ? "" : "s, mean") + ", power limit " + fmt(R.power_limit_w, 0) + " W)";
  std::string phase_note;
  const double idle = R.mean_level(0);
  if (!std::isnan(idle)) {
    g.idle_w = idle;
    g.sources["idle_w"] = prov + "idle level fitted by dctwin calibrate from " + fitted_from;
  } else {
    phase_note += " idle not observed in the trace: idle_w kept from " + base_file + ".";
  }
  Problems range;
  const std::string out_file = a.out;
  for (int p = 0; p < gpu::kFitPhaseCount; ++p) {
    double w = p == 0 ? g.idle_w : R.mean_level(p);
    if (std::isnan(w)) {
      w = base.phase_power_w[static_cast<std::size_t>(p)];
      phase_note += std::string(" ") + gpu::fit_phase_name(p) + " not observed: kept from " + base_file;
      if (w < g.idle_w) {
        phase_note += " and raised to the fitted idle_w (it was below it)";
        w = g.idle_w;
      }
      phase_note += ".";
    }
    if (w > g.tdp_w)
      range.add(R.file, std::string("phase ") + gpu::fit_phase_name(p),
                "a fitted power <= the base profile's tdp_w (" + fmt(g.tdp_w, 0) + " W, from " + base_file +
                    "); use a base profile of this GPU",
                fmt(w) + " W");
    g.phase_power_w[static_cast<std::size_t>(p)] = w;
  }
  if (!range.empty()) throw InputError(range);
  g.sources["phase_power_w"] = prov + "per-phase levels fitted by dctwin calibrate (first-order-lag phase model, least squares) from " +
                               fitted_from + "." + phase_note;
  g.description = std::string(synthetic ? "SYNTHETIC-trace fit (not a measurement) " : "Calibrated ") + "from " +
                  std::filesystem::path(R.file).filename().string() + " over " + base.name + "; see " +
                  std::filesystem::path(out_file).stem().string() + ".fit.json for the fit report.";
  if (g.description.size() > 500) g.description.resize(500);

  json phases = json::object();
  for (int p = 0; p < gpu::kFitPhaseCount; ++p) phases[gpu::fit_phase_name(p)] = g.phase_power_w[static_cast<std::size_t>(p)];
  json sources = json::object();
  for (const char* k : {"tdp_w", "idle_w", "memory_gb", "peak_dense_bf16_tflops", "phase_power_w"}) sources[k] = g.sources[k];
  json profile = {{"name", g.name},
                  {"description", g.description},
                  {"tdp_w", g.tdp_w},
                  {"idle_w", g.idle_w},
                  {"memory_gb", g.memory_gb},
                  {"peak_dense_bf16_tflops", g.peak_dense_bf16_tflops},
                  {"phase_power_w", phases},
                  {"sources", sources}};
  // The fitted rise and fall lags go into the profile (models/power/power_lag.h) when every GPU
  // of the reference trace resolved them; otherwise the profile has none (no lag simulated).
  bool resolved = !R.gpus.empty();
  for (const auto& s : R.gpus) resolved = resolved && s.tau_resolved;
  const double tr = R.mean_of(&gpu::SeriesFit::tau_rise_s), tf = R.mean_of(&gpu::SeriesFit::tau_fall_s);
  if (resolved && std::isfinite(tr) && std::isfinite(tf) && tr > 0 && tf > 0) {
    profile["power_lag"] = {{"tau_rise_s", tr}, {"tau_fall_s", tf}};
    profile["sources"]["power_lag"] = prov + "first-order rise/fall time constants fitted by dctwin calibrate from " + fitted_from + ".";
  }

  json traces = json::array();
  for (const auto& f : fits) {
    json gpus = json::array();
    for (const auto& s : f.gpus) gpus.push_back(series_json(s));
    traces.push_back({{"file", f.file}, {"format", f.format}, {"power_limit_w", num_or_null(f.power_limit_w)},
                      {"synthetic", f.synthetic}, {"gpus", gpus}});
  }
  json cap_points = json::array();
  for (const auto& p : cap.points)
    cap_points.push_back({{"power_limit_w", p.power_limit_w}, {"compute_w", p.compute_w}, {"clock_ratio", p.clock_ratio},
                          {"slowdown", num_or_null(p.slowdown)}, {"from_clock", p.from_clock}});
  const json report = {
      {"profile", g.name},
      {"base_profile", base_file},
      {"reference_trace", R.file},
      {"model", "piecewise-constant phase power with first-order rise/fall lags (gpu_runtime/common/profile_fit.h)"},
      {"tau_rise_s", num_or_null(R.mean_of(&gpu::SeriesFit::tau_rise_s))},
      {"tau_fall_s", num_or_null(R.mean_of(&gpu::SeriesFit::tau_fall_s))},
      {"step_period_s", num_or_null(R.mean_of(&gpu::SeriesFit::step_period_s))},
      {"power_cap",
       {{"fitted", cap.ok}, {"exponent", cap.ok ? json(cap.exponent) : json(nullptr)}, {"static_w", num_or_null(cap.static_w)},
        {"reference_compute_w", num_or_null(cap.reference_w)}, {"rmse_log", num_or_null(cap.rmse_log)},
        {"points", cap_points}, {"note", cap.note}}},
      {"traces", traces}};

  write_json(a.out, profile);
  const std::filesystem::path op(a.out);
  const std::string report_path = (op.parent_path() / (op.stem().string() + ".fit.json")).string();
  write_json(report_path, report);

  // Summary on stdout.
  std::printf("%s%s: %zu trace(s), reference %s\n", synthetic ? "[SYNTHETIC] " : "", g.name.c_str(), fits.size(), R.file.c_str());
  for (const auto& f : fits) {
    for (const auto& s : f.gpus) {
      std::printf("  %s GPU %d (%s field, %s, limit %s W): idle %s, compute %s, communication %s, optimizer %s W\n",
                  std::filesystem::path(f.file).filename().c_str(), s.gpu, s.field.c_str(), s.segmentation.c_str(),
                  fmt(f.power_limit_w, 0).c_str(), fmt(s.level_w[0]).c_str(), fmt(s.level_w[1]).c_str(),
                  fmt(s.level_w[2]).c_str(), fmt(s.level_w[3]).c_str());
      std::printf("    tau rise %s ms, fall %s ms%s; step period %s s over %d steps; RMSE %s W; energy error %s %%",
                  fmt(s.tau_rise_s * 1e3).c_str(), fmt(s.tau_fall_s * 1e3).c_str(), s.tau_resolved ? "" : " (not resolved)",
                  fmt(s.step_period_s, 3).c_str(), s.steps, fmt(s.rmse_w, 2).c_str(), fmt(s.energy_error_pct, 3).c_str());
      if (std::isfinite(s.energy_counter_error_pct)) std::printf(" (vs energy counter %s %%)", fmt(s.energy_counter_error_pct, 2).c_str());
      std::printf("\n    residuals: mean %s, sd %s, p1 %s, p99 %s, max |r| %s W, lag-1 autocorrelation %s\n",
                  fmt(s.residuals.mean_w, 2).c_str(), fmt(s.residuals.sd_w, 2).c_str(), fmt(s.residuals.p1_w, 2).c_str(),
                  fmt(s.residuals.p99_w, 2).c_str(), fmt(s.residuals.max_abs_w, 2).c_str(),
                  fmt(s.residuals.lag1_autocorrelation, 2).c_str());
      for (const auto& n : s.notes) std::printf("    note: %s\n", n.c_str());
    }
  }
  if (cap.ok) std::printf("  power cap: exponent a = %.3f (%s)\n", cap.exponent, cap.note.c_str());
  else std::printf("  power cap: %s\n", cap.note.c_str());
  std::printf("wrote %s and %s\n", a.out.c_str(), report_path.c_str());
  return 0;
}

}  // namespace

Command add_calibrate_command(CLI::App& app) {
  auto a = std::make_shared<CalibrateArgs>();
  auto* sub = app.add_subcommand("calibrate", "Fit a GPU power profile to power traces (nvidia-smi, DCGM or dctwin)");
  sub->add_option("traces", a->traces, "Trace files (several: different power limits of one GPU type)")->required();
  sub->add_option("--format", a->format, "Trace format: auto, nvidia-smi, dcgm, dctwin")->capture_default_str();
  sub->add_option("--base", a->base,
                  "Profile supplying what a trace cannot (tdp_w, memory_gb, peak_dense_bf16_tflops, unobserved phases): "
                  "a built-in name (h100-sxm, h200-sxm, b200, gb200) or a profile JSON file")
      ->required();
  sub->add_option("--name", a->name, "Name of the new profile (default: <base>-calibrated)");
  sub->add_option("-o,--output", a->out, "Profile JSON to write; the fit report goes next to it as <stem>.fit.json")->required();
  sub->add_option("--dcgm-delay-ms", a->dcgm_delay_ms, "dcgmi dmon --delay used when recording (its rows carry no time)")
      ->capture_default_str();
  sub->add_flag("--ignore-markers", a->ignore_markers, "Find phases from the signal even when the trace has phase markers");
  return {sub, [a] { return run_calibrate(*a); }};
}

}  // namespace dctwin::cli
