#include "sim/plant/gpu_thermal.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "models/power/gpu.h"
#include "models/thermal/gpu_junction.h"
#include "sim/engine/checkpoint.h"

namespace dctwin {

struct GpuThermal::Impl {
  struct Cohort {
    thermal::GpuJunctionParams p;
    bool liquid = false;
    const power::GpuProfile* profile = nullptr;
    double gpus = 0;
    double idle_w = 0;             // the profile's idle GPU power
    double runaway_point_c = 0;    // thermal::gpu_runaway_point_c(p): no runaway at or below it
    double t_c = std::numeric_limits<double>::quiet_NaN();  // junction temperature
    double leak_handed_w = 0;
    double leak_model_w = 0;  // dL at the junction temperature of the last step boundary
    bool throttled = false;
    AlarmTrack limit_alarm, throttle_alarm;
    // Integration between the cohort's own changes (see advance()): over [since, now) the cohort
    // holds p_held (profile power), leak_held (leakage handed to the facility) and its junction
    // approaches `target`; t_c is its temperature at `since`. `open`: it has such a span (else it
    // is stepped piece by piece, `eager`).
    SimTime since = 0;
    double p_held = 0, leak_held = 0;
    double u = 0, target = 0;  // U at `since` and U* = R (P + dL) (advance_spans)
    bool open = false;
    std::size_t group = 0;  // into groups
  };
  // Cohorts with the same coolant and time constant share the coolant's part of T (advance_spans).
  struct Group {
    bool liquid = false;
    double tau_s = 0;
    double v = 0;        // V: the coolant followed through the first-order lag
    double tc = 0;       // the coolant of the current piece (not state)
    bool started = false;
    bool stepped = false;  // its cohorts are stepped piece by piece until the step's end
    double v_limit = std::numeric_limits<double>::infinity();  // V below it keeps every open span below its threshold
  };
  std::vector<Group> groups;
  std::vector<Cohort> cohorts;
  double step_max_c = std::numeric_limits<double>::quiet_NaN();  // of the last advance (not state)
  double step_throttled_gpus = 0;                                   // of the last advance (not state)
  std::function<double(bool)> coolant_c;
  bool leakage = false;
  double tolerance_w = 0.5;
  GpuThermalOutcome out;
  double last_tau = -1, last_dt = -1, last_decay = 0;
  std::vector<double> max_c;  // per cohort: highest junction temperature so far (-inf: none; see advance)
  // Spans (advance()): only when the cooling series' intervals are whole thermal steps (the
  // thermal step a multiple of the output step), so that closing every span at each step's end
  // puts each junction maximum into the interval it belongs to.
  bool spans = false;
  SimTime thermal_step = 0;
  bool reopen_all = true;  // at the next advance, every cohort starts a span (or is stepped)
  std::size_t open_spans = 0;  // cohorts with an open span (the rest are stepped)
  SimTime last_t1 = 0;     // end of the last advanced piece

