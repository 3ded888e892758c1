#pragma once
/**
 * @file ride_through.h
 * @brief What the power equipment of a campus does when the utility voltage dips, the frequency
 * leaves its band or the feed is lost: IT power-supply hold-up and the ITIC envelope, the UPS's
 * transfer, autonomy, disturbance counter, retransfer and recharge, standby generators, rack
 * battery backup units and the cooling plant's drives. Pure functions of their parameters.
 *
 * ## Logic and equations (SI inside: s, W, J; voltage in per unit of nominal)
 *
 * PSU hold-up (constant-power load on the bulk capacitor; the capacitor's energy is fixed, so the
 * hold-up time is inversely proportional to the load):
 *
 *     t_hold(x) = t_hold_rated / x               (x = load / PSU rating, 0 < x <= 1)
 *     rides(v, d) = v >= v_min  or  d <= t_hold(x)
 *
 * ITIC (CBEMA) envelope, lower boundary of the "no interruption in function" region:
 *
 *     rides(v, d) = d <= 0.02 s  or  (v >= 0.70 and d <= 0.5 s)  or  (v >= 0.80 and d <= 10 s)
 *                   or  v >= 0.90
 *
 * UPS (one logic for the campus's UPS population):
 *
 *     input ok       V_w >= v_in_min  and  |f - f_nom| <= df_in, where V_w is the RMS of the input
 *                    over the last W seconds (sliding; W = half a cycle by default, the U_rms(1/2)
 *                    measurement of IEC 61000-4-30): V_w^2 = (1/W) integral_{t-W}^{t} v^2 dt'. A sag
 *                    to v_r shorter than W is seen only when (1 - (1 - v_r^2) d / W) < v_in_min^2,
 *                    e.g. at 60 Hz (W = 8.33 ms) a 0 V sag must last 2.31 ms, a 0.5 p.u. sag 3.08 ms
 *     double conv.   input not ok -> the inverter carries the load from the battery, no break
 *     eco mode       input not ok -> transfer to the inverter in t_eco; the IT rides the gap when
 *                    t_eco <= t_hold(x) (PSU hold-up), else it loses power
 *     autonomy       t_aut = E_batt / P_load       (E_batt = t_aut_rated * P_rated; linear, no Peukert)
 *     counter        each ok -> not-ok transition is a disturbance; N of them within T seconds lock
 *                    the UPS on backup until t_lock + t_return (t_return absent: manual return,
 *                    i.e. not within the run)
 *     retransfer     after the input has been ok for t_delay, the load returns in G equal groups
 *                    started t_group apart, each ramped linearly over t_walk (rectifier walk-in):
 *                    r(s) = sum_{g<G} (1/G) clamp((s - t_delay - g t_group) / t_walk, 0, 1)
 *                    (s = time since the input became ok; t_walk = 0: a step)
 *     recharge       once back on its input the charger draws r * min(P_charge, deficit rate) with
 *                    P_charge = k_charge * P_rated, until the energy taken is back (sqrt(eta) each
 *                    way, models/power/battery.h store_energy)
 *
 * Standby generator: asked to start when the UPS leaves its input; accepts load from t_start
 * (start + accept-load time) in S equal stages t_stage apart:
 *
 *     accepted(s) = min(P_cap, P_backup * min(S, floor((s - t_start)/t_stage) + 1) / S)   for s >= t_start
 *
 * Rack battery backup unit: carries its rack for t_bbu = E_bbu / P_rack after its supply is lost.
 *
 * Cooling drives (chillers, pumps, not on UPS): trip when v < v_trip for longer than t_ride; restart
 * t_lockout after the voltage is back (>= v_trip). A dip that starts while they are still off
 * starts the lockout again from its end. Off intervals depend on the voltage alone, so they are
 * computed exactly (no time step) before a run (drive_off_intervals): low stretches [a, b) (dips
 * below v_trip, adjacent ones merged) give off = [a + t_ride, b_last + t_lockout) when b - a > t_ride.
 * After the restart the pumps and fans run at once and the chillers' capacity ramps linearly:
 *
 *     c(s) = clamp(s / t_ramp, 0, 1)      (s = time since the restart; t_ramp = 0: a step)
 *
 * ## Parameters (RideThroughParams; every one settable in the scenario, grid.equipment)
 *
 * | name                      | unit | default | source / label                                     |
 * | ------------------------- | ---- | ------- | -------------------------------------------------- |
 * | psu.holdup_rated_s        | s    | 0.010   | 10 ms at 100 % load: Intel Server System R1000JP Family TPS, section 3.2.6.20 "AC Line Dropout/Holdup" (10 ms at 100 %, 12 ms at 75 %), and Intel Server System R1000SP Product Family TPS rev. 2.0 (order G64249-002), section 4.5.4 (10 ms at 100 %, 12 ms at 70 %); the CRPS specification's own text not found (note 1) |
 * | psu.load_fraction         | -    | 0.5     | ASSUMPTION: 1+1 supplies sharing the load            |
 * | psu.min_input_pu          | p.u. | 0.70    | ASSUMPTION: ITIC's 70 % level                       |
 * | it_tolerance              | -    | ITIC    | ITI (CBEMA) Curve Application Note, ITIC (2000)      |
 * | ups.input_min_pu          | p.u. | 0.85    | ASSUMPTION: -15 % input tolerance, the range large three-phase double-conversion UPS datasheets give |
 * | ups.detection_window_s    | s    | 1/(2 f) | IEC 61000-4-30 U_rms(1/2) (RMS over half a cycle, refreshed every half cycle); ASSUMPTION that the UPS's input qualification measures it so |
 * | ups.frequency_band_hz     | Hz   | 3.0     | ASSUMPTION: +-5 % of 60 Hz input frequency window    |
 * | ups.eco_transfer_s        | s    | 0.002   | Eaton 91PS/93PS UPS user's and installation guide P-164000672 rev. 005 (2023), section 3.3.1.2 "Energy Saver System mode": typical transition to double conversion "less than 2 milliseconds"; Eaton Power Xpert 9395 (450-550 kVA) installation and operation manual 164201701 rev. 3, section 6.2.3: "2 ms typical transfer time" |
 * | ups.autonomy_rated_s      | s    | 300     | ASSUMPTION: 5 minutes at rated load, a common design figure |
 * | ups.retransfer_delay_s    | s    | 10      | ASSUMPTION: vendor-adjustable, seconds class          |
 * | ups.retransfer_groups     | -    | 4       | ASSUMPTION                                          |
 * | ups.retransfer_interval_s | s    | 5       | ASSUMPTION                                          |
 * | ups.walk_in_s             | s    | 10      | ASSUMPTION: rectifier walk-in, vendor-adjustable     |
 * | ups.counter_n             | -    | 3       | NERC incident review (Jan 2025) of the 10 July 2024 event: facility logic that transferred to backup after repeated (three) disturbances within a minute and stayed there; not re-checked against the NERC text itself (note 2) |
 * | ups.counter_window_s      | s    | 60      | same source                                          |
 * | ups.counter_return_s      | s    | manual  | same source: the load came back by manual action (not within a run) |
 * | ups.recharge_fraction     | -    | 0.10    | ASSUMPTION: charger power 10 % of the UPS rating     |
 * | ups.round_trip_efficiency | -    | 0.90    | ASSUMPTION: lead-acid / Li-ion battery round trip    |
 * | generator.start_s         | s    | 10      | NFPA 110 Type 10 (power restored within 10 s)        |
 * | generator.stages          | -    | 1       | ASSUMPTION                                          |
 * | generator.stage_interval_s| s    | 5       | ASSUMPTION                                          |
 * | drives.trip_pu            | p.u. | 0.70    | ASSUMPTION: drive DC-bus undervoltage trip           |
 * | drives.ride_through_s     | s    | 0.05    | ASSUMPTION: a few cycles of DC-bus ride-through      |
 * | drives.restart_lockout_s  | s    | 300     | ASSUMPTION: chiller restart (anti-recycle) minutes class |
 * | drives.chiller_ramp_s     | s    | 180     | ASSUMPTION: minutes from restart to full capacity (chiller restart times of minutes: Schneider Electric White Paper 179, "Data Center Temperature Rise During a Cooling System Outage") |
 * | it_restart_s              | s    | 300     | ASSUMPTION: servers that lost power reboot and rejoin |
 *
 * Note 1 (hold-up): the Intel figures are specification minimums at 100 % and 70-75 % load; the
 * 1/x law above gives 13.3 ms at 75 % and 14.3 ms at 70 %, 11-19 % more than the 12 ms they
 * state, so at partial load the law is optimistic against those minimums. The "Common Redundant
 * Power Supply (CRPS)" specification text was searched for (hold-up, CRPS, M-CRPS) and not found.
 * Note 2 (counter): the NERC review's own text (PDF) was not found in the searchable public
 * material (searched: its title, "three voltage disturbances within one minute", "counts the number
 * of voltage disturbances"); two public documents that quote it agree on the rule: three voltage
 * disturbances within one minute -> the load transfers to backup and stays off until manually
 * transferred back. Section and page not re-checked.
 *
 * ## Validity
 *
 * A sequence-of-states model at millisecond resolution: no electrical transients (inrush, DC-bus
 * dynamics, phase-angle jumps), balanced sags only, constant-power loads (a sag that the
 * equipment rides does not change the power drawn). Frequency deviations move only the UPS (its
 * input window); PSUs and drives are taken as frequency-insensitive within +-5 Hz (assumption).
 *
 * ## Source
 *
 * ITI (CBEMA) Curve Application Note, Information Technology Industry Council, 2000; Intel server
 * system technical product specifications R1000JP and R1000SP (hold-up, above); Eaton UPS manuals
 * (ESS transfer, above); NFPA 110, Standard for Emergency and
 * Standby Power Systems (Type 10); NERC, "Incident Review: Considering Simultaneous
 * Voltage-Sensitive Load Reductions", January 2025 (the 10 July 2024 event); docs/references.md.
 */

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace dctwin::power {

struct PsuHoldUpParams {
  double holdup_rated_s = 0.010;
  double load_fraction = 0.5;
  double min_input_pu = 0.70;
};

enum class ItTolerance { Itic, PsuHoldUp };

struct UpsRideThroughParams {
  double input_min_pu = 0.85;
  std::optional<double> detection_window_s;  // none: half a cycle of the nominal frequency
  double frequency_band_hz = 3.0;
  bool eco = false;
  double eco_transfer_s = 0.002;
  double autonomy_rated_s = 300;
  double retransfer_delay_s = 10;
  int retransfer_groups = 4;
  double retransfer_interval_s = 5;
  double walk_in_s = 10;
  int counter_n = 3;
  double counter_window_s = 60;
  std::optional<double> counter_return_s;  // none: manual return
  double recharge_fraction = 0.10;
  double round_trip_efficiency = 0.90;
};

struct GeneratorParams {
  double capacity_w = 0;
  double start_s = 10;
  int stages = 1;
  double stage_interval_s = 5;
};

struct DriveTripParams {
  double trip_pu = 0.70;
  double ride_through_s = 0.05;
  double restart_lockout_s = 300;
  double chiller_ramp_s = 180;
};

struct RideThroughParams {
  double nominal_frequency_hz = 60;
  double it_on_ups_fraction = 1.0;
  ItTolerance it_tolerance = ItTolerance::Itic;
  PsuHoldUpParams psu;
  UpsRideThroughParams ups;
  std::optional<GeneratorParams> generator;  // none: no standby generator
  DriveTripParams drives;
  double it_restart_s = 300;
};

/// PSU hold-up time (s) at load fraction x of its rating: t_hold_rated / x (x clamped to >= 1e-6).
double psu_holdup_s(const PsuHoldUpParams& p);

/// True when a PSU rides a sag to `remaining_pu` lasting `duration_s`.
bool psu_rides(const PsuHoldUpParams& p, double remaining_pu, double duration_s);

/// True when (remaining_pu, duration_s) lies in the ITIC no-interruption region.
bool itic_rides(double remaining_pu, double duration_s);

/// ITIC lower boundary: the least remaining voltage (p.u.) tolerated for a disturbance of duration_s.
double itic_min_pu(double duration_s);

/// UPS input inside its window.
bool ups_input_ok(const UpsRideThroughParams& p, double nominal_hz, double v_pu, double f_hz);

/// The window (s) over which the UPS measures its input's RMS: the set one, else half a cycle.
double ups_detection_window_s(const UpsRideThroughParams& p, double nominal_hz);

/// RMS (p.u.) of a piecewise-constant voltage over a sliding window of `window_s` seconds: push one
/// step (its voltage, its length) at a time; before the first step the voltage was 1 p.u.
class SlidingRms {
 public:
  explicit SlidingRms(double window_s);
  void push(double v_pu, double dt_s);
  double rms_pu() const;

 private:
  double window_s_;
  std::vector<std::pair<double, double>> steps_;  // (length s, v^2), oldest first, covering window_s_
};

/// Autonomy (s) of battery energy `energy_j` at load `load_w` (infinite at zero load).
double ups_autonomy_s(double energy_j, double load_w);

/// Fraction of the UPS load back on the input `since_ok_s` seconds after the input became ok.
double retransfer_fraction(const UpsRideThroughParams& p, double since_ok_s);

/// Fraction of the backed-up load a generator has accepted `since_start_s` after it was asked.
double generator_accepted_fraction(const GeneratorParams& p, double since_start_s);

/// A stretch of utility voltage below nominal: [start_s, end_s) at v_pu (1 p.u. outside every dip).
struct VoltageDip {
  double start_s = 0, end_s = 0, v_pu = 1;
};

/// When the cooling drives are off: [off_s, restart_s).
struct DriveOff {
  double off_s = 0, restart_s = 0;
};

/// The cooling drives' off intervals for `dips` (time order, not overlapping), exact in time.
std::vector<DriveOff> drive_off_intervals(const DriveTripParams& d, const std::vector<VoltageDip>& dips);

/// Fraction of the chillers' capacity back `since_restart_s` after the drives restarted.
double chiller_restart_fraction(const DriveTripParams& d, double since_restart_s);

/// N disturbances within T seconds: record() returns true when this disturbance trips it.
class DisturbanceCounter {
 public:
  DisturbanceCounter(int n, double window_s) : n_(n), window_s_(window_s) {}
  bool record(double t_s);
  std::size_t count_in_window(double t_s) const;

 private:
  int n_;
  double window_s_;
  std::vector<double> times_;
};

}  // namespace dctwin::power
