#include "sim/facility/grid_response.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "models/power/battery.h"
#include "sim/facility/facility.h"
#include "sim/input/scenario.h"

namespace dctwin {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Supply {
  double v = 1, f = 0;
};

// The utility at time t: voltage (p.u.) and frequency (Hz); `e` is the first event not ended by t.
Supply supply_at(const GridEventSpec* e, double nominal_hz, double t) {
  Supply s{1.0, nominal_hz};
  if (e == nullptr || t < e->at_s) return s;
  if (e->kind == GridEventKind::FrequencyDeviation) s.f = e->frequency_hz.value_or(nominal_hz);
  else s.v = e->remaining_pu;
  return s;
}

// How long after the events everything may still move: retransfer, lockouts, reboots, recharge.
double settle_s(const power::RideThroughParams& p, const GridLoads& l) {
  const auto& u = p.ups;
  const double retransfer =
      u.retransfer_delay_s + (std::max(1, u.retransfer_groups) - 1) * u.retransfer_interval_s + u.walk_in_s;
  const double charge_w = u.recharge_fraction * l.ups_rated_w;
  const double recharge = charge_w > 0 ? u.autonomy_rated_s * l.ups_rated_w / charge_w : 0;
  const double s = retransfer + std::max({p.drives.restart_lockout_s, p.it_restart_s, u.counter_return_s.value_or(0.0)});
  return s + std::min(recharge, 86400.0) + 10;
}

struct StepOut {
  double meter = 0, bat = 0, gen = 0, rech = 0, bbu = 0, unserved = 0, it_lost = 0;
  bool ups_it_on = true, other_it_on = true;  // after the step
  bool counter_tripped = false;
  bool drives_off = false;
};

// The equipment between steps, and one step of it.
class GridSim {
 public:
  GridSim(const power::RideThroughParams& p, const GridLoads& l)
      : p_(p), l_(l), counter_(p.ups.counter_n, p.ups.counter_window_s),
        input_rms_(power::ups_detection_window_s(p.ups, p.nominal_frequency_hz)) {
    bp_.round_trip_efficiency = p.ups.round_trip_efficiency;
    bp_.power_w = kInf;
    e_full_ = p.ups.autonomy_rated_s * l.ups_rated_w;
    e_ = e_full_;
    bbu_e_ = l.bbu_energy_j;
    const double it_branch = std::max(0.0, l.meter_w - l.cooling_w.value_or(0.0));
    lu_ = it_branch * p.it_on_ups_fraction;
    ln_ = it_branch - lu_;
  }
  StepOut step(Supply sup, double t, double dt);
  double energy_j() const { return e_; }
  double initial_energy_j() const { return e_full_; }
  double discharged_j = 0, recharged_j = 0;  // battery side of the balance (J taken / put)
  double backed_j = 0, supplied_j = 0;       // L_u (1 - r) dt, and battery + generator + unserved

 private:
  void ups_logic(bool ok, double t, StepOut& o);
  void other_it_logic(double v, double t, double dt);
  void drive_logic(double v, double t, double dt);
  double other_it_threshold() const { return p_.it_tolerance == power::ItTolerance::Itic ? 0.9 : p_.psu.min_input_pu; }