  Impl(const Scenario& sc, const Facility& facility, const CoolingSpec& cooling, std::function<double(bool)> coolant)
      : coolant_c(std::move(coolant)) {
    const GpuThermalSpec& g = *cooling.gpu_thermal;
    leakage = g.leakage;
    tolerance_w = g.power_tolerance_w;
    for (std::size_t c = 0; c < facility.cohorts(); ++c) {
      const int ci = static_cast<int>(c);
      const int rt = facility.cohort_rack_type(ci);
      Cohort k;
      const auto rti = static_cast<std::size_t>(std::max(rt, 0));
      k.p = g.by_rack_type.at(rti);
      k.liquid = cooling.capture_by_rack_type.at(rti) > 0;
      k.profile = &sc.profiles[static_cast<std::size_t>(facility.job_profile(facility.cohort_job(ci)))];
      k.gpus = static_cast<double>(facility.cohort_gpus(ci));
      k.idle_w = power::gpu_power_w(*k.profile, power::GpuPhase::Idle);
      k.runaway_point_c = thermal::gpu_runaway_point_c(k.p);
      CohortThermal ct;
      ct.name = facility.cohort_name(ci);
      ct.rack_type = rt >= 0 ? sc.rack_types[rti].name : "";
      ct.cooling = k.liquid ? "liquid" : "air";
      ct.gpus = facility.cohort_gpus(ci);
      ct.r_th_k_w = k.p.r_th_k_w;
      ct.runaway_coolant_c = thermal::gpu_runaway_coolant_c(k.p, power::gpu_power_w(*k.profile, power::GpuPhase::Compute));
      const std::string place = ct.name + " (" + ct.rack_type + ", " + ct.cooling + "-cooled GPUs)";
      k.limit_alarm.a = {"gpu_junction_above_limit", place, k.p.limit_c, 0, 0, 0};
      k.throttle_alarm.a = {"gpu_thermal_throttling", place, k.p.throttle_c, 0, 0, 0};
      out.cohorts.push_back(ct);
      k.group = groups.size();
      for (std::size_t g = 0; g < groups.size(); ++g)
        if (groups[g].liquid == k.liquid && groups[g].tau_s == k.p.tau_s) k.group = g;
      if (k.group == groups.size()) groups.push_back(Group{k.liquid, k.p.tau_s});
      cohorts.push_back(k);
    }
    max_c.assign(cohorts.size(), -std::numeric_limits<double>::infinity());
    thermal_step = to_simtime(sc.thermal_step_s);
    const SimTime output_step = to_simtime(sc.output_step_s);
    spans = thermal_step > 0 && output_step > 0 && thermal_step % output_step == 0;
  }

  // The cohort's mean profile power per GPU (without leakage, which the model adds from T).
  static double cohort_power_w(const Cohort& k, const JobState& s) {
    if (!s.running) return k.idle_w;
    const double active = std::isnan(s.gpu_w) ? k.profile->phase_power_w[static_cast<std::size_t>(s.phase)] : s.gpu_w;
    return s.active_fraction * active + (1.0 - s.active_fraction) * k.idle_w;
  }

  // Called for every piece of constant power; without spans (advance_spans) every cohort is
  // stepped at every piece, so the loop reads only what it needs: the cohorts' maxima are kept in
  // max_c (-inf until the first value, written back to out.cohorts by sync_out()), the global and
  // the step's maximum in locals. Every value is computed as in gpu_junction_step_c with the same
  // operations in the same order (bit for bit the junction temperatures, maxima and sums of before).
  void advance(SimTime t0, SimTime t1, const ProcessInput& in) {
    last_t1 = t1;
    if (spans) return advance_spans(t0, t1, in);
    const double dt = to_seconds(t1 - t0), ts0 = to_seconds(t0), ts1 = to_seconds(t1);
    constexpr double kNone = -std::numeric_limits<double>::infinity();
    double step_max = kNone;
    double all_max = std::isnan(out.max_junction_c) ? kNone : out.max_junction_c;
    step_throttled_gpus = 0;
    // The coolant temperatures are the plant's of this piece (the TCS supply moves with the liquid heat).
    const double coolant_liquid_c = coolant_c(true), coolant_air_c = coolant_c(false);
    double leak_j = out.leakage_energy_j;
    const std::size_t n = cohorts.size();
    for (std::size_t c = 0; c < n; ++c) {
      const Cohort& k = cohorts[c];
      // The same exponential for every cohort with the same tau, computed once per piece.
      if (k.p.tau_s != last_tau || dt != last_dt) [[unlikely]] {
        last_tau = k.p.tau_s;
        last_dt = dt;
        last_decay = std::exp(-dt / k.p.tau_s);
      }
      step_cohort(c, in.cohorts[c], k.liquid ? coolant_liquid_c : coolant_air_c, dt, ts0, ts1, last_decay, leak_j, all_max,
                  step_max);
    }
    out.leakage_energy_j = leak_j;
    if (all_max != kNone) out.max_junction_c = all_max;
    step_max_c = step_max != kNone ? step_max : std::numeric_limits<double>::quiet_NaN();
  }

