#include "sim/facility/curtailment.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

#include "core/units.h"
#include "models/power/power_cap.h"
#include "sim/facility/facility_storage.h"

namespace dctwin {

namespace {

enum class Mode { Run, Stopped };

struct JobFlex {
  int job = -1;
  bool training = false, active = false;
  double base_w = 0;  // per GPU, step mean (training) or recorded (inference)
  Mode mode = Mode::Run;
  double gpu_w = 0;   // per GPU now
  double cap_lost_gpu_h = 0, cap_extra_j = 0;  // what power_cap charged this job
};

// The window's steady state and the meter power of any variation of it.
struct WindowModel {
  const Scenario& sc;
  const Facility& f;
  const std::vector<JobPlan>& plans;
  std::vector<JobFlex> jobs;
  double cooling_w = 0, it_base_w = 0;

  std::vector<JobState> states(const std::vector<JobFlex>& js) const {
    std::vector<JobState> st(f.cohorts());
    for (const JobFlex& j : js) {
      JobState s;
      s.running = j.active && j.mode == Mode::Run;
      s.phase = s.running ? power::GpuPhase::Compute : power::GpuPhase::Idle;
      if (s.running) s.gpu_w = j.gpu_w;
      for (int c = 0; c < f.cohort_count(j.job); ++c) st[static_cast<std::size_t>(f.first_cohort(j.job) + c)] = s;
    }
    return st;
  }
  double meter_w(const std::vector<JobFlex>& js) const {
    const FacilityPower p = f.evaluate(states(js));
    return p.utility_w + (it_base_w > 0 ? cooling_w * p.it_w / it_base_w : 0.0);
  }
  const power::GpuProfile& profile(int job) const { return sc.profiles[static_cast<std::size_t>(plans[static_cast<std::size_t>(job)].profile)]; }
  power::DvfsCurve curve(int job) const {
    const power::GpuProfile& g = profile(job);
    return g.power_cap ? *g.power_cap : power::DvfsCurve{g.idle_w, 3.0, 0.0};
  }
  // Step period and mean GPU power of a training job under a cap (cap_w <= 0: none).
  std::pair<double, double> step_under_cap(int job, double cap_w) const {
    const JobPlan& p = plans[static_cast<std::size_t>(job)];
    double t = 0, e = 0;
    for (const PlannedPhase& ph : p.step) {
      const double t0 = to_seconds(ph.duration);
      if (cap_w <= 0 || cap_w >= ph.gpu_w) {
        t += t0;
        e += ph.gpu_w * t0;
        continue;
      }
      const power::CappedPhase c = power::apply_power_cap(ph.gpu_w, curve(job), cap_w, ph.phase == power::GpuPhase::Compute);
      t += t0 * c.slowdown;
      e += c.power_w * t0 * c.slowdown;
    }
    return {t, t > 0 ? e / t : 0.0};
  }
};

double mean_bins(const Recorder& rec, int column, std::size_t k0, std::size_t k1) {
  double e = 0, t = 0;
  for (std::size_t k = k0; k < k1; ++k) {
    const double dt = to_seconds(rec.bin_length(k));
    e += rec.bin_mean_w(k, column) * dt;
    t += dt;
  }
  return t > 0 ? e / t : 0.0;
}

WindowModel window_model(const Scenario& sc, const Facility& f, const std::vector<JobPlan>& plans, const Recorder& rec,
                         const CurtailmentSpec& c, std::size_t k0, std::size_t k1) {
  WindowModel m{sc, f, plans, {}, 0, 0};
  const double end = c.at_s + c.duration_s;
  double inference_gpus = 0;
  for (std::size_t j = 0; j < sc.jobs.size(); ++j) {
    const JobSpec& js = sc.jobs[j];
    JobFlex x;
    x.job = static_cast<int>(j);
    x.training = js.kind == "training";
    x.active = js.start_s <= c.at_s && (!js.stop_s || *js.stop_s >= end);
    x.base_w = x.training ? m.step_under_cap(x.job, 0).second : plans[j].idle_w;
    if (x.active && !x.training) inference_gpus += static_cast<double>(plans[j].gpus);
    x.gpu_w = x.base_w;
    m.jobs.push_back(x);
  }
  // Inference: the recorded GPU power over the window above what the rest of the campus draws.
  const double rest_gpu_w = f.evaluate(m.states(m.jobs)).it.gpu_w;
  const double extra = inference_gpus > 0 ? std::max(0.0, mean_bins(rec, kGpu, k0, k1) - rest_gpu_w) / inference_gpus : 0.0;
  for (JobFlex& x : m.jobs)
    if (x.active && !x.training) x.base_w = x.gpu_w = std::min(plans[static_cast<std::size_t>(x.job)].tdp_w, x.base_w + extra);
  if (rec.has_cooling()) {
    m.cooling_w = mean_bins(rec, kCooling, k0, k1);
    m.it_base_w = f.evaluate(m.states(m.jobs)).it_w;
  }
  return m;
}

// The window's recorded meter and what the strategies took off it so far.
struct EventState {
  double at_s = 0, ceiling_w = 0;
  std::vector<double> t_s, dt_s, meter_w, battery_w;
  struct Steady {
    double reduction_w, delay_s;
  };
  std::vector<Steady> steady;
  bool applies(std::size_t i, double delay_s) const { return delay_s <= 0 || t_s[i] + 1e-9 >= at_s + delay_s; }
  double curtailed_w(std::size_t i) const {
    double w = meter_w[i] - battery_w[i];
    for (const Steady& s : steady)
      if (applies(i, s.delay_s)) w -= s.reduction_w;
    return w;
  }
  // The most the window still needs, over the intervals a strategy acting after `delay_s` reaches.
  double worst_remaining(double delay_s) const {
    double r = 0;
    for (std::size_t i = 0; i < t_s.size(); ++i)
      if (applies(i, delay_s)) r = std::max(r, curtailed_w(i) - ceiling_w);
    return r;
  }
  double time_applied_s(double delay_s) const {
    double t = 0;
    for (std::size_t i = 0; i < t_s.size(); ++i)
      if (applies(i, delay_s)) t += dt_s[i];
    return t;
  }
};

double gpus_of(const WindowModel& m, int job) { return static_cast<double>(m.plans[static_cast<std::size_t>(job)].gpus); }

// The least intrusive level that meets the need, by bisection between `weak` (does not meet it)
// and `strong` (meets it): the level next to the boundary on the meeting side.
template <class Meets>
double bisect_level(double weak, double strong, const Meets& meets) {
  for (int it = 0; it < 60; ++it) {
    const double mid = 0.5 * (weak + strong);
    if (meets(mid)) strong = mid;
    else weak = mid;
  }
  return strong;
}

// Takes the strategy's job states `after`: their reduction of the meter holds over the window.
// Returns it, or 0 with the states restored when they take nothing off.
double apply_states(WindowModel& m, EventState& ev, const std::vector<JobFlex>& before, double before_w,
                    std::vector<JobFlex> after, StrategyUse& u) {
  m.jobs = std::move(after);
  const double red = before_w - m.meter_w(m.jobs);
  if (!(red > 0)) {
    m.jobs = before;
    return 0;
  }
  ev.steady.push_back({red, 0});
  u.reduction_w = red;
  return red;
}

void use_battery(const Scenario& sc, const StorageSeries* storage, std::size_t ref_bin, EventState& ev, StrategyUse& u,
                 CurtailmentResult& r) {
  if (!sc.storage) return;
  const power::BatteryParams& b = *sc.storage;
  const double stored = storage && ref_bin < storage->energy_j.size() ? storage->energy_j[ref_bin] : sc.storage_initial_soc * b.energy_j;
  double left = std::max(0.0, stored - b.soc_min * b.energy_j) * std::sqrt(b.round_trip_efficiency);  // deliverable
  double delivered = 0;
  for (std::size_t i = 0; i < ev.t_s.size() && left > 0; ++i) {
    const double d = std::min({b.power_w, std::max(0.0, ev.curtailed_w(i) - ev.ceiling_w), left / ev.dt_s[i]});
    ev.battery_w[i] += d;
    left -= d * ev.dt_s[i];
    delivered += d * ev.dt_s[i];
  }
  const double window = std::accumulate(ev.dt_s.begin(), ev.dt_s.end(), 0.0);
  u.reduction_w = window > 0 ? delivered / window : 0.0;
  u.energy_shifted_j = delivered;
  r.extra_energy_j += delivered / b.round_trip_efficiency - delivered;  // recharged after the window
}

void use_power_cap(WindowModel& m, EventState& ev, double min_fraction, double duration_s, StrategyUse& u, CurtailmentResult& r) {
  const double need = ev.worst_remaining(0);
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < m.jobs.size(); ++i)
    if (m.jobs[i].training && m.jobs[i].active && m.jobs[i].mode == Mode::Run && !m.plans[i].step.empty()) idx.push_back(i);
  if (need <= 0 || idx.empty()) return;
  const std::vector<JobFlex> before = m.jobs;
  const double before_w = m.meter_w(before);
  auto capped = [&](double frac) {
    std::vector<JobFlex> js = before;
    for (std::size_t i : idx) js[i].gpu_w = m.step_under_cap(js[i].job, frac * m.plans[i].tdp_w).second;
    return js;
  };
  double lo = min_fraction;
  if (before_w - m.meter_w(capped(lo)) > need)  // the highest cap that meets the need
    lo = bisect_level(1.0, lo, [&](double f) { return before_w - m.meter_w(capped(f)) >= need; });
  if (apply_states(m, ev, before, before_w, capped(lo), u) == 0) return;
  u.cap_fraction = lo;
  for (std::size_t i : idx) {
    const double t0 = m.step_under_cap(m.jobs[i].job, 0).first, t1 = m.step_under_cap(m.jobs[i].job, lo * m.plans[i].tdp_w).first;
    const double q = t1 > 0 ? t0 / t1 : 1.0;  // progress rate under the cap
    m.jobs[i].cap_lost_gpu_h = gpus_of(m, m.jobs[i].job) * duration_s * (1 - q) / 3600.0;
    u.goodput_lost_gpu_h += m.jobs[i].cap_lost_gpu_h;
    // Energy: the window's capped work plus the rest of it done later at the uncapped power, against
    // the uncapped window (each above the job's stopped nodes).
    std::vector<JobFlex> one = before, stop = before;
    one[i] = m.jobs[i];
    stop[i].mode = Mode::Stopped;
    const double stop_w = m.meter_w(stop);
    m.jobs[i].cap_extra_j = duration_s * ((m.meter_w(one) - stop_w) - q * (before_w - stop_w));
    r.extra_energy_j += m.jobs[i].cap_extra_j;
  }
}

// defer (deferrable jobs) or checkpoint_pause (training jobs with a checkpoint): whole jobs stop
// until the window's need is met. Each pick is a best fit: the smallest job whose stop alone meets
// what is still needed, else the largest (so a small need does not stop a large job: less
// progress lost, less overshoot of the asked reduction).
void use_stops(WindowModel& m, EventState& ev, const CurtailmentSpec& c, bool checkpoint, StrategyUse& u, CurtailmentResult& r) {
  std::vector<std::size_t> left;
  for (std::size_t i = 0; i < m.jobs.size(); ++i) {
    const JobFlex& x = m.jobs[i];
    const JobSpec& js = m.sc.jobs[i];
    const bool eligible = checkpoint ? x.training && js.checkpoint.has_value() : js.deferrable;
    if (x.active && x.mode == Mode::Run && eligible) left.push_back(i);
  }
  // A checkpoint taken within the notice; a shorter notice delays the pause.
  const auto delay_of = [&](std::size_t i) {
    return std::max(0.0, (checkpoint ? m.sc.jobs[i].checkpoint->duration_s : 0.0) - c.notice_s);
  };
  double energy = 0;
  while (!left.empty()) {
    const double now_w = m.meter_w(m.jobs);
    std::optional<std::size_t> fit, largest;
    double fit_w = 0, largest_w = -1;
    for (const std::size_t i : left) {
      std::vector<JobFlex> stop = m.jobs;
      stop[i].mode = Mode::Stopped;
      const double red = now_w - m.meter_w(stop);
      const double need = ev.worst_remaining(delay_of(i));
      if (need <= 0) continue;
      if (red >= need && (!fit || red < fit_w)) {
        fit = i;
        fit_w = red;
      }
      if (red > largest_w) {
        largest = i;
        largest_w = red;
      }
    }
    if (!fit && !largest) break;  // nothing is needed any more at any job's start
    const std::size_t i = fit ? *fit : *largest;
    left.erase(std::find(left.begin(), left.end(), i));
    const double ckpt_s = checkpoint ? m.sc.jobs[i].checkpoint->duration_s : 0.0;
    const double delay = delay_of(i);
    const double before_w = m.meter_w(m.jobs);
    std::vector<JobFlex> ck = m.jobs;
    ck[i].gpu_w = m.plans[i].checkpoint_w;
    const double ckpt_w = m.meter_w(ck);
    m.jobs[i].mode = Mode::Stopped;
    // A capped job that stops no longer loses progress to the cap (its window is lost whole).
    for (StrategyUse& cap : r.used)
      if (cap.strategy == FlexStrategy::PowerCap) cap.goodput_lost_gpu_h -= m.jobs[i].cap_lost_gpu_h;
    r.extra_energy_j -= m.jobs[i].cap_extra_j;
    m.jobs[i].cap_lost_gpu_h = m.jobs[i].cap_extra_j = 0;
    const double red = before_w - m.meter_w(m.jobs);
    ev.steady.push_back({red, delay});
    const double applied = ev.time_applied_s(delay);
    energy += red * applied;
    u.delay_s = std::max(u.delay_s, delay);
    u.jobs.push_back(m.sc.jobs[i].name);
    // Time lost, no work lost: the checkpoint and the window (training), the window (deferred).
    u.goodput_lost_gpu_h += gpus_of(m, static_cast<int>(i)) * (ckpt_s + c.duration_s) / 3600.0;
    if (checkpoint) r.extra_energy_j += (ckpt_w - m.meter_w(m.jobs)) * ckpt_s;
  }
  const double window = ev.time_applied_s(0);
  u.reduction_w = window > 0 ? energy / window : 0.0;
  u.energy_shifted_j = energy;
}

void use_inference_shed(WindowModel& m, EventState& ev, double duration_s, StrategyUse& u) {
  const double need = ev.worst_remaining(0);
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < m.jobs.size(); ++i)
    if (!m.jobs[i].training && m.jobs[i].active && m.jobs[i].mode == Mode::Run) idx.push_back(i);
  if (need <= 0 || idx.empty()) return;
  const std::vector<JobFlex> before = m.jobs;
  const double before_w = m.meter_w(before);
  auto shed = [&](double s) {
    std::vector<JobFlex> js = before;
    for (std::size_t i : idx) js[i].gpu_w = js[i].base_w - s * (js[i].base_w - m.plans[i].idle_w);
    return js;
  };
  double hi = 1;
  if (before_w - m.meter_w(shed(hi)) > need)  // the smallest share that meets the need
    hi = bisect_level(0.0, hi, [&](double x) { return before_w - m.meter_w(shed(x)) >= need; });
  if (apply_states(m, ev, before, before_w, shed(hi), u) == 0) return;
  u.shed_fraction = hi;
  for (std::size_t i : idx) u.goodput_lost_gpu_h += gpus_of(m, static_cast<int>(i)) * hi * duration_s / 3600.0;
}

