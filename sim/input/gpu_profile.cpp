#include "sim/input/gpu_profile.h"

#include <cstdio>
#include <filesystem>

#include "core/atomic_file.h"
#include "core/json_input.h"
#include "dctwin/embedded_data.h"

namespace dctwin {

namespace {

const std::vector<std::string> kProfileSourcePrefixes = {"datasheet:", "public trace:", "measured:",
                                                         "assumption:"};
// The figures every profile gives a source for, in file order.
const std::vector<std::string> kSourcedFigures = {"tdp_w", "idle_w", "memory_gb", "peak_dense_bf16_tflops", "phase_power_w"};

}  // namespace

power::GpuProfile read_gpu_profile(JsonReader& r) {
  power::GpuProfile g;
  g.name = r.string("name", 1, 100);
  g.description = r.string("description", 1, 500);
  const std::size_t before_power = r.problems().size();
  g.tdp_w = r.number("tdp_w", 1, 1e5);
  g.idle_w = r.number("idle_w", 0, 1e5);
  // Cross-checks only when both were read (a rejected value stands in as its minimum).
  const bool powers_ok = r.problems().size() == before_power;
  g.memory_gb = r.number("memory_gb", 0, 1e5);
  g.peak_dense_bf16_tflops = r.number("peak_dense_bf16_tflops", 0, 1e6);
  if (powers_ok && g.idle_w > g.tdp_w) r.problem("idle_w", "idle_w <= tdp_w (" + std::to_string(g.tdp_w) + " W)", std::to_string(g.idle_w));
  JsonReader phases = r.object("phase_power_w");
  for (int i = 0; i < power::kGpuPhaseCount; ++i) {
    const auto ph = static_cast<power::GpuPhase>(i);
    const std::string key = power::to_string(ph);
    const bool range_ok = powers_ok && g.idle_w <= g.tdp_w;
    const double w = range_ok ? phases.number(key, g.idle_w, g.tdp_w) : phases.number(key, 0, 1e5);
    g.phase_power_w[static_cast<std::size_t>(i)] = w;
  }
  if (powers_ok && phases.valid() && phases.has("idle") && g.phase_power_w[0] != g.idle_w)
    phases.problem("idle", "the profile's idle_w (" + std::to_string(g.idle_w) + " W)", std::to_string(g.phase_power_w[0]));
  phases.finish();
  JsonReader sources = r.object("sources");
  auto read_source = [&](const std::string& key) {
    const std::string s = sources.string(key, 1, 2000);
    if (s.empty()) return;
    bool ok = false;
    for (const auto& pre : kProfileSourcePrefixes) ok = ok || s.rfind(pre, 0) == 0;
    if (!ok)
      sources.problem(key, "a provenance starting with \"datasheet:\", \"public trace:\", \"measured:\" or \"assumption:\"",
                      JsonReader::describe(sources.raw(key)));
    g.sources[key] = s;
  };
  for (const std::string& key : kSourcedFigures) read_source(key);
  // Optional first-order power lags (models/power/power_lag.h), with their provenance.
  if (auto lag = r.optional_object("power_lag")) {
    g.tau_rise_s = lag->number("tau_rise_s", 1e-4, 10);
    g.tau_fall_s = lag->number("tau_fall_s", 1e-4, 10);
    lag->finish();
    read_source("power_lag");
  }
  // Optional thermal figures (models/power/gpu.h GpuThermalFigures), with their provenance.
  if (auto th = r.optional_object("thermal")) {
    power::GpuThermalFigures t;
    t.max_operating_c = th->number("max_operating_c", 20, 150);
    t.slowdown_c = th->number("slowdown_c", 20, 150);
    t.shutdown_c = th->number("shutdown_c", 20, 150);
    if (th->valid() && !(t.max_operating_c <= t.slowdown_c && t.slowdown_c <= t.shutdown_c))
      th->problem("slowdown_c", "max_operating_c <= slowdown_c <= shutdown_c",
                  std::to_string(t.max_operating_c) + " / " + std::to_string(t.slowdown_c) + " / " + std::to_string(t.shutdown_c));
    JsonReader cp = th->object("cold_plate");
    t.cold_plate_r_th_k_w = cp.number("r_th_k_w", 1e-4, 10);
    t.cold_plate_tau_s = cp.number("tau_s", 0.01, 3600);
    cp.finish();
    JsonReader air = th->object("air");
    t.air_r_th_k_w = air.number("r_th_k_w", 1e-4, 10);
    t.air_tau_s = air.number("tau_s", 0.01, 3600);
    air.finish();
    th->finish();
    for (const char* k : {"thermal_limits", "thermal_cold_plate", "thermal_air"}) read_source(k);
    g.thermal = t;
  }
  // Optional DVFS curve for power caps (models/power/power_cap.h), with its provenance.
  if (auto pc = r.optional_object("power_cap")) {
    power::DvfsCurve c;
    c.static_w = pc->number("static_w", 0, 1e5);
    c.exponent = pc->number("exponent", 1, 6);
    c.knee_clock_ratio = pc->optional_number("knee_clock_ratio", 0, 0.99).value_or(0.0);
    if (powers_ok && c.static_w >= g.tdp_w)
      pc->problem("static_w", "static_w < tdp_w (" + std::to_string(g.tdp_w) + " W)", std::to_string(c.static_w));
    pc->finish();
    read_source("power_cap");
    g.power_cap = c;
  }
  sources.finish();
  r.finish();
  return g;
}

const std::vector<std::string>& builtin_profile_names() {
  static const std::vector<std::string> names = {"h100-sxm", "h200-sxm", "b200", "gb200", "gb300"};
  return names;
}

std::string_view builtin_profile_text(const std::string& name) {
  if (name == "h100-sxm") return embedded::profile_h100_sxm();
  if (name == "h200-sxm") return embedded::profile_h200_sxm();
  if (name == "b200") return embedded::profile_b200();
  if (name == "gb200") return embedded::profile_gb200();
  if (name == "gb300") return embedded::profile_gb300();
  return {};
}

power::GpuProfile load_builtin_profile(const std::string& name) {
  Problems problems;
  const std::string file = "<built-in profile " + name + ">";
  const std::string_view text = builtin_profile_text(name);
  if (text.empty()) {
    problems.add(file, "name", "a built-in profile", "\"" + name + "\"");
    throw InputError(problems);
  }
  json doc = parse_json(std::string(text), file, problems);
  if (!problems.empty()) throw InputError(problems);
  JsonReader r(doc, "$", problems, file);
  power::GpuProfile g = read_gpu_profile(r);
  if (!problems.empty()) throw InputError(problems);
  return g;
}

power::GpuProfile read_gpu_profile_file(const std::string& path, Problems& problems) {
  const std::size_t before = problems.size();
  const std::string text = read_text_file(path, problems);
  if (problems.size() != before) return {};
  const json doc = parse_json(text, path, problems);
  if (problems.size() != before) return {};
  JsonReader r(doc, "$", problems, path);
  return read_gpu_profile(r);
}

power::GpuProfile load_gpu_profile(const std::string& name_or_file, std::string* described) {
  if (!builtin_profile_text(name_or_file).empty()) {
    if (described) *described = "built-in profile " + name_or_file;
    return load_builtin_profile(name_or_file);
  }
  Problems problems;
  power::GpuProfile g = read_gpu_profile_file(name_or_file, problems);
  if (!problems.empty()) throw InputError(problems);
  if (described) *described = name_or_file;
  return g;
}

json gpu_profile_json(const power::GpuProfile& g) {
  const bool lag = g.tau_rise_s > 0;
  auto source = [&g](const std::string& key) {
    const auto it = g.sources.find(key);
    return it == g.sources.end() ? std::string() : it->second;
  };
  json phases = json::object();
  for (int p = 0; p < power::kGpuPhaseCount; ++p)
    phases[power::to_string(static_cast<power::GpuPhase>(p))] = g.phase_power_w[static_cast<std::size_t>(p)];
  json sources = json::object();
  for (const auto& k : kSourcedFigures) sources[k] = source(k);
  if (lag) sources["power_lag"] = source("power_lag");
  json profile = {{"name", g.name},
                  {"description", g.description},
                  {"tdp_w", g.tdp_w},
                  {"idle_w", g.idle_w},
                  {"memory_gb", g.memory_gb},
                  {"peak_dense_bf16_tflops", g.peak_dense_bf16_tflops},
                  {"phase_power_w", phases},
                  {"sources", sources}};
  if (lag) profile["power_lag"] = {{"tau_rise_s", g.tau_rise_s}, {"tau_fall_s", g.tau_fall_s}};
  if (g.thermal) {
    const power::GpuThermalFigures& t = *g.thermal;
    profile["thermal"] = {{"max_operating_c", t.max_operating_c},
                          {"slowdown_c", t.slowdown_c},
                          {"shutdown_c", t.shutdown_c},
                          {"cold_plate", {{"r_th_k_w", t.cold_plate_r_th_k_w}, {"tau_s", t.cold_plate_tau_s}}},
                          {"air", {{"r_th_k_w", t.air_r_th_k_w}, {"tau_s", t.air_tau_s}}}};
    for (const char* k : {"thermal_limits", "thermal_cold_plate", "thermal_air"}) profile["sources"][k] = source(k);
  }
  if (g.power_cap) {
    profile["power_cap"] = {{"static_w", g.power_cap->static_w},
                            {"exponent", g.power_cap->exponent},
                            {"knee_clock_ratio", g.power_cap->knee_clock_ratio}};
    profile["sources"]["power_cap"] = source("power_cap");
  }
  return profile;
}

namespace {

// The loader's check (read_gpu_profile_file) of `text` as the file `path`.
Problems profile_text_problems(const std::string& text, const std::string& path) {
  Problems problems;
  const json doc = parse_json(text, path, problems);
  if (!problems.empty()) return problems;
  JsonReader r(doc, "$", problems, path);
  (void)read_gpu_profile(r);
  return problems;
}

}  // namespace

Problems gpu_profile_load_problems(const power::GpuProfile& g, const std::string& path) {
  return profile_text_problems(gpu_profile_json(g).dump(2) + "\n", path);
}

void write_gpu_profile(const std::string& path, const power::GpuProfile& g) {
  const std::string text = gpu_profile_json(g).dump(2) + "\n";
  Problems problems = profile_text_problems(text, path);
  if (!problems.empty()) {
    Problems refused;
    for (const auto& p : problems.list())
      refused.add(p.file + " (not written: the scenario loader would refuse it)", p.where, p.expected, p.found);
    throw InputError(refused);
  }
  write_file_atomic(path, text);
}

// ---- calibration ---------------------------------------------------------------------------------

std::string profile_fit_report_path(const std::string& profile_path) {
  const std::filesystem::path p(profile_path);
  return (p.parent_path() / (p.stem().string() + ".fit.json")).string();
}

namespace {

// "%.*f", or "n/a" for NaN and infinities.
std::string fixed(double v, int decimals = 1) {
  if (!std::isfinite(v)) return "n/a";
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

// The likely cause of a fitted level outside [idle_w, tdp_w] and its fix, given the power field.
std::string fit_out_of_range_advice(const ProfileFit& fit, bool above_tdp) {
  const std::string column = fit.field_column.empty() ? std::string("the power column") : "column \"" + fit.field_column + "\"";
  if (fit.field == "average")
    return "; likely cause: " + column + " was fitted as a 1-s average" + (fit.field_inferred ? " (inferred from its name)" : "") +
           " but holds power that changes faster than a 1-s average can (e.g. instantaneous samples of a square wave), so "
           "undoing the averaging overshoots; fix: if the column is instantaneous power (GA100 and older GPUs), rerun with "
           "--field instant; otherwise record the instant field (nvidia-smi power.draw.instant, DCGM field 157) at 20-100 ms";
  if (above_tdp)
    return "; likely cause: the traced GPU draws more than the base profile's tdp_w (another GPU model, or a raised power "
           "limit); fix: give --base the built-in profile of the traced GPU, or a profile file with its tdp_w";
  return "; likely cause: the fitted idle level (the trace's lowest lead-in/lead-out level) is not idle, or the phases "
         "were mis-identified; fix: record an idle lead-in and lead-out of a few seconds around the steps, or record with "
         "phase markers (dctwin gpu-trace)" +
         std::string(fit.field_inferred && fit.field == "instant" ? "" : "; if the column is a 1-s average, rerun with --field average");
}

}  // namespace

power::GpuProfile merge_profile_fit(const power::GpuProfile& base, const std::string& base_file, const ProfileFit& fit,
                                    const std::string& name, const std::string& profile_path) {
  power::GpuProfile g = base;
  g.name = name.empty() ? base.name + "-calibrated" : name;
  const std::string prov = fit.synthetic ? "assumption: fitted from a SYNTHETIC trace (not a measurement): " : "measured: ";
  const std::string fitted_from = fit.trace_file + " (" + fit.trace_format + ", " + std::to_string(fit.gpus) + " GPU" +
                                  (fit.gpus == 1 ? "" : "s, mean") + ", power limit " + fixed(fit.power_limit_w, 0) + " W)";
  std::string phase_note;
  if (const double idle = fit.phase_power_w[0]; !std::isnan(idle)) {
    g.idle_w = idle;
    g.sources["idle_w"] = prov + "idle level fitted by dctwin calibrate from " + fitted_from;
  } else {
    phase_note += " idle not observed in the trace: idle_w kept from " + base_file + ".";
  }
  Problems range;
  for (int p = 0; p < power::kGpuPhaseCount; ++p) {
    const std::string phase = power::to_string(static_cast<power::GpuPhase>(p));
    double w = p == 0 ? g.idle_w : fit.phase_power_w[static_cast<std::size_t>(p)];
    const bool fitted = !std::isnan(w) && (p != 0 || !std::isnan(fit.phase_power_w[0]));
    if (std::isnan(w)) {
      w = base.phase_power_w[static_cast<std::size_t>(p)];
      phase_note += " " + phase + " not observed: kept from " + base_file;
      if (w < g.idle_w) {
        phase_note += " and raised to the fitted idle_w (it was below it)";
        w = g.idle_w;
      }
      phase_note += ".";
    }
    const double lo = p == 0 ? 0.0 : g.idle_w;
    if (!(w >= lo && w <= g.tdp_w))
      range.add(fit.trace_file, "phase " + phase,
                "a fitted power within [" + (p == 0 ? std::string("0") : "idle_w " + fixed(lo)) + " W, tdp_w " + fixed(g.tdp_w, 0) +
                    " W] (tdp_w from " + base_file + "; the scenario loader refuses a profile outside it)",
                fixed(w) + " W" + (fitted ? fit_out_of_range_advice(fit, w > g.tdp_w) : std::string()));
    g.phase_power_w[static_cast<std::size_t>(p)] = w;
  }
  if (!range.empty()) throw InputError(range);
  g.sources["phase_power_w"] = prov + "per-phase levels fitted by dctwin calibrate (first-order-lag phase model, least squares) from " +
                               fitted_from + "." + phase_note;
  g.description = std::string(fit.synthetic ? "SYNTHETIC-trace fit (not a measurement) " : "Calibrated ") + "from " +
                  std::filesystem::path(fit.trace_file).filename().string() + " over " + base.name + "; see " +
                  std::filesystem::path(profile_fit_report_path(profile_path)).filename().string() + " for the fit report.";
  if (g.description.size() > 500) g.description.resize(500);
  // The fitted rise and fall lags (models/power/power_lag.h) when the fit resolved them;
  // otherwise the profile has none (no lag simulated), whatever the base had.
  g.tau_rise_s = g.tau_fall_s = 0;
  g.sources.erase("power_lag");
  if (std::isfinite(fit.tau_rise_s) && std::isfinite(fit.tau_fall_s) && fit.tau_rise_s > 0 && fit.tau_fall_s > 0) {
    g.tau_rise_s = fit.tau_rise_s;
    g.tau_fall_s = fit.tau_fall_s;
    g.sources["power_lag"] = prov + "first-order rise/fall time constants fitted by dctwin calibrate from " + fitted_from + ".";
  }
  if (g.thermal && std::isfinite(fit.r_th_k_w) && std::isfinite(fit.thermal_tau_s)) {
    const bool air = fit.heat_sink == "air";
    (air ? g.thermal->air_r_th_k_w : g.thermal->cold_plate_r_th_k_w) = fit.r_th_k_w;
    (air ? g.thermal->air_tau_s : g.thermal->cold_plate_tau_s) = fit.thermal_tau_s;
    g.sources[air ? "thermal_air" : "thermal_cold_plate"] = fit.thermal_source;
  }
  return g;
}

power::GpuProfile merge_power_cap_fit(const power::GpuProfile& base, const power::DvfsCurve& curve, const std::string& fitted_from,
                                      const std::string& name, const std::string& profile_path) {
  power::GpuProfile g = base;
  g.name = name.empty() ? base.name + "-calibrated" : name;
  g.power_cap = curve;
  g.sources["power_cap"] = "measured: DVFS curve (static power, exponent, voltage-floor knee) fitted by dctwin calibrate to " + fitted_from;
  g.description = "Power-cap curve fitted to " + std::filesystem::path(fitted_from).filename().string() + " over " + base.name + "; see " +
                  std::filesystem::path(profile_fit_report_path(profile_path)).filename().string() + " for the fit report.";
  if (g.description.size() > 500) g.description.resize(500);
  return g;
}

}  // namespace dctwin