  // One cohort over the piece [t0, t1) with the old per-piece update (gpu_junction_step_c with
  // the leakage held from the step's start), its maxima, throttling, alarms and runaway test.
  void step_cohort(std::size_t c, const JobState& s, double tc, double dt, double ts0, double ts1, double decay, double& leak_j,
                   double& all_max, double& step_max) {
    Cohort& k = cohorts[c];
    leak_j += s.leak_w * k.gpus * dt;
    if (std::isnan(k.t_c)) [[unlikely]] {  // GPUs idle before the run: start from their idle steady state
      if (!start_idle(c, tc, ts0)) return;
    }
    const double p = cohort_power_w(k, s);
    const double target = tc + k.p.r_th_k_w * (p + k.leak_model_w);
    const double t_new = target + (k.t_c - target) * decay;
    const double t_max = std::max(k.t_c, t_new);
    max_c[c] = std::max(max_c[c], t_max);
    all_max = std::max(all_max, t_max);
    step_max = std::max(step_max, t_max);
    const bool throttling = k.throttled && s.running;
    if (throttling) {
      out.cohorts[c].throttled_s += dt;
      out.throttled_gpu_s += k.gpus * dt;
      step_throttled_gpus += k.gpus;
    }
    if (t_max > k.p.limit_c) k.limit_alarm.update(true, t_max, ts0, ts1, out.alarms);
    if (throttling) k.throttle_alarm.update(true, t_max, ts0, ts1, out.alarms);
    k.t_c = t_new;
    if (!(t_new <= k.runaway_point_c) && !out.runaway && thermal::gpu_runaway_escaped(k.p, t_new, k.idle_w, tc)) {
      out.leakage_energy_j = leak_j;
      record_runaway(c, ts1, tc, t_new);
    }
  }

  // The idle steady state the GPUs start from; false (a runaway recorded) when there is none.
  bool start_idle(std::size_t c, double tc, double ts0) {
    Cohort& k = cohorts[c];
    const double t_idle = thermal::gpu_junction_steady_c(k.p, k.idle_w, tc);
    if (std::isinf(t_idle)) {  // there is none: the GPUs could not even idle at this coolant
      if (!out.runaway) record_runaway(c, ts0, tc, std::numeric_limits<double>::quiet_NaN());
      return false;
    }
    k.t_c = t_idle;
    k.leak_model_w = thermal::gpu_leakage_delta_w(k.p, k.t_c);
    return true;
  }

  // Closes cohort c's span at t: U(t) = U* + (U(since) - U*) exp(-(t - since)/tau), the same
  // exponential as the pieces' (their product, up to rounding), and T(t) = U(t) + V(t). The
  // span's maximum is taken at its ends (see advance_spans).
  void close_span(std::size_t c, SimTime t, double& leak_j, double& all_max, double& step_max) {
    Cohort& k = cohorts[c];
    k.open = false;
    --open_spans;
    if (t <= k.since) return;
    const double dt = to_seconds(t - k.since);
    leak_j += k.leak_held * k.gpus * dt;
    const double u_new = k.target + (k.u - k.target) * std::exp(-dt / k.p.tau_s);
    const double t_new = u_new + groups[k.group].v;
    const double t_max = std::max(k.t_c, t_new);
    max_c[c] = std::max(max_c[c], t_max);
    all_max = std::max(all_max, t_max);
    step_max = std::max(step_max, t_max);
    k.t_c = t_new;
    k.since = t;
  }