void finish_event(const Recorder& rec, const Scenario& sc, std::size_t k1, const EventState& ev, CurtailmentResult& r) {
  const double tol = 1e-9 * std::max(1.0, r.reference_w);
  double worst = -std::numeric_limits<double>::infinity(), removed = 0;
  std::optional<std::size_t> last_above;
  r.curtailed_w.resize(ev.t_s.size());
  for (std::size_t i = 0; i < ev.t_s.size(); ++i) {
    r.curtailed_w[i] = ev.curtailed_w(i);
    worst = std::max(worst, r.curtailed_w[i]);
    removed += (ev.meter_w[i] - r.curtailed_w[i]) * ev.dt_s[i];
    if (r.curtailed_w[i] > ev.ceiling_w + tol) last_above = i;
  }
  r.achieved_w = ev.t_s.empty() ? 0.0 : r.reference_w - worst;
  r.held = !ev.t_s.empty() && !last_above;
  if (!ev.t_s.empty() && (!last_above || *last_above + 1 < ev.t_s.size()))
    r.time_to_target_s = last_above ? std::max(0.0, ev.t_s[*last_above + 1] - ev.at_s) : 0.0;
  // Conservation: what the strategies say they took equals what left the meter.
  double claimed = 0;
  for (std::size_t i = 0; i < ev.t_s.size(); ++i) claimed += ev.battery_w[i] * ev.dt_s[i];
  for (const auto& s : ev.steady) claimed += s.reduction_w * ev.time_applied_s(s.delay_s);
  r.balance_rel_error = std::abs(claimed - removed) / std::max({std::abs(claimed), std::abs(removed), 1e-300});
  if (claimed == 0 && removed == 0) r.balance_rel_error = 0;
  // Rebound: the recorded meter after the window plus the battery recharging at up to its power.
  if (k1 >= rec.bin_count()) return;
  double recharge_j = 0;
  for (const StrategyUse& u : r.used)
    if (u.strategy == FlexStrategy::FacilityBattery && sc.storage) recharge_j += u.energy_shifted_j / sc.storage->round_trip_efficiency;
  double peak = 0;
  for (std::size_t k = k1; k < rec.bin_count() && (k == k1 || recharge_j > 0); ++k) {
    const double dt = to_seconds(rec.bin_length(k));
    const double c = sc.storage ? std::min(sc.storage->power_w, recharge_j / dt) : 0.0;
    recharge_j -= c * dt;
    peak = std::max(peak, rec.bin_mean_w(k, kUtility) + c);
  }
  r.rebound_peak_w = peak;
}

}  // namespace

