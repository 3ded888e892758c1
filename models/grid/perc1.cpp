#include "models/grid/perc1.h"

#include <algorithm>
#include <cmath>

namespace dctwin::grid {

void perc1_power_pu(const Perc1Params& p, const double* v, std::size_t n, double dt_uniform, const double* df,
                    std::vector<double>& out, const double* step) {
  out.resize(n);
  if (n == 0) return;
  const bool wash = p.tvp > 0 && p.kvp != 0;
  const bool lag = p.tbp > 0;
  // The decay factors of the step in use, recomputed only when the step changes.
  double dt = -1, aw = 0, al = 0;
  auto use_step = [&](double h) {
    if (h == dt) return;
    dt = h;
    aw = wash ? std::exp(-dt / p.tvp) : 0.0;
    al = lag ? std::exp(-dt / p.tbp) : 0.0;
  };
  const double lead = lag ? p.tap / p.tbp : 1.0;
  const double back = p.fcease * p.frecon;
  double w = v[0];       // washout state
  double z = 0;          // lag state (set at the first sample)
  double level = 1;      // L: the connected fraction in normal state
  double level_c = 1;    // L_c: the level at the last cease
  bool ceased = false, recovering = false;
  double low = 0, s = 0;
  for (std::size_t k = 0; k < n; ++k) {
    use_step(step ? step[k] : dt_uniform);
    const double vk = v[k];
    const double fk = df ? df[k] : 0.0;
    const bool freq_out = fk < -p.dbfl_hz || fk > p.dbfh_hz;
    const bool cond = vk < p.vcease_pu || freq_out;
    low = cond ? low + dt : 0.0;
    if (cond && low > p.tcease_s) {
      if (!ceased) level_c = level;
      ceased = true;
      recovering = false;
      s = 0;
    }
    double f = level;
    if (ceased) {
      const bool ok = !cond && vk >= p.vrecon_pu;
      if (ok && !recovering) recovering = true, s = 0;
      double r = 0;
      if (recovering) r = p.tramp_s > 0 ? std::clamp((s - p.trecon_s) / p.tramp_s, 0.0, 1.0) : (s >= p.trecon_s ? 1.0 : 0.0);
      f = level_c * (1 - p.fcease + back * r);
      if (r >= 1) ceased = recovering = false, level = f;
      if (recovering && ok) s += dt;
    }
    const double wk = wash ? p.kvp * (vk - w) : 0.0;
    const double u = f * (1 + wk);
    if (k == 0) z = u;
    const double y = lag ? lead * u + (1 - lead) * z : u;
    out[k] = vk > 0 ? y : 0.0;
    if (wash) w = vk + (w - vk) * aw;
    if (lag) z = u + (z - u) * al;
  }
}

std::vector<double> perc1_power_pu(const Perc1Params& p, const std::vector<double>& v_pu, double dt_s,
                                   const std::vector<double>& df_hz) {
  std::vector<double> out;
  perc1_power_pu(p, v_pu.data(), v_pu.size(), dt_s, df_hz.empty() ? nullptr : df_hz.data(), out);
  return out;
}

}  // namespace dctwin::grid