  // Starts cohort c's span at t0 with state s, or leaves it to be stepped piece by piece (as
  // before spans) when it is throttled, has no temperature yet, or its temperature could reach
  // the throttle, limit or runaway point: U stays between U(t0) and U*, so T < hot while
  // V < hot - max(U(t0), U*) (the group's v_limit, checked at every piece).
  void open_span(std::size_t c, SimTime t0, const JobState& s, double tc) {
    Cohort& k = cohorts[c];
    Group& g = groups[k.group];
    if (std::isnan(k.t_c) && !start_idle(c, tc, to_seconds(t0))) return;
    if (k.throttled || g.stepped) return;
    const double p = cohort_power_w(k, s);
    const double u = k.t_c - g.v, u_target = k.p.r_th_k_w * (p + k.leak_model_w);
    const double room = std::min({k.p.limit_c, k.p.throttle_c, k.runaway_point_c}) - std::max(u, u_target);
    if (!(std::max(g.v, tc) < room)) return;  // stepped
    g.v_limit = std::min(g.v_limit, room);
    k.open = true;
    ++open_spans;
    k.since = t0;
    k.p_held = p;
    k.leak_held = s.leak_w;
    k.u = u;
    k.target = u_target;
  }

  // Pieces between the cohorts' own changes. T = U + V per cohort: V, one per group of cohorts
  // with the same coolant and time constant, follows the coolant (dV/dt = (T_coolant - V)/tau,
  // stepped at every piece: the TCS supply moves with the liquid heat at every event), and U the
  // cohort's own heat (dU/dt = (R (P + dL) - U)/tau), integrated over its span of constant power
  // (from its last change or the step's start to its next change or the step's end) in one
  // exponential instead of at every piece of every cohort (about 44 a simulated second on the
  // 100K-GPU campus with 64 cohorts per job). The equation is linear, so T is that of the pieces
  // up to rounding, and so are the leakage handed back at the step's end and the leakage energy.
  // Reduction (docs/design.md, "Junction spans"): a cohort's maxima are taken at its own changes
  // and the step's ends, not at every other cohort's events in between. Cohorts near a threshold
  // or throttled are stepped piece by piece, so alarms, throttling and runaway see every piece
  // as before. Every span closes at each thermal step's end (the leakage changes there).
  void advance_spans(SimTime t0, SimTime t1, const ProcessInput& in) {
    const double dt = to_seconds(t1 - t0), ts0 = to_seconds(t0), ts1 = to_seconds(t1);
    constexpr double kNone = -std::numeric_limits<double>::infinity();
    double step_max = kNone;
    double all_max = std::isnan(out.max_junction_c) ? kNone : out.max_junction_c;
    step_throttled_gpus = 0;
    const double coolant_liquid_c = coolant_c(true), coolant_air_c = coolant_c(false);
    for (Group& g : groups) {
      g.tc = g.liquid ? coolant_liquid_c : coolant_air_c;
      if (!g.started) g.v = g.tc, g.started = true;
    }
    double leak_j = out.leakage_energy_j;
    const std::size_t n = cohorts.size();
    auto restart = [&](std::size_t c) {
      Cohort& k = cohorts[c];
      const JobState& s = in.cohorts[c];
      if (k.open) {
        if (cohort_power_w(k, s) == k.p_held && s.leak_w == k.leak_held) return;  // its span goes on
        close_span(c, t0, leak_j, all_max, step_max);
      }
      open_span(c, t0, s, groups[k.group].tc);
    };
    if (reopen_all || !in.changed_cohorts) {
      for (std::size_t c = 0; c < n; ++c) restart(c);
      reopen_all = false;
    } else {
      for (const std::size_t c : *in.changed_cohorts) restart(c);
    }
    // A group whose V could bring an open span to its threshold over this piece: its spans close
    // here and its cohorts are stepped to the step's end.
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
      Group& g = groups[gi];
      if (g.stepped || std::max(g.v, g.tc) < g.v_limit) continue;
      g.stepped = true;
      for (std::size_t c = 0; c < n; ++c)
        if (cohorts[c].open && cohorts[c].group == gi) close_span(c, t0, leak_j, all_max, step_max);
    }
    for (std::size_t c = 0; open_spans < n && c < n; ++c) {
      Cohort& k = cohorts[c];
      if (k.open) continue;
      if (std::isnan(k.t_c) && out.runaway) {  // no idle steady state: as the per-piece loop
        leak_j += in.cohorts[c].leak_w * k.gpus * dt;
        continue;
      }
      const Group& g = groups[k.group];
      step_cohort(c, in.cohorts[c], g.tc, dt, ts0, ts1, std::exp(-dt / k.p.tau_s), leak_j, all_max, step_max);
    }
    for (Group& g : groups) g.v = g.tc + (g.v - g.tc) * std::exp(-dt / g.tau_s);
    if (t1 % thermal_step == 0) {
      for (std::size_t c = 0; c < n; ++c)
        if (cohorts[c].open) close_span(c, t1, leak_j, all_max, step_max);
      end_step();
    }
    out.leakage_energy_j = leak_j;
    if (all_max != kNone) out.max_junction_c = all_max;
    step_max_c = step_max != kNone ? step_max : std::numeric_limits<double>::quiet_NaN();
  }