  const power::RideThroughParams& p_;
  const GridLoads& l_;
  power::DisturbanceCounter counter_;
  power::SlidingRms input_rms_;  // the UPS's measurement of its input
  power::BatteryParams bp_{};
  double lu_ = 0, ln_ = 0;
  bool backup_ = false, prev_ok_ = true, locked_ = false;
  double r_ = 1, ok_since_ = 0, unlock_at_ = kInf, gen_asked_ = kInf;
  bool ups_it_on_ = true, other_it_on_ = true, drives_on_ = true;
  double ups_it_back_ = kInf, other_it_back_ = kInf;
  double dip_start_ = kInf, dip_min_ = 1, drive_low_since_ = kInf, drive_ok_since_ = -kInf;
  double e_ = 0, e_full_ = 0, bbu_e_ = 0;
};

void GridSim::ups_logic(bool ok, double t, StepOut& o) {
  const auto& u = p_.ups;
  if (!ok && prev_ok_) {
    if (!locked_ && counter_.record(t)) {
      locked_ = true;
      o.counter_tripped = true;
      unlock_at_ = u.counter_return_s ? t + *u.counter_return_s : kInf;
    }
    if (!backup_ && u.eco && u.eco_transfer_s > power::psu_holdup_s(p_.psu) && ups_it_on_) {
      ups_it_on_ = false;  // the transfer gap is longer than the PSUs hold up
      ups_it_back_ = kInf;
    }
    backup_ = true;
    if (gen_asked_ == kInf) gen_asked_ = t;
  }
  if (ok && !prev_ok_) ok_since_ = t;
  prev_ok_ = ok;
  if (locked_ && t >= unlock_at_) {
    locked_ = false;
    ok_since_ = std::max(ok_since_, unlock_at_);
  }
  if (locked_ && !backup_) backup_ = true;
  if (!backup_) {
    r_ = 1;
    return;
  }
  r_ = (!ok || locked_) ? 0.0 : power::retransfer_fraction(u, t - ok_since_);
  if (r_ >= 1) {
    backup_ = false;
    gen_asked_ = kInf;
    if (!ups_it_on_ && ups_it_back_ == kInf) ups_it_back_ = t + p_.it_restart_s;
  }
}

void GridSim::other_it_logic(double v, double t, double dt) {
  const double thr = other_it_threshold();
  if (v < thr) {
    if (dip_start_ == kInf) dip_start_ = t, dip_min_ = 1;
    dip_min_ = std::min(dip_min_, v);
    const bool rides = p_.it_tolerance == power::ItTolerance::Itic ? power::itic_rides(dip_min_, t + dt - dip_start_)
                                                                   : power::psu_rides(p_.psu, dip_min_, t + dt - dip_start_);
    if (!rides && other_it_on_ && l_.bbu_energy_j <= 0) other_it_on_ = false, other_it_back_ = kInf;
  } else {
    dip_start_ = kInf;
    if (!other_it_on_ && other_it_back_ == kInf) other_it_back_ = t + p_.it_restart_s;
  }
  if (!other_it_on_ && t >= other_it_back_) other_it_on_ = true;
}

void GridSim::drive_logic(double v, double t, double dt) {
  const auto& d = p_.drives;
  if (v < d.trip_pu) {
    if (drive_low_since_ == kInf) drive_low_since_ = t;
    if (t + dt - drive_low_since_ > d.ride_through_s) drives_on_ = false;
    drive_ok_since_ = kInf;
  } else {
    drive_low_since_ = kInf;
    if (drive_ok_since_ == kInf) drive_ok_since_ = t;
    if (!drives_on_ && t - drive_ok_since_ >= d.restart_lockout_s) drives_on_ = true;
  }
}

StepOut GridSim::step(Supply sup, double t, double dt) {
  StepOut o;
  input_rms_.push(sup.v, dt);
  const bool ok = power::ups_input_ok(p_.ups, p_.nominal_frequency_hz, input_rms_.rms_pu(), sup.f);
  ups_logic(ok, t, o);
  if (!ups_it_on_ && t >= ups_it_back_) ups_it_on_ = true, ups_it_back_ = kInf;
  other_it_logic(sup.v, t, dt);
  drive_logic(sup.v, t, dt);
  const double sq = std::sqrt(bp_.round_trip_efficiency);
  // The UPS load off its input: generator first (as accepted), then the battery, then BBUs.
  const double backed = ups_it_on_ ? lu_ * (1 - r_) : 0.0;
  if (p_.generator && gen_asked_ < kInf) {
    const double acc = power::generator_accepted_fraction(*p_.generator, t - gen_asked_);
    o.gen = std::min({backed, p_.generator->capacity_w, acc * lu_});
  }
  o.bat = std::min(backed - o.gen, std::max(0.0, e_) * sq / dt);
  double short_w = backed - o.gen - o.bat;
  // Rack BBUs: the UPS's shortfall first, then the other IT while the voltage is below its tolerance.
  const double ups_bbu = std::min(short_w, std::max(0.0, bbu_e_) / dt);
  short_w -= ups_bbu;
  bbu_e_ -= ups_bbu * dt;
  if (short_w > 0 && ups_it_on_) {
    ups_it_on_ = false;  // battery, generator and BBUs cannot carry it
    ups_it_back_ = kInf;
  }
  bool other_on_bbu = false;
  if (other_it_on_ && l_.bbu_energy_j > 0 && sup.v < other_it_threshold() && ln_ > 0) {
    const double b = std::min(ln_, std::max(0.0, bbu_e_) / dt);
    bbu_e_ -= b * dt;
    o.bbu += b;
    other_on_bbu = true;
    if (b < ln_) other_it_on_ = false, other_it_back_ = kInf;
  }
  o.bbu += ups_bbu;
  o.unserved = short_w;
  if (o.bat > 0) {
    power::store_energy(bp_, e_, -o.bat, dt);
    discharged_j += o.bat / sq * dt;
  }
  // Recharge from the input, as much of the UPS as is back on it.
  if (!backup_ || r_ > 0) {
    const double deficit = e_full_ - e_;
    if (deficit > 0) o.rech = r_ * std::min(p_.ups.recharge_fraction * l_.ups_rated_w, deficit / (sq * dt));
    if (o.rech > 0) {
      power::store_energy(bp_, e_, o.rech, dt);
      recharged_j += o.rech * sq * dt;
    }
  }
  backed_j += backed * dt;
  supplied_j += (o.gen + o.bat + ups_bbu + o.unserved) * dt;
  o.drives_off = !drives_on_;
  o.ups_it_on = ups_it_on_ || lu_ <= 0;  // a part without load loses nothing
  o.other_it_on = other_it_on_ || ln_ <= 0;
  o.it_lost = (ups_it_on_ ? o.unserved : lu_) + (other_it_on_ ? 0.0 : ln_);  // the unserved part is within lu_
  if (sup.v > 0) {
    const double other_meter = (other_it_on_ && !other_on_bbu) ? ln_ : 0.0;
    const double cool = (l_.cooling_w && drives_on_) ? *l_.cooling_w : 0.0;
    o.meter = (ups_it_on_ ? lu_ * r_ : 0.0) + o.rech + other_meter + cool;
  }
  return o;
}

}  // namespace

