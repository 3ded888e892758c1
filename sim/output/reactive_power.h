// Reactive power and power factor at the utility meter, per output step, from the run's exact
// interval means of active power (sim/engine/recorder.h) and the facility's elements. Computed after
// the run from the recorded active power: it never feeds back into P, so energy, peaks and the energy
// balance are the same with and without it (tests/unit/sim/output/test_reactive_power.cpp).
//
// Per output step, with the recorder's interval means (W):
//
//   PSU input  P_it = it_mw;  load x = (P_it - psu_loss) / (sum of the AC front ends' ratings: power
//              shelves, and node PSUs not behind a shelf);  Q_it = P_it tan(acos psu_power_factor(x))
//              (models/power/power_factor.h; the rack equipment is taken at the same curve)
//   UPS input  P_ups = P_it + busway + UPS losses;  Q_ups = P_ups tan(acos 0.98) for the double-
//              conversion share of the UPS rating (the rectifier decouples the IT load's Q), Q_it for
//              the eco-mode share (the load on the bypass)  (models/power/converter_power_factor.h)
//   transformers  S = |P_ups + switchgear loss, Q_ups| shared in proportion to rating;
//              Q_tx = sum over units (Q_m + Q_l(S_unit))  (models/power/transformer_reactive.h,
//              defaults: z 5.75 %, i0 1 %, X/R 6)
//   cooling    Q_c = P_cooling tan(acos 0.95)  (drives; the plant's power reaches the meter directly)
//   meter      P = the meter's active power (after the facility battery when there is one: its
//              inverter is taken at unity power factor, an assumption); Q = Q_ups + Q_tx + Q_c;
//              PF = P / sqrt(P^2 + Q^2)
//
// Busway and switchgear are resistive here (their reactance is not modelled). Every figure is an
// interval mean: the Q of a step is computed from the step's mean P (the PF curves are not linear, so
// this is exact only while P is constant within the step).
#pragma once
#include <optional>
#include <vector>

#include "core/json_reader.h"
#include "models/power/flickermeter.h"
#include "models/power/pcc.h"
#include "sim/input/requirements.h"
#include "sim/engine/recorder.h"
#include "sim/facility/facility.h"

namespace dctwin {

struct MeterPq {
  double dt_s = 0;
  std::vector<double> p_w, q_var;  // per output step (complete and last, as the recorder's bins)
  double pf(std::size_t k) const;  // P / |S|; 1 at zero load
};

// The facility's elements that draw reactive power, summed (built once per run).
struct ReactiveElements {
  double front_end_rated_w = 0;     // PSU / power-shelf AC front ends (W)
  double ups_rated_w = 0, ups_eco_rated_w = 0;
  struct TransformerGroup {
    double units = 0, rated_kva = 0;
  };
  std::vector<TransformerGroup> transformers;
};
ReactiveElements reactive_elements(const Facility& f);

// Q of one step from its interval means (W; the Recorder's columns).
double step_reactive_var(const ReactiveElements& e, const PowerRow& p);

// Every step of a run; `meter_w` replaces the meter's P when given (the facility battery's grid side).
MeterPq meter_pq(const ReactiveElements& e, const Recorder& rec, const std::vector<double>* meter_w = nullptr);

// Voltage at the point of common coupling: V / V0 per step (models/power/pcc.h, relative to the first
// step) and the largest relative change between any two steps, |V_i - V_j| / V_nominal, in %.
struct PccVoltage {
  std::vector<double> v_pu;
  double change_max_pct = 0;
};
PccVoltage pcc_voltage(const power::PccGrid& g, const MeterPq& m);

power::PccGrid pcc_grid(const PccSpec& s);  // kV -> V, MVA -> VA

// The PCC voltage and the flickermeter on it (models/power/flickermeter.h). The meter is fed with the
// output steps as an RMS series, each step held until the next (piecewise constant, resampled at
// kFlickerSampleHz): a step dt resolves fluctuations up to 1 / (2 dt) only, and the edges between steps
// are seen as rectangular changes. What moves faster than the output step (within a step) is averaged
// away: Pst from a coarse step is a lower bound for fluctuations above 1 / (2 dt).
struct PccResult {
  PccVoltage voltage;
  power::FlickerSeverity flicker;  // pst empty when the run is shorter than one 10-minute interval
  int line_hz = 60;
};
PccResult pcc_result(const PccSpec& spec, const MeterPq& m, int line_hz);

// summary.json: power_factor_min, reactive_power_peak_mvar (from `m`); flicker_pst_max,
// flicker_plt_max and pcc_voltage_change_max_pct from `pcc` (null without it, or without a complete
// interval for Pst / Plt).
void add_reactive_summary(json& s, const MeterPq& m, const std::optional<PccResult>& pcc);

}  // namespace dctwin
