#include "cli/calibrate_report.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

namespace dctwin::cli {

namespace {

json num_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::string fmt(double v, int prec = 1) {
  if (!std::isfinite(v)) return "n/a";
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", prec, v);
  return b;
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

}  // namespace

json fit_report_json(const std::string& profile_name, const std::string& base_file, const gpu::TraceFit& R,
                     const gpu::CapFit& cap, const std::vector<gpu::TraceFit>& fits) {
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
  return {
      {"profile", profile_name},
      {"base_profile", base_file},
      {"reference_trace", R.file},
      {"model", "piecewise-constant phase power with first-order rise/fall lags (gpu_runtime/common/profile_fit.h)"},
      {"tau_rise_s", num_or_null(R.mean_of(&gpu::SeriesFit::tau_rise_s))},
      {"tau_fall_s", num_or_null(R.mean_of(&gpu::SeriesFit::tau_fall_s))},
      {"step_period_s", num_or_null(R.mean_of(&gpu::SeriesFit::step_period_s))},
      {"power_field", {{"field", R.field}, {"column", R.field_column}, {"inferred", R.field_inferred}, {"statement", R.field_statement}}},
      {"step", step_array_json(R)},
      {"power_cap",
       {{"fitted", cap.ok}, {"exponent", cap.ok ? json(cap.exponent) : json(nullptr)}, {"static_w", num_or_null(cap.static_w)},
        {"reference_compute_w", num_or_null(cap.reference_w)}, {"rmse_log", num_or_null(cap.rmse_log)},
        {"points", cap_points}, {"note", cap.note}}},
      {"traces", traces}};
}

json sweep_fit_json(const gpu::SweepFit& f) {
  json points = json::array();
  for (const auto& p : f.points)
    points.push_back({{"limit_w", p.limit_w}, {"avg_power_w", p.avg_power_w}, {"measured_slowdown", p.measured_slowdown},
                      {"predicted_slowdown", p.predicted_slowdown}, {"leave_one_out_slowdown", num_or_null(p.loo_predicted_slowdown)}});
  auto fig = [&f](double v) { return f.ok ? num_or_null(v) : json(nullptr); };
  return {{"fitted", f.ok},
          {"model", "P = P_s + (P_0 - P_s) D(f/f_0), D = x^a above the knee x_k, x x_k^(a-1) below; slowdown = beta/x + 1 - beta "
                    "(models/power/power_cap.h, gpu_runtime/common/limit_sweep.h)"},
          {"static_w", fig(f.curve.static_w)},
          {"exponent", fig(f.curve.exponent)},
          {"knee_clock_ratio", fig(f.curve.knee_clock_ratio)},
          {"compute_bound_fraction", fig(f.compute_fraction)},
          {"reference_limit_w", fig(f.reference_limit_w)},
          {"reference_power_w", fig(f.reference_power_w)},
          {"max_abs_error_pct", fig(f.max_abs_error_pct)},
          {"rms_error_pct", fig(f.rms_error_pct)},
          {"max_abs_leave_one_out_error_pct", fig(f.max_abs_loo_error_pct)},
          {"points", points},
          {"note", f.note}};
}

void print_sweep_fit(const gpu::SweepFit& f) {
  if (!f.ok) {
    std::printf("  power-cap curve: %s\n", f.note.c_str());
    return;
  }
  std::printf("  power-cap curve: P_s %s W, exponent %s, knee f/f_0 %s, compute-bound share %s; slowdown error max %s %%, rms %s %%",
              fmt(f.curve.static_w, 1).c_str(), fmt(f.curve.exponent, 2).c_str(), fmt(f.curve.knee_clock_ratio, 2).c_str(),
              fmt(f.compute_fraction, 2).c_str(), fmt(f.max_abs_error_pct, 2).c_str(), fmt(f.rms_error_pct, 2).c_str());
  if (std::isfinite(f.max_abs_loo_error_pct)) std::printf(", leave-one-out max %s %%", fmt(f.max_abs_loo_error_pct, 2).c_str());
  std::printf(" (%s)\n", f.note.c_str());
  for (const auto& p : f.points)
    std::printf("    %s W (avg %s W): measured %s, predicted %s\n", fmt(p.limit_w, 0).c_str(), fmt(p.avg_power_w, 1).c_str(),
                fmt(p.measured_slowdown, 4).c_str(), fmt(p.predicted_slowdown, 4).c_str());
}

void print_fit_summary(const std::string& profile_name, bool synthetic, const gpu::TraceFit& R, const gpu::CapFit& cap,
                       const std::vector<gpu::TraceFit>& fits) {
  std::printf("%s%s: %zu trace(s), reference %s\n", synthetic ? "[SYNTHETIC] " : "", profile_name.c_str(), fits.size(), R.file.c_str());
  for (const auto& f : fits) {
    std::printf("  %s: power field %s: %s\n", std::filesystem::path(f.file).filename().c_str(), f.field.c_str(),
                f.field_statement.c_str());
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
}

json step_array_json(const gpu::TraceFit& R) {
  json step = json::array();
  for (const auto& p : R.mean_step()) {
    char b[32];
    std::snprintf(b, sizeof b, "%.4g", p.duration_s);
    step.push_back({{"phase", gpu::fit_phase_name(p.phase)}, {"duration_s", std::stod(b)}});
  }
  return step;
}

void print_step_array(const gpu::TraceFit& R) {
  int steps = 0;
  (void)R.mean_step(&steps);
  const json step = step_array_json(R);
  if (step.empty()) {
    std::printf("step: none (the reference trace shows no complete training step: two compute phases are needed)\n");
    return;
  }
  // Keys in the order docs/scenario.md writes them (json::dump would sort them).
  std::string text;
  for (const auto& p : step)
    text += std::string(text.empty() ? "" : ", ") + "{\"phase\": " + p["phase"].dump() + ", \"duration_s\": " + p["duration_s"].dump() + "}";
  std::printf("step (paste into jobs[] of a scenario using this profile; the mean of %d step(s) of %s):\n  \"step\": [%s]\n", steps,
              std::filesystem::path(R.file).filename().c_str(), text.c_str());
}

json thermal_report_json(const std::vector<gpu::TraceThermal>& traces, const gpu::LeakageFit& L, bool synthetic) {
  json per = json::array();
  double r = 0, tau = 0;
  int n = 0;
  std::string files;
  for (const auto& t : traces) {
    json gpus = json::array();
    for (const auto& g : t.gpus) {
      gpus.push_back({{"r_th_k_w", g.r_th_k_w}, {"r_th_sd_k_w", g.r_th_sd_k_w}, {"tau_s", g.tau_s}, {"tau_sd_s", g.tau_sd_s},
                      {"initial_c", g.initial_c}, {"rms_c", g.rms_c}, {"samples_used", g.samples_used}, {"quantised", g.quantised},
                      {"tau_resolved", g.tau_resolved}, {"temperature_span_c", g.temperature_span_c},
                      {"power_field", g.power_field}, {"residual_lag1_autocorrelation", g.lag1_autocorrelation}, {"notes", g.notes}});
      r += g.r_th_k_w, tau += g.tau_s, ++n;
    }
    files += (files.empty() ? "" : ", ") + std::filesystem::path(t.file).filename().string() + " (coolant " + fmt(t.coolant_c) + " °C)";
    per.push_back({{"file", t.file}, {"coolant_c", t.coolant_c}, {"gpus", gpus}});
  }
  json leak = nullptr;
  if (L.ok) leak = {{"reference_c", L.reference_c}, {"w_at_reference", L.w_at_reference}, {"doubling_k", L.doubling_k}};
  const std::string prov = std::string(synthetic ? "assumption: fitted from a SYNTHETIC trace (not a measurement): " : "measured: ") +
                           "junction-to-coolant resistance and time constant fitted by dctwin calibrate (models/thermal/gpu_junction.h, "
                           "output-error least squares) from " + files;
  json gt = {{"r_th_k_w", n ? json(r / n) : json(nullptr)}, {"tau_s", n ? json(tau / n) : json(nullptr)}};
  if (L.ok) gt["leakage"] = leak;  // cooling.gpu_thermal.leakage: absent when not fitted
  return {{"model", "first-order junction model of models/thermal/gpu_junction.h (gpu_runtime/common/thermal_fit.h)"},
          {"gpu_thermal", gt},
          {"source", prov},
          {"leakage",
           {{"fitted", L.ok}, {"reference_c", num_or_null(L.ok ? L.reference_c : NAN)}, {"w_at_reference", num_or_null(L.ok ? L.w_at_reference : NAN)},
            {"doubling_k", num_or_null(L.ok ? L.doubling_k : NAN)}, {"slope_w_k", num_or_null(L.ok ? L.slope_w_k : NAN)},
            {"rms_w", num_or_null(L.ok ? L.rms_w : NAN)}, {"samples_used", L.samples_used}, {"note", L.note}}},
          {"traces", per}};
}

void print_thermal_summary(const json& th) {
  for (const auto& t : th["traces"])
    for (const auto& g : t["gpus"]) {
      std::printf("  thermal %s (coolant %s °C): R %.4f +- %.4f K/W, tau %s +- %s s, residual RMS %.2f K over %zu samples%s\n",
                  std::filesystem::path(t["file"].get<std::string>()).filename().c_str(), fmt(t["coolant_c"].get<double>()).c_str(),
                  g["r_th_k_w"].get<double>(), g["r_th_sd_k_w"].get<double>(), fmt(g["tau_s"].get<double>(), 2).c_str(),
                  fmt(g["tau_sd_s"].get<double>(), 2).c_str(), g["rms_c"].get<double>(), g["samples_used"].get<std::size_t>(),
                  g["quantised"].get<bool>() ? " (whole-degree readings)" : "");
      for (const auto& n : g["notes"]) std::printf("    note: %s\n", n.get<std::string>().c_str());
    }
  std::printf("  leakage: %s\n", th["leakage"]["note"].get<std::string>().c_str());
  std::printf("gpu_thermal (paste into cooling of a scenario, with throttle_c and limit_c; %s):\n  \"gpu_thermal\": %s\n",
              th["source"].get<std::string>().substr(0, th["source"].get<std::string>().find(':')).c_str(), th["gpu_thermal"].dump().c_str());
}

}  // namespace dctwin::cli