namespace {

// Per-event figures from the steps: [at_s, next event's at_s or window end).
struct EventAcc {
  double min_meter = kInf, bat_j = 0, gen_j = 0, rech_peak = 0, it_lost = 0;
  bool counter = false, drive_trip = false;
};

}  // namespace

GridResponse simulate_grid_events(const std::vector<GridEventSpec>& events, const power::RideThroughParams& p,
                                  const GridLoads& loads, const GridResponseOptions& o) {
  GridResponse res;
  if (events.empty()) return res;
  GridSim sim(p, loads);
  const double first = events.front().at_s;
  const double last_end = events.back().at_s + events.back().duration_s;
  res.window_start_s = std::max(0.0, first - o.pre_s);
  res.window_end_s = last_end + settle_s(p, loads);
  if (o.end_s) res.window_end_s = std::min(res.window_end_s, *o.end_s);
  std::vector<EventAcc> acc(events.size());
  // Meter samples (t, meter) at every step, for the restore times.
  std::vector<std::pair<double, double>> meter;
  meter.reserve(1 << 16);
  std::size_t cur = 0;  // the event whose interval holds t (once t >= its at_s)
  // IT supply losses: the open one of each part (index into `outages`, with its event).
  std::vector<std::pair<std::size_t, ItOutage>> outages;
  std::optional<std::size_t> open_ups, open_other;
  const auto track = [&](bool on, bool behind_ups, std::optional<std::size_t>& open, double t_start) {
    if (!on && !open) {  // lost in the step that starts at t_start
      open = outages.size();
      outages.push_back({cur, ItOutage{behind_ups, t_start, std::nullopt}});
    } else if (on && open) {
      outages[*open].second.on_s = t_start;
      open.reset();
    }
  };
  double t = res.window_start_s;
  std::size_t next_fine = 0, edge = 0;
  while (t < res.window_end_s) {
    // Step length: fine inside [at - pre, end + fine_after] of any event, coarse elsewhere.
    bool fine = false;
    while (next_fine < events.size() && t >= events[next_fine].at_s + events[next_fine].duration_s + o.fine_after_s) ++next_fine;
    double next_fine_start = kInf;
    if (next_fine < events.size()) {
      const double fs = events[next_fine].at_s - o.pre_s;
      if (t >= fs - 1e-12) fine = true;
      else next_fine_start = fs;
    }
    double dt = fine ? o.fine_step_s : std::min(o.coarse_step_s, next_fine_start - t);
    // Land exactly on event edges so that a step never straddles one (events sorted, not overlapping).
    while (edge < events.size() && events[edge].at_s + events[edge].duration_s <= t + 1e-12) ++edge;
    const GridEventSpec* active = edge < events.size() ? &events[edge] : nullptr;
    double t_next = kInf;
    if (active) {
      const double edge_t = active->at_s > t + 1e-12 ? active->at_s : active->at_s + active->duration_s;
      if (edge_t - t <= dt) dt = edge_t - t, t_next = edge_t;  // exactly on the edge, not t + dt
    }
    if (res.window_end_s - t < dt) dt = res.window_end_s - t, t_next = res.window_end_s;
    if (dt <= 0) break;
    if (t_next == kInf) t_next = t + dt;
    const Supply sup = supply_at(active, p.nominal_frequency_hz, t);
    const StepOut s = sim.step(sup, t, dt);
    while (cur + 1 < events.size() && t >= events[cur + 1].at_s) ++cur;
    track(s.ups_it_on, true, open_ups, t);  // a step's state holds from its start
    track(s.other_it_on, false, open_other, t);
    if (t >= events[cur].at_s) {
      EventAcc& a = acc[cur];
      a.min_meter = std::min(a.min_meter, s.meter);
      a.bat_j += s.bat * dt;
      a.gen_j += s.gen * dt;
      a.rech_peak = std::max(a.rech_peak, s.rech);
      a.it_lost = std::max(a.it_lost, s.it_lost);
      a.counter = a.counter || s.counter_tripped;
      a.drive_trip = a.drive_trip || s.drives_off;
    }
    meter.emplace_back(t, s.meter);
    if (fine && o.keep_trace) res.trace.push_back({t, sup.v, s.meter, s.bat, s.gen, s.rech, s.bbu});
    t = t_next;
  }
  // Balances: backed load, and the UPS battery's charge.
  const double e_err = std::abs((sim.initial_energy_j() - sim.energy_j()) - (sim.discharged_j - sim.recharged_j)) /
                       std::max(sim.initial_energy_j(), 1e-300);
  const double l_err = std::abs(sim.backed_j - sim.supplied_j) / std::max(sim.backed_j, 1e-300);
  res.max_balance_rel_error = std::max(e_err, l_err);
  for (std::size_t i = 0; i < events.size(); ++i) {
    GridEventResult r;
    r.event = events[i];
    r.load_before_w = loads.meter_w;
    const EventAcc& a = acc[i];
    r.load_lost_w = a.min_meter < kInf ? std::max(0.0, loads.meter_w - a.min_meter) : 0.0;
    r.ups_energy_j = a.bat_j;
    if (p.generator) r.generator_energy_j = a.gen_j;
    r.recharge_peak_w = a.rech_peak;
    r.it_lost_w = a.it_lost;
    r.it_power_lost = a.it_lost > 0;
    r.counter_tripped = a.counter;
    if (loads.cooling_w) r.cooling_tripped = a.drive_trip;
    // Restore: the first time after the meter fell below 95 % of the load before (during this
    // event's own interval, up to the next event) that it is back within 5 % and stays there to
    // the end of the window; 0 when it did not fall.
    const double band = 0.95 * loads.meter_w;
    const double next_at = i + 1 < events.size() ? events[i + 1].at_s : kInf;
    bool fell = false;
    double back = kInf;  // kInf: not back (yet)
    for (const auto& [tm, m] : meter) {
      if (tm < events[i].at_s) continue;
      if (tm >= next_at && !fell) break;
      if (m < band) fell = true, back = kInf;
      else if (fell && back == kInf) back = tm;
    }
    for (const auto& [ev, out] : outages)
      if (ev == i) r.it_outages.push_back(out);
    if (!fell) r.time_to_restore_s = 0.0;
    else if (back < kInf) r.time_to_restore_s = back - events[i].at_s;
    res.events.push_back(r);
  }
  return res;
}

