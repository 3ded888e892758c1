// A facility battery at the utility meter holding the grid-side ramp rate under a limit
// (models/power/battery.h), run over the facility power series at the output resolution: the
// controller acts once per output interval on the interval's exact mean load.
#pragma once
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "sim/engine/recorder.h"
#include "sim/input/scenario.h"

namespace dctwin {

struct StorageSeries {
  std::vector<double> grid_w, battery_w, energy_j;  // per output interval (energy at its end)
  double grid_energy_j = 0, load_energy_j = 0, loss_j = 0, charge_j = 0, discharge_j = 0;
  double initial_energy_j = 0, final_energy_j = 0;
  std::size_t ramp_violations = 0;
  double balance_rel_error() const;
};

StorageSeries run_storage(const power::BatteryParams& p, double initial_soc, const Recorder& rec);
json storage_summary(const StorageSeries& s, const power::BatteryParams& p, double dt_s);
std::string storage_csv(const StorageSeries& s, const Recorder& rec);

}  // namespace dctwin
