// The checks of `dctwin comply`: each requirement (sim/input/requirements.h) against the meter's
// power series. Pure functions on series, tested against hand-made series in
// tests/unit/sim/output/test_compliance_checks.cpp.
//
// The series: interval means of the utility meter's active power at a fixed step dt (the run's
// output step; after the facility battery when there is one). A window of w seconds is n =
// max(1, round(w / dt)) steps; the check reports the window it used (window_used_s). Each check
// scans every position of its window(s) on the output grid (sliding, step dt) and reports its worst
// case, with when it began (at_t_s) and where (the utility meter):
//
//   ramp          (M(t) - M(t - w)) / w, M(t) the mean over [t, t + w): the change between two
//                 consecutive window means; up: the largest, down: the largest fall (MW/s)
//   step_change   |P(t + w) - P(t)| of the interval means w apart: the largest change over w (MW)
//   dynamic_range (max - min) of the interval means within [t, t + w), in % of the run's peak
//   demand        the largest mean over any window w (MW)
//   oscillation   the largest single-frequency amplitude A (MW; P = P0 + A sin 2 pi f t) with f in
//                 [lo, hi]: Hann-windowed DFT of the mean-removed series, zero-padded to at least 4x
//                 its length (scalloping under 1 % for a steady tone), A = 2 |X(f)| / sum(w), divided
//                 by |sinc(f dt)| (interval means damp a tone by that: spectrum.h); the band must lie
//                 at or below a quarter of 1/dt (band_resolution_problem)
//   power_factor  P / sqrt(P^2 + Q^2) per interval, the lowest; needs Q
//   flicker_pst   the largest Pst of the 10-minute intervals of the PCC voltage (flickermeter of
//                 models/power/flickermeter.h on V(t) / V0 = 1 - (R dP + X dQ) / V^2, pcc.h); at_t_s the
//                 interval's start; needs one complete interval
//   flicker_plt   the largest Plt (12 Pst, 2 h); needs a run of 7200 s, else not evaluated (the note
//                 says so: a run that short is not forced on every comply)
//   voltage_change (max - min) of V / V0 over the run, in % of the nominal voltage; at_t_s the lowest
//
// The PCC figures come from MeterSeries::pcc (the scenario's grid.pcc, else the requirements' pcc).
//
// margin = limit - value (for a minimum, value - limit): >= 0 passes. A check whose quantity is not
// modelled has value, margin and pass null and says why in note: it never passes silently.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "sim/input/requirements.h"
#include "sim/output/reactive_power.h"

namespace dctwin {

// A figure in 6 significant digits, as the checks' notes and the mitigation's sets write it.
std::string six_digits(double x);

struct MeterSeries {
  double dt_s = 0;
  double t0_s = 0;
  std::vector<double> p_w;                   // active power, W, interval means
  std::optional<std::vector<double>> q_var;  // reactive power, var; nullopt: not modelled
  std::optional<PccResult> pcc;              // the PCC voltage and its flicker; nullopt: no pcc given
  std::string pcc_source;                    // which pcc: "scenario grid.pcc" or "requirements pcc"
};

struct CheckResult {
  std::string name, unit;
  double limit = 0;
  bool minimum = false;  // the limit is a minimum (power factor)
  std::optional<double> window_used_s;
  std::optional<double> value, margin;
  std::optional<bool> pass;
  std::optional<double> at_t_s;
  std::string where = "utility meter";
  std::string note;
};

CheckResult check_ramp_up(const MeterSeries& m, const RampLimit& l);
CheckResult check_ramp_down(const MeterSeries& m, const RampLimit& l);
CheckResult check_step_change(const MeterSeries& m, const WindowLimit& l);
CheckResult check_dynamic_range(const MeterSeries& m, const WindowLimit& l);
CheckResult check_demand(const MeterSeries& m, const WindowLimit& l);
CheckResult check_oscillation(const MeterSeries& m, const OscillationLimit& l);
CheckResult check_power_factor(const MeterSeries& m, double min_pf);
CheckResult check_flicker_pst(const MeterSeries& m, double pst_max);
CheckResult check_flicker_plt(const MeterSeries& m, double plt_max);
CheckResult check_voltage_change(const MeterSeries& m, double max_pct);
// A check the run cannot evaluate: value, margin and pass null, `note` says why.
CheckResult not_modelled(std::string name, std::string unit, double limit, bool minimum, std::string note);

// Why a series at step dt over duration_s cannot resolve the band (its upper edge above a quarter
// of 1/dt, or fewer than two periods of its lower edge), naming the step or the duration it
// needs; nullopt when it can.
std::optional<std::string> band_resolution_problem(const OscillationLimit& l, double dt_s, double duration_s);

// Every check the requirements ask for, in the file's order.
std::vector<CheckResult> check_all(const MeterSeries& m, const Requirements& q);

// compliance.json's "checks" entry, and the whole document's verdict fields: "pass" is true only
// when every check was evaluated and passed; "verdict" is "passes", "fails" or "incomplete" (none
// failed, some not evaluated: pass false), "failed" and "not_evaluated" list the names.
json check_json(const CheckResult& c);
json compliance_json(const std::vector<CheckResult>& checks, const Requirements& q);

}  // namespace dctwin