  void end_step() {
    reopen_all = true;
    for (Group& g : groups) g.stepped = false, g.v_limit = std::numeric_limits<double>::infinity();
  }

  // Closes every open span at t (the thermal step's end; the run's end).
  void close_all(SimTime t) {
    constexpr double kNone = -std::numeric_limits<double>::infinity();
    double all_max = std::isnan(out.max_junction_c) ? kNone : out.max_junction_c, step_max = kNone;
    double leak_j = out.leakage_energy_j;
    bool any = false;
    for (std::size_t c = 0; c < cohorts.size(); ++c)
      if (cohorts[c].open) close_span(c, t, leak_j, all_max, step_max), any = true;
    if (!any) return;
    end_step();
    out.leakage_energy_j = leak_j;
    if (all_max != kNone) out.max_junction_c = all_max;
  }

  // The cohorts' maxima between max_c (-inf: none yet) and out.cohorts (NaN: none yet).
  void sync_out() {
    for (std::size_t c = 0; c < cohorts.size(); ++c)
      out.cohorts[c].max_junction_c = std::isinf(max_c[c]) ? std::numeric_limits<double>::quiet_NaN() : max_c[c];
  }
  void sync_in() {
    for (std::size_t c = 0; c < cohorts.size(); ++c)
      max_c[c] = std::isnan(out.cohorts[c].max_junction_c) ? -std::numeric_limits<double>::infinity() : out.cohorts[c].max_junction_c;
  }

  // `junction` NaN: no idle steady state to start from (the run's first step).
  void record_runaway(std::size_t c, double t_s, double coolant, double junction) {
    const Cohort& k = cohorts[c];
    ThermalRunaway x;
    x.cohort = out.cohorts[c].name;
    x.t_s = t_s;
    x.junction_c = junction;
    x.coolant_c = coolant;
    x.runaway_point_c = thermal::gpu_runaway_point_c(k.p);
    x.r_dl_dt = thermal::gpu_leakage_gain(k.p, junction);
    const double idle = power::gpu_power_w(*k.profile, power::GpuPhase::Idle);
    char buf[320];
    if (std::isnan(junction))
      std::snprintf(buf, sizeof buf,
                    "no steady junction temperature at or below 250 C even at idle power (%.0f W) with %.1f C coolant "
                    "(leakage runs away above %.1f C coolant at idle; runaway point %.1f C)",
                    idle, coolant, thermal::gpu_runaway_coolant_c(k.p, idle), x.runaway_point_c);
    else
      std::snprintf(buf, sizeof buf,
                    "junction %.1f C is past the runaway point %.1f C (where R dL/dT = 1; here %.2f) and still heats at idle power "
                    "(%.0f W) with %.1f C coolant: leakage grows faster than the heat sink removes it, no throttling can stop it",
                    junction, x.runaway_point_c, x.r_dl_dt, idle, coolant);
    x.reason = buf;
    out.alarms.push_back({"gpu_thermal_runaway", k.limit_alarm.a.place, x.runaway_point_c, std::isnan(junction) ? x.runaway_point_c : junction, t_s, t_s});
    out.runaway = x;
  }

