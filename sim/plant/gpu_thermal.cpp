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
  };
  std::vector<Cohort> cohorts;
  double step_max_c = std::numeric_limits<double>::quiet_NaN();  // of the last advance (not state)
  double step_throttled_gpus = 0;                                   // of the last advance (not state)
  std::function<double(bool)> coolant_c;
  bool leakage = false;
  double tolerance_w = 0.5;
  GpuThermalOutcome out;
  double last_tau = -1, last_dt = -1, last_decay = 0;
  std::vector<double> max_c;  // per cohort: highest junction temperature so far (-inf: none; see advance)

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
      cohorts.push_back(k);
    }
    max_c.assign(cohorts.size(), -std::numeric_limits<double>::infinity());
  }

  // The cohort's mean profile power per GPU (without leakage, which the model adds from T).
  static double cohort_power_w(const Cohort& k, const JobState& s) {
    if (!s.running) return k.idle_w;
    const double active = std::isnan(s.gpu_w) ? k.profile->phase_power_w[static_cast<std::size_t>(s.phase)] : s.gpu_w;
    return s.active_fraction * active + (1.0 - s.active_fraction) * k.idle_w;
  }

  // Called for every piece of constant power (about 44 a simulated second on the 100K-GPU campus
  // with 64 cohorts per job), so the loop reads only what it needs: the cohorts' maxima are kept in
  // max_c (-inf until the first value, written back to out.cohorts by sync_out()), the global and
  // the step's maximum in locals. Every value is computed as in gpu_junction_step_c with the same
  // operations in the same order (bit for bit the junction temperatures, maxima and sums of before).
  void advance(SimTime t0, SimTime t1, const ProcessInput& in) {
    const double dt = to_seconds(t1 - t0), ts0 = to_seconds(t0), ts1 = to_seconds(t1);
    constexpr double kNone = -std::numeric_limits<double>::infinity();
    double step_max = kNone;
    double all_max = std::isnan(out.max_junction_c) ? kNone : out.max_junction_c;
    step_throttled_gpus = 0;
    // The coolant temperatures are the plant's of this step (they do not change during it).
    const double coolant_liquid_c = coolant_c(true), coolant_air_c = coolant_c(false);
    double leak_j = out.leakage_energy_j;
    const std::size_t n = cohorts.size();
    for (std::size_t c = 0; c < n; ++c) {
      Cohort& k = cohorts[c];
      const JobState& s = in.cohorts[c];
      const double tc = k.liquid ? coolant_liquid_c : coolant_air_c;
      leak_j += s.leak_w * k.gpus * dt;
      if (std::isnan(k.t_c)) [[unlikely]] {  // GPUs idle before the run: start from their idle steady state
        const double t_idle = thermal::gpu_junction_steady_c(k.p, k.idle_w, tc);
        if (std::isinf(t_idle)) {  // there is none: the GPUs could not even idle at this coolant
          if (!out.runaway) record_runaway(c, ts0, tc, std::numeric_limits<double>::quiet_NaN());
          continue;
        }
        k.t_c = t_idle;
        k.leak_model_w = thermal::gpu_leakage_delta_w(k.p, k.t_c);
      }
      // gpu_junction_step_c with the leakage held from the step's start (see the header): the
      // same exponential for every cohort with the same tau, computed once per piece.
      if (k.p.tau_s != last_tau || dt != last_dt) [[unlikely]] {
        last_tau = k.p.tau_s;
        last_dt = dt;
        last_decay = std::exp(-dt / k.p.tau_s);
      }
      const double p = cohort_power_w(k, s);
      const double target = tc + k.p.r_th_k_w * (p + k.leak_model_w);
      const double t_new = target + (k.t_c - target) * last_decay;
      const double t_max = std::max(k.t_c, t_new);  // the exponential is monotone over the step
      max_c[c] = std::max(max_c[c], t_max);
      all_max = std::max(all_max, t_max);
      step_max = std::max(step_max, t_max);
      const bool throttling = k.throttled && s.running;
      if (throttling) [[unlikely]] {
        out.cohorts[c].throttled_s += dt;
        out.throttled_gpu_s += k.gpus * dt;
        step_throttled_gpus += k.gpus;
      }
      // The alarms in the order of before (limit, then throttle): either may close an interval.
      if (t_max > k.p.limit_c) [[unlikely]] k.limit_alarm.update(true, t_max, ts0, ts1, out.alarms);
      if (throttling) [[unlikely]] k.throttle_alarm.update(true, t_max, ts0, ts1, out.alarms);
      k.t_c = t_new;
      // gpu_runaway_escaped is false at or below the runaway point (computed once per cohort).
      if (!(t_new <= k.runaway_point_c) && !out.runaway && thermal::gpu_runaway_escaped(k.p, t_new, k.idle_w, tc)) [[unlikely]] {
        out.leakage_energy_j = leak_j;
        record_runaway(c, ts1, tc, t_new);
      }
    }
    out.leakage_energy_j = leak_j;
    if (all_max != kNone) out.max_junction_c = all_max;
    step_max_c = step_max != kNone ? step_max : std::numeric_limits<double>::quiet_NaN();
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

  bool update(std::vector<double>& leak_w, std::vector<double>& cap_w) {
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
    alarm_track_fields(a, k.limit_alarm);
    alarm_track_fields(a, k.throttle_alarm);
  }
  alarm_list_fields(a, m.out.alarms);
}
}  // namespace

void GpuThermal::save(CheckpointWriter& w) const {
  impl_->sync_out();
  thermal_fields(w, static_cast<const Impl&>(*impl_));
}
void GpuThermal::load(CheckpointReader& r) {
  thermal_fields(r, *impl_);
  impl_->sync_in();
}

GpuThermal::GpuThermal(const Scenario& sc, const Facility& facility, const CoolingSpec& cooling, std::function<double(bool)> coolant_c)
    : impl_(std::make_unique<Impl>(sc, facility, cooling, std::move(coolant_c))) {}
GpuThermal::~GpuThermal() = default;
void GpuThermal::advance(SimTime t0, SimTime t1, const ProcessInput& in) { impl_->advance(t0, t1, in); }
double GpuThermal::last_max_junction_c() const { return impl_->step_max_c; }
double GpuThermal::last_throttled_gpus() const { return impl_->step_throttled_gpus; }
bool GpuThermal::update(SimTime, std::vector<double>& leak_w, std::vector<double>& cap_w) { return impl_->update(leak_w, cap_w); }
bool GpuThermal::halted() const { return impl_->out.runaway.has_value(); }
GpuThermalOutcome GpuThermal::finish() { return impl_->finish(); }

}  // namespace dctwin