constexpr double kReferenceWindowS = 60;

CurtailmentResult simulate_curtailment(const Scenario& sc, const Facility& f, const std::vector<JobPlan>& plans, const Recorder& rec,
                                       const StorageSeries* storage, const CurtailmentSpec& c) {
  CurtailmentResult r;
  r.spec = c;
  const double step = to_seconds(rec.bin_width());
  const std::size_t n = rec.bin_count();
  const double notice_t = std::max(0.0, c.at_s - c.notice_s);
  // Reference: the mean over the output intervals of the minute before notice (at least one), so
  // that one phase of a training step (a communication dip, a compute peak) does not set it.
  const std::size_t ref_end = std::max<std::size_t>(1, std::min(n, static_cast<std::size_t>(std::floor(notice_t / step + 1e-9))));
  const std::size_t ref_bins = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(kReferenceWindowS / step - 1e-9)));
  const std::size_t ref_begin = ref_end > ref_bins ? ref_end - ref_bins : 0;
  const std::size_t k0 = std::min(n, static_cast<std::size_t>(std::floor(c.at_s / step + 1e-9)));
  const std::size_t k1 = std::min(n, static_cast<std::size_t>(std::ceil((c.at_s + c.duration_s) / step - 1e-9)));
  double ref_j = 0, ref_s = 0;
  for (std::size_t k = ref_begin; k < ref_end && k < n; ++k) {
    const double len = to_seconds(rec.bin_length(k));
    ref_j += rec.bin_mean_w(k, kUtility) * len;
    ref_s += len;
  }
  r.reference_w = ref_s > 0 ? ref_j / ref_s : 0.0;
  r.asked_w = c.reduce_pct ? r.reference_w * *c.reduce_pct / 100.0 : std::max(0.0, r.reference_w - *c.target_w);
  EventState ev;
  ev.at_s = c.at_s;
  ev.ceiling_w = r.reference_w - r.asked_w;
  for (std::size_t k = k0; k < k1; ++k) {
    ev.t_s.push_back(to_seconds(rec.bin_start(k)));
    ev.dt_s.push_back(to_seconds(rec.bin_length(k)));
    ev.meter_w.push_back(rec.bin_mean_w(k, kUtility));
  }
  ev.battery_w.assign(ev.t_s.size(), 0.0);
  if (k1 > k0) {
    WindowModel m = window_model(sc, f, plans, rec, c, k0, k1);
    for (FlexStrategy s : sc.flexibility.strategies) {
      StrategyUse u;
      u.strategy = s;
      switch (s) {
        case FlexStrategy::FacilityBattery: use_battery(sc, storage, ref_end - 1, ev, u, r); break;
        case FlexStrategy::PowerCap: use_power_cap(m, ev, sc.flexibility.min_cap_fraction, c.duration_s, u, r); break;
        case FlexStrategy::Defer: use_stops(m, ev, c, false, u, r); break;
        case FlexStrategy::CheckpointPause: use_stops(m, ev, c, true, u, r); break;
        case FlexStrategy::InferenceShed: use_inference_shed(m, ev, c.duration_s, u); break;
      }
      if (u.reduction_w > 0) r.used.push_back(u);
    }
  }
  for (const StrategyUse& u : r.used) {
    r.goodput_lost_gpu_h += u.goodput_lost_gpu_h;
    r.energy_shifted_j += u.energy_shifted_j;
  }
  finish_event(rec, sc, k1, ev, r);
  return r;
}