std::vector<power::VoltageDip> voltage_dips(const std::vector<GridEventSpec>& events) {
  std::vector<power::VoltageDip> out;
  for (const auto& e : events)
    if (e.kind != GridEventKind::FrequencyDeviation) out.push_back({e.at_s, e.at_s + e.duration_s, e.remaining_pu});
  return out;
}

std::vector<power::DriveOff> cooling_drive_off(const std::vector<GridEventSpec>& events, const power::RideThroughParams& p) {
  return power::drive_off_intervals(p.drives, voltage_dips(events));
}

std::string grid_trace_csv(const GridResponse& r) {
  std::string out = "t_s,voltage_pu,meter_mw,ups_battery_mw,generator_mw,recharge_mw,bbu_mw\n";
  out.reserve(out.size() + r.trace.size() * 64);
  char buf[256];
  for (const auto& x : r.trace) {
    std::snprintf(buf, sizeof buf, "%.4f,%.4g,%.9g,%.9g,%.9g,%.9g,%.9g\n", x.t_s, x.voltage_pu, x.meter_w * 1e-6,
                  x.ups_battery_w * 1e-6, x.generator_w * 1e-6, x.recharge_w * 1e-6, x.bbu_w * 1e-6);
    out += buf;
  }
  return out;
}

void add_facility_equipment(const Facility& f, const Scenario& sc, GridLoads& loads) {
  loads.ups_rated_w = 0;
  loads.bbu_energy_j = 0;
  const PowerGraph& g = f.graph();
  for (auto [it, end] = boost::vertices(g); it != end; ++it) {
    const Element& e = g[*it];
    if (e.stage == Stage::Ups) loads.ups_rated_w += e.rating_w * static_cast<double>(e.units());
    if (e.stage == Stage::Rack && e.rack_type >= 0) {
      const auto& st = sc.rack_types.at(static_cast<std::size_t>(e.rack_type)).storage;
      if (st)
        loads.bbu_energy_j += st->params.energy_j * std::max(0.0, st->initial_soc - st->params.soc_min) *
                              static_cast<double>(e.multiplicity);
    }
  }
}

}  // namespace dctwin
