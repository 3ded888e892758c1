// The facility-power figures one run is compared on against another (the cohort reduction against
// the exact per-rack mode, bench/bench_cohorts.cpp): peak, swing, ramp maxima, energy, and the
// spectrum of the meter power in a band.
//
// Band spectrum: band_spectrum (sim/output/spectrum.h) of the meter power, 0.1–20 Hz. A 100 ms
// output step resolves up to 5 Hz: the band is then 0.1–5 Hz. A figure the summary has not (swing_mw
// null) is NaN.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "sim/output/spectrum.h"
#include "sim/run.h"

namespace dctwin {

struct PowerFigures {
  double peak_mw = 0, swing_mw = 0, ramp_up_mw_s = 0, ramp_down_mw_s = 0, energy_mwh = 0;
  double band_energy_mw2 = 0, band_peak_mw = 0;  // 0.1–20 Hz (see above)
};
// The figures of a finished run (its summary and its meter series at the output step).
PowerFigures power_figures(const RunResult& r, double dt_s);
// Named figures in a fixed order, for printing and comparing: {"peak_mw", value}, ...
std::vector<std::pair<std::string, double>> figure_list(const PowerFigures& f);

}  // namespace dctwin
