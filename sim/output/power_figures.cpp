#include "sim/output/power_figures.h"

#include <limits>

#include "sim/output/spectrum.h"

namespace dctwin {

namespace {
double number_or_nan(const json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : std::numeric_limits<double>::quiet_NaN();
}
}  // namespace

PowerFigures power_figures(const RunResult& r, double dt_s) {
  const json& s = r.summary;
  PowerFigures f;
  f.peak_mw = number_or_nan(s, "peak_facility_mw");
  f.swing_mw = number_or_nan(s, "swing_mw");
  f.ramp_up_mw_s = number_or_nan(s, "max_ramp_up_mw_per_s");
  f.ramp_down_mw_s = number_or_nan(s, "max_ramp_down_mw_per_s");
  f.energy_mwh = number_or_nan(s, "facility_energy_mwh");
  const Recorder& rec = r.engine.recorder;
  std::vector<double> mw(rec.bin_count());
  for (std::size_t k = 0; k < mw.size(); ++k) mw[k] = rec.bin_mean_w(k, kUtility) / 1e6;
  if (const auto b = band_spectrum(mw, dt_s, 0.1, 20.0)) f.band_energy_mw2 = b->energy, f.band_peak_mw = b->peak;
  return f;
}

std::vector<std::pair<std::string, double>> figure_list(const PowerFigures& f) {
  return {{"peak_mw", f.peak_mw},         {"swing_mw", f.swing_mw},   {"ramp_up_mw_s", f.ramp_up_mw_s},
          {"ramp_down_mw_s", f.ramp_down_mw_s}, {"energy_mwh", f.energy_mwh}, {"band_energy_mw2", f.band_energy_mw2},
          {"band_peak_mw", f.band_peak_mw}};
}

}  // namespace dctwin
