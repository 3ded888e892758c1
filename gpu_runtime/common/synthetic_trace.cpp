// gpu_runtime/common/synthetic_trace.cpp — see synthetic_trace.h.
#include "gpu_runtime/common/synthetic_trace.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>

#include "models/thermal/gpu_junction.h"

namespace dctwin::gpu {

Trace make_synthetic_trace(const SyntheticSpec& sp) {
  std::mt19937_64 rng(sp.seed);
  std::normal_distribution<double> gauss(0.0, 1.0);
  std::uniform_real_distribution<double> uni(-1.0, 1.0);
  auto jittered = [&](double d) {
    const double z = std::clamp(gauss(rng), -3.0, 3.0);
    return d * std::max(0.05, 1.0 + sp.duration_jitter * z);
  };
  // Phase schedule (shared by all GPUs: one synchronous job).
  struct Ph {
    double start;
    double level;
    const char* name;
    long step;
  };
  std::vector<Ph> sched;
  double t = 0;
  sched.push_back({t, sp.idle_w, "idle", -1});
  t += sp.lead_idle_s;
  for (int k = 0; k < sp.steps; ++k) {
    sched.push_back({t, sp.compute_w, "compute", k});
    t += jittered(sp.compute_s);
    sched.push_back({t, sp.communication_w, "communication", k});
    t += jittered(sp.communication_s);
    sched.push_back({t, sp.optimizer_w, "optimizer", k});
    t += jittered(sp.optimizer_s);
  }
  sched.push_back({t, sp.idle_w, "idle", -1});
  t += sp.tail_idle_s;
  const double total = t;

  Trace tr;
  tr.format = "dctwin";
  tr.file = "<synthetic>";
  tr.average_window_s = sp.average_window_s;
  tr.meta["synthetic"] = "true";
  tr.meta["source"] = "synthetic trace from dctwin's test generator (seed " + std::to_string(sp.seed) + "), not a measurement";
  {
    std::ostringstream o;
    o << sp.power_limit_w;
    tr.meta["power_limit_w"] = o.str();
    std::ostringstream hz;
    hz << sp.sample_hz;
    tr.meta["sample_hz"] = hz.str();
  }
  tr.meta["device"] = "synthetic";
  if (sp.markers) {
    for (const auto& p : sched) tr.markers.push_back({p.start, p.name, p.step});
    tr.markers.push_back({total, "end", -1});
  }

  // Fine-grid true power with the exact exponential update, its running integral.
  const double h = sp.fine_step_s;
  const auto n_fine = static_cast<std::size_t>(std::ceil(total / h)) + 1;
  std::vector<double> p(n_fine), cum(n_fine), tj(n_fine, 40.0);
  const bool heat = sp.r_th_k_w > 0;
  thermal::GpuJunctionParams jp;
  jp.r_th_k_w = sp.r_th_k_w;
  jp.tau_s = sp.tau_th_s;
  jp.leakage_ref_c = sp.leakage_ref_c;
  jp.leakage_w_at_ref = sp.leakage_w_at_ref;
  jp.leakage_doubling_k = sp.leakage_doubling_k;
  double tv = heat ? thermal::gpu_junction_steady_c(jp, sp.idle_w, sp.coolant_c) : 40.0;
  std::vector<int> ph_of(n_fine);
  std::size_t si = 0;
  double pv = sp.idle_w, level = sp.idle_w, tau = sp.tau_rise_s;
  cum[0] = 0;
  for (std::size_t i = 0; i < n_fine; ++i) {
    const double ti = static_cast<double>(i) * h;
    while (si + 1 < sched.size() && sched[si + 1].start <= ti) {
      ++si;
      tau = sched[si].level > level ? sp.tau_rise_s : sp.tau_fall_s;
      level = sched[si].level;
    }
    ph_of[i] = static_cast<int>(si);
    if (i > 0) {
      const double e = std::exp(-h / tau);
      const double pn = level + (pv - level) * e;
      const double leak = heat ? thermal::gpu_leakage_delta_w(jp, tv) : 0.0;
      cum[i] = cum[i - 1] + (level + leak) * h + (pv - level) * tau * (1.0 - e);
      if (heat) tv = thermal::gpu_junction_step_c(jp, tv, pv, sp.coolant_c, h);
      pv = pn;
    }
    p[i] = pv + (heat ? thermal::gpu_leakage_delta_w(jp, tv) : 0.0);
    tj[i] = tv;
  }
  auto interp = [&](const std::vector<double>& v, double x) {
    x = std::clamp(x, 0.0, static_cast<double>(n_fine - 1) * h);
    const auto i = std::min(static_cast<std::size_t>(x / h), n_fine - 2);
    const double f = x / h - static_cast<double>(i);
    return v[i] * (1 - f) + v[i + 1] * f;
  };

  for (int g = 0; g < sp.gpus; ++g) {
    GpuSeries s;
    s.gpu = g;
    s.has_power = sp.instant;
    s.has_power_avg = sp.average;
    s.has_energy = sp.energy;
    s.has_temperature = true;
    s.has_sm_clock = true;
    s.has_power_limit = true;
    const double dt = 1.0 / sp.sample_hz;
    for (double tn = 0.5 * dt; tn < total - sp.sample_jitter_s; tn += dt) {
      const double ts = tn + sp.sample_jitter_s * uni(rng);
      s.t_s.push_back(ts);
      const double nan = std::numeric_limits<double>::quiet_NaN();
      s.power_w.push_back(sp.instant ? interp(p, ts) + sp.noise_w * gauss(rng) : nan);
      const double lo = std::max(0.0, ts - sp.average_window_s);
      const double avg = (interp(cum, ts) - interp(cum, lo)) / std::max(ts - lo, 1e-9);
      s.power_avg_w.push_back(sp.average ? avg + sp.noise_w * gauss(rng) : nan);
      s.energy_j.push_back(sp.energy ? std::round(interp(cum, ts) * 1000.0) / 1000.0 + 1000.0 : nan);
      double temp = interp(tj, ts) + (sp.temperature_noise_c > 0 ? sp.temperature_noise_c * gauss(rng) : 0.0);
      if (sp.temperature_quantum_c > 0) temp = std::round(temp / sp.temperature_quantum_c) * sp.temperature_quantum_c;
      s.temperature_c.push_back(temp);
      const auto fi = std::min(static_cast<std::size_t>(ts / h), n_fine - 1);
      s.sm_clock_mhz.push_back(std::string(sched[static_cast<std::size_t>(ph_of[fi])].name) == "compute" ? sp.sm_clock_mhz : 1980.0);
      s.power_limit_w.push_back(sp.power_limit_w);
      s.throttle_reasons.push_back(0);
    }
    tr.gpus.push_back(std::move(s));
  }
  return tr;
}

}  // namespace dctwin::gpu