  bool update(SimTime t, std::vector<double>& leak_w, std::vector<double>& cap_w) {
    close_all(t);  // none open when the feedback steps are the thermal steps
    bool changed = false;
    for (std::size_t c = 0; c < cohorts.size(); ++c) {
      Cohort& k = cohorts[c];
      if (std::isnan(k.t_c)) continue;
      k.leak_model_w = thermal::gpu_leakage_delta_w(k.p, k.t_c);
      if (leakage) {
        // Quantized to the tolerance, so recurring temperatures give recurring facility states.
        const double l = tolerance_w * std::round(k.leak_model_w / tolerance_w);
        if (l != k.leak_handed_w) {
          k.leak_handed_w = l;
          leak_w[c] = l;
          changed = true;
        }
      }
      const double lim = thermal::gpu_thermal_limit_w(k.p, coolant_c(k.liquid));
      if (!k.throttled && k.t_c >= k.p.throttle_c) k.throttled = true;
      else if (k.throttled && lim >= power::gpu_power_w(*k.profile, power::GpuPhase::Compute)) k.throttled = false;
      cap_w[c] = k.throttled ? lim : std::numeric_limits<double>::infinity();
    }
    return changed;
  }

  GpuThermalOutcome finish() {
    close_all(last_t1);
    sync_out();
    for (auto& k : cohorts) {
      k.limit_alarm.close(out.alarms);
      k.throttle_alarm.close(out.alarms);
    }
    return out;
  }
};

// Checkpoints: every member advance() and update() change, one field list for both directions.
namespace {
template <class Ar, class Impl>
void thermal_fields(Ar& a, Impl& m) {
  for (auto* v : {&m.out.max_junction_c, &m.out.throttled_gpu_s, &m.out.leakage_energy_j}) a.io(*v);
  for (std::size_t c = 0; c < m.cohorts.size(); ++c) {
    auto& k = m.cohorts[c];
    for (auto* v : {&k.t_c, &k.leak_handed_w, &k.leak_model_w, &m.out.cohorts[c].max_junction_c, &m.out.cohorts[c].throttled_s}) a.io(*v);
    a.io(k.throttled);
    for (auto* v : {&k.p_held, &k.leak_held, &k.u, &k.target}) a.io(*v);
    a.io(k.since);
    a.io(k.open);
    alarm_track_fields(a, k.limit_alarm);
    alarm_track_fields(a, k.throttle_alarm);
  }
  alarm_list_fields(a, m.out.alarms);
  a.io(m.reopen_all);
  a.io(m.last_t1);
  for (auto& g : m.groups) {
    for (auto* v : {&g.v, &g.v_limit}) a.io(*v);
    a.io(g.started);
    a.io(g.stepped);
  }
}
}  // namespace

void GpuThermal::save(CheckpointWriter& w) const {
  impl_->sync_out();
  thermal_fields(w, static_cast<const Impl&>(*impl_));
}
void GpuThermal::load(CheckpointReader& r) {
  thermal_fields(r, *impl_);
  impl_->sync_in();
  impl_->open_spans = 0;
  for (const auto& k : impl_->cohorts) impl_->open_spans += k.open ? 1 : 0;
}

GpuThermal::GpuThermal(const Scenario& sc, const Facility& facility, const CoolingSpec& cooling, std::function<double(bool)> coolant_c)
    : impl_(std::make_unique<Impl>(sc, facility, cooling, std::move(coolant_c))) {}
GpuThermal::~GpuThermal() = default;
void GpuThermal::advance(SimTime t0, SimTime t1, const ProcessInput& in) { impl_->advance(t0, t1, in); }
double GpuThermal::last_max_junction_c() const { return impl_->step_max_c; }
double GpuThermal::last_throttled_gpus() const { return impl_->step_throttled_gpus; }
bool GpuThermal::update(SimTime t, std::vector<double>& leak_w, std::vector<double>& cap_w) { return impl_->update(t, leak_w, cap_w); }
bool GpuThermal::halted() const { return impl_->out.runaway.has_value(); }
GpuThermalOutcome GpuThermal::finish() { return impl_->finish(); }

}  // namespace dctwin