std::vector<CurtailmentResult> simulate_curtailments(const Scenario& sc, const Facility& facility, const std::vector<JobPlan>& plans,
                                                     const Recorder& rec, const StorageSeries* storage) {
  std::vector<CurtailmentResult> out;
  for (const CurtailmentSpec& c : sc.curtailments) out.push_back(simulate_curtailment(sc, facility, plans, rec, storage, c));
  return out;
}

json curtailments_json(const std::vector<CurtailmentResult>& results) {
  if (results.empty()) return nullptr;
  json out = json::array();
  auto opt = [](const std::optional<double>& v, double scale) { return v ? json(*v * scale) : json(nullptr); };
  for (const CurtailmentResult& r : results) {
    json strategies = json::array();
    for (const StrategyUse& u : r.used) {
      json s = {{"name", to_string(u.strategy)},
                {"mw", u.reduction_w / 1e6},
                {"delay_s", u.delay_s},
                {"goodput_lost_gpu_hours", u.goodput_lost_gpu_h},
                {"energy_shifted_mwh", u.energy_shifted_j / units::kJPerMWh}};
      if (u.cap_fraction) s["cap_fraction_of_tdp"] = *u.cap_fraction;
      if (u.shed_fraction) s["shed_fraction"] = *u.shed_fraction;
      if (u.strategy == FlexStrategy::Defer || u.strategy == FlexStrategy::CheckpointPause) s["jobs"] = u.jobs;
      strategies.push_back(s);
    }
    out.push_back({{"json_path", r.spec.json_path},
                   {"at_s", r.spec.at_s},
                   {"notice_s", r.spec.notice_s},
                   {"duration_s", r.spec.duration_s},
                   {"reference_mw", r.reference_w / 1e6},
                   {"asked_mw", r.asked_w / 1e6},
                   {"achieved_mw", r.achieved_w / 1e6},
                   {"held", r.held},
                   {"time_to_target_s", opt(r.time_to_target_s, 1.0)},
                   {"strategies", strategies},
                   {"goodput_lost_gpu_hours", r.goodput_lost_gpu_h},
                   {"energy_shifted_mwh", r.energy_shifted_j / units::kJPerMWh},
                   {"extra_energy_mwh", r.extra_energy_j / units::kJPerMWh},
                   {"rebound_peak_mw", opt(r.rebound_peak_w, 1e-6)},
                   {"energy_balance_rel_error", r.balance_rel_error}});
  }
  return out;
}

}  // namespace dctwin
