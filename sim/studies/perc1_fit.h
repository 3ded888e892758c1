// Fitting the PERC1-structured load model (models/grid/perc1.h) to simulated grid events: the
// campus's meter power around voltage sags (sim/facility/grid_response.h, 1 ms steps), so that a
// utility gets the campus as a dynamic load model it can run.
//
// Procedure (every step deterministic):
//  1. threshold parameters by exhaustive search over the values that change the model's answer on
//     the events at hand: Vcease over 0 (nothing ceases on voltage), the midpoints between the
//     events' distinct sag levels and the midpoint between the highest level and 1 p.u.; Tcease over
//     0 and each distinct sag length (+ half a step). The search brackets each threshold between two
//     event levels; the bracket is reported with it (`vcease_bracket_pu`, `tcease_bracket_s`).
//  2. continuous parameters by least squares (Eigen's unsupported LevenbergMarquardt, forward-
//     difference Jacobian): Fcease, Frecon, Trecon, Tramp with the washout and the lead/lag bypassed;
//     then steps 1 and 2 once more from the fitted values.
//  3. the washout (Kvp, Tvp) and the lead/lag (Tap, Tbp) are each tried on top and kept only when
//     they lower the Bayesian information criterion n ln(MSE) + k ln n (n samples, k parameters,
//     MSE the mean over time of the squared error) and the error itself by 0.1 % or more, and only
//     while the fit is not already exact to rounding (RMS above 1e-8 p.u.);
//     a block not kept stays bypassed (Kvp = 0, Tbp = 0) and is reported as not kept.
// Parameters the events cannot identify are reported as such, not guessed: Vrecon when no fitted
// event holds a voltage between Vcease and 1 p.u. after a cease (it is then set equal to Vcease);
// Dbfl and Dbfh when no event deviates in frequency (the deadbands then stay open, infinite).
//
// fit_error_pct = 100 sqrt( sum_e sum_k ((P_model,ek - P_sim,ek) / P0_e)^2 h_ek / sum h_ek ): the
// RMS over time of the error, relative to each event's load before it (P0_e), every sample k held
// over its step h_ek (on a uniform step: the RMS over the samples).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/json_reader.h"
#include "models/grid/perc1.h"
#include "sim/studies/ride_through.h"

namespace dctwin {

// One event: input series and the simulated response, each sample held over its step.
struct Perc1Event {
  std::string label;
  double dt_s = 1e-3;          // every sample's step when step_s is empty
  std::vector<double> step_s;  // each sample's own step (empty: dt_s throughout)
  std::vector<double> v_pu;
  std::vector<double> df_hz;  // empty: nominal frequency throughout
  std::vector<double> p_w;    // simulated meter power
  double p0_w = 0;            // load before the event
};

struct Perc1FitOptions {
  unsigned threads = 1;
};

struct Perc1Fit {
  grid::Perc1Params params;
  double fit_error_pct = 0;
  std::size_t events = 0, samples = 0;
  double p0_w = 0;  // the first event's load before it (MWinit)
  std::pair<double, double> vcease_bracket_pu{0, 0};  // the data put Vcease somewhere in (lo, hi]
  std::pair<double, double> tcease_bracket_s{0, 0};   // and Tcease in [lo, hi)
  bool vrecon_identified = false;
  bool frequency_identified = false;
  bool washout_kept = false, lead_lag_kept = false;
  int solver_evaluations = 0;
};

// RMS error (% of each event's P0) of `p` over every sample of `events`.
double perc1_fit_error_pct(const grid::Perc1Params& p, const std::vector<Perc1Event>& events);

// Fits the model to `events` (at least one, each with equal-length series and p0_w > 0; throws
// std::invalid_argument otherwise).
Perc1Fit fit_perc1(const std::vector<Perc1Event>& events, const Perc1FitOptions& o = {});

// The events of a ride-through map chosen for the fit: up to `per_axis` sag levels x `per_axis`
// durations, evenly spread over the map's axes (ends included), each re-simulated with its 1 ms
// trace and sampled from 1 s before the sag to 60 s after its end: 1 ms steps from 10 ms before
// the sag to 2 s after its end, 10 ms steps elsewhere (where the voltage is 1 p.u.).
std::vector<Perc1Event> perc1_events_from_map(const Scenario& sc, const RideThroughMap& m, const RideThroughOptions& o,
                                              int per_axis = 5);

// DIR/perc1.json: model, source, parameters (null where not identified, with the reason), fit
// error, fitted events, the parameters whose definition is dctwin's own, and "dyr": null with why.
json perc1_fit_json(const Perc1Fit& f);

}  // namespace dctwin
