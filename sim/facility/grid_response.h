// The campus's response to utility disturbances (grid.events, sim/input/grid_spec.h), evaluated
// on the event window alone: a reduced evaluation, not a re-run of the training.
//
// Reduction (stated in docs/design.md, section "Grid disturbances"): during the window the loads
// are held at their level just before the first event (meter power, its cooling share, the share
// behind the UPS); the equipment logic of models/power/ride_through.h then decides, step by step,
// which part of that load the utility, the UPS batteries, the generators and the rack BBUs carry
// and which part is lost. Steps are 1 ms (`fine_step_s`) from 1 s before each event to
// `fine_after_s` after its end, and `coarse_step_s` elsewhere; every power is constant over a step,
// so the energies are exact sums and the balances close to rounding:
//
//   backed load    L_u (1 - r) = battery + generator + unserved           (each step)
//   UPS battery    E_0 - E_end = sum(discharge / sqrt(eta) - recharge * sqrt(eta)) dt
//
// Distribution losses upstream of the UPS are carried with the backed load (the backup supplies
// the branch as the meter saw it). The UPS population acts as one unit (one logic, one counter);
// retransfer groups stand for its parts. Recharge is drawn from the utility only; rack BBUs are
// not recharged within the window (not modelled). The cooling plant's temperatures during a drive
// trip are not evaluated here: the drives' off intervals depend on the voltage alone
// (cooling_drive_off), so the cooling plant takes them into the run itself (sim/plant/cooling_plant.h).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "models/power/ride_through.h"
#include "sim/input/grid_spec.h"

namespace dctwin {

struct GridLoads {
  double meter_w = 0;    // at the meter before the event (IT, distribution losses, cooling)
  std::optional<double> cooling_w;  // cooling plant's share of meter_w; none: not modelled
  double it_w = 0;       // IT input (rack inputs) before the event
  double ups_rated_w = 0;  // sum of the installed UPS modules' ratings
  double bbu_energy_j = 0;  // usable rack BBU energy (0: no rack storage)
};

// An interval without supply of one part of the IT: the part behind the UPS (it_on_ups_fraction of
// the IT) or the other part (straight on the feed, following it_tolerance). `off_s` is when it lost
// its supply; `on_s` when it is powered and rebooted again (supply back + it_restart_s), none: not
// within the window.
struct ItOutage {
  bool behind_ups = true;
  double off_s = 0;
  std::optional<double> on_s;
};

struct GridEventResult {
  GridEventSpec event;
  double load_before_w = 0;
  double load_lost_w = 0;
  std::optional<double> time_to_restore_s;  // none: not back within 5 % by the end of the window
  double ups_energy_j = 0;
  std::optional<double> generator_energy_j;  // none: no generator
  double recharge_peak_w = 0;
  bool it_power_lost = false;
  double it_lost_w = 0;  // largest IT power without supply
  std::vector<ItOutage> it_outages;  // the IT supply losses that began during this event's interval
  std::optional<bool> cooling_tripped;  // none: cooling not modelled
  bool counter_tripped = false;
};

struct GridTracePoint {
  double t_s, voltage_pu, meter_w, ups_battery_w, generator_w, recharge_w, bbu_w;
};

struct GridResponseOptions {
  double fine_step_s = 1e-3;
  double fine_after_s = 60;
  double coarse_step_s = 0.1;
  double pre_s = 1.0;
  std::optional<double> end_s;  // window end (the run's end); none: until everything has settled
  bool keep_trace = true;       // record the fine steps
};

struct GridResponse {
  std::vector<GridEventResult> events;
  std::vector<GridTracePoint> trace;  // fine steps only
  double window_start_s = 0, window_end_s = 0;
  double max_balance_rel_error = 0;   // largest of the balances above
};

// Simulates `events` (time order, not overlapping) against `loads` with `p`.
GridResponse simulate_grid_events(const std::vector<GridEventSpec>& events, const power::RideThroughParams& p,
                                  const GridLoads& loads, const GridResponseOptions& o = {});

// The utility voltage's dips of `events` (sags and outages; frequency deviations leave the voltage at 1 p.u.).
std::vector<power::VoltageDip> voltage_dips(const std::vector<GridEventSpec>& events);

// When the cooling drives are off (models/power/ride_through.h drive_off_intervals): the same
// logic as the window evaluation's, exact in time, known before the run.
std::vector<power::DriveOff> cooling_drive_off(const std::vector<GridEventSpec>& events, const power::RideThroughParams& p);

// CSV of the trace: t_s, voltage_pu, meter_mw, ups_battery_mw, generator_mw, recharge_mw, bbu_mw.
std::string grid_trace_csv(const GridResponse& r);

}  // namespace dctwin

namespace dctwin {
class Facility;
struct Scenario;
// The equipment figures of the loads from the facility: the installed UPS modules' ratings and the
// rack BBUs' usable energy (rack_types.*.storage: energy x (initial_soc - soc_min), every rack).
void add_facility_equipment(const Facility& f, const Scenario& sc, GridLoads& loads);
}  // namespace dctwin
