#include "sim/facility/facility_storage.h"
#include "core/units.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace dctwin {

double StorageSeries::balance_rel_error() const {
  return power::storage_balance_rel_error(grid_energy_j, load_energy_j, initial_energy_j, final_energy_j, loss_j);
}

StorageSeries run_storage(const power::BatteryParams& p, double initial_soc, const Recorder& rec) {
  StorageSeries s;
  const std::size_t n = rec.bin_count();
  s.grid_w.resize(n);
  s.battery_w.resize(n);
  s.energy_j.resize(n);
  const double first_load = n > 0 ? rec.bin_mean_w(0, kUtility) : 0.0;
  power::RampLimitingBattery bat(p, initial_soc, first_load);
  s.initial_energy_j = bat.energy_j();
  for (std::size_t k = 0; k < n; ++k) {
    const double dt = to_seconds(rec.bin_length(k));
    const double load = rec.bin_mean_w(k, kUtility);
    const power::BatteryStep st = bat.step(load, dt);
    s.grid_w[k] = st.grid_w;
    s.battery_w[k] = st.battery_w;
    s.energy_j[k] = bat.energy_j();
    s.grid_energy_j += st.grid_w * dt;
    s.load_energy_j += load * dt;
    s.loss_j += st.loss_w * dt;
    if (st.battery_w > 0) s.charge_j += st.battery_w * dt;
    else s.discharge_j -= st.battery_w * dt;
    if (k > 0 && st.ramp_violation) ++s.ramp_violations;
  }
  s.final_energy_j = bat.energy_j();
  return s;
}

json storage_summary(const StorageSeries& s, const power::BatteryParams& p, double dt_s) {
  double peak = 0, up = 0, down = 0;
  for (std::size_t k = 0; k < s.grid_w.size(); ++k) {
    peak = std::max(peak, s.grid_w[k]);
    if (k > 0) {
      const double d = (s.grid_w[k] - s.grid_w[k - 1]) / dt_s;
      up = std::max(up, d);
      down = std::max(down, -d);
    }
  }
  double e_min = s.initial_energy_j, e_max = s.initial_energy_j;
  for (double e : s.energy_j) {
    e_min = std::min(e_min, e);
    e_max = std::max(e_max, e);
  }
  return {{"power_mw", p.power_w / 1e6},
          {"energy_mwh", p.energy_j / units::kJPerMWh},
          {"grid_ramp_limit_mw_per_s", p.ramp_limit_w_s / 1e6},
          {"peak_grid_mw", peak / 1e6},
          {"max_grid_ramp_up_mw_per_s", up / 1e6},
          {"max_grid_ramp_down_mw_per_s", down / 1e6},
          {"ramp_limit_violations", s.ramp_violations},
          {"grid_energy_mwh", s.grid_energy_j / units::kJPerMWh},
          {"losses_mwh", s.loss_j / units::kJPerMWh},
          {"charged_mwh", s.charge_j / units::kJPerMWh},
          {"discharged_mwh", s.discharge_j / units::kJPerMWh},
          {"stored_change_mwh", (s.final_energy_j - s.initial_energy_j) / units::kJPerMWh},
          {"soc_min_pct", 100.0 * e_min / p.energy_j},
          {"soc_max_pct", 100.0 * e_max / p.energy_j},
          {"energy_balance_rel_error", s.balance_rel_error()}};
}

std::string storage_csv(const StorageSeries& s, const Recorder& rec) {
  std::string out = "t_s,load_mw,grid_mw,battery_mw,stored_mwh\n";
  char buf[160];
  for (std::size_t k = 0; k < s.grid_w.size(); ++k) {
    std::snprintf(buf, sizeof buf, "%.3f,%.6f,%.6f,%.6f,%.6f\n", to_seconds(rec.bin_start(k)), rec.bin_mean_w(k, kUtility) / 1e6,
                  s.grid_w[k] / 1e6, s.battery_w[k] / 1e6, s.energy_j[k] / units::kJPerMWh);
    out += buf;
  }
  return out;
}

}  // namespace dctwin
