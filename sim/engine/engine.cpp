#include "sim/engine/engine.h"

#include "sim/engine/event_queue.h"
#include "sim/engine/fan_lag.h"
#include "sim/jobs/job_runner.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <unordered_map>

namespace dctwin {

namespace {
// Facility power as a pure function of the cohort states, memoised: a training campus cycles
// through a limited set of states (each cohort computing, waiting, communicating, ...), so results
// are kept in a hash table keyed by the state vector (compared bit for bit) and a hit returns
// exactly what the evaluator would. Misses go to the incremental FacilityEvaluator, which diffs
// against the state it last evaluated. The table is emptied when it holds kEntries states.
class FacilityPowerCache {
 public:
  explicit FacilityPowerCache(FacilityEvaluator& ev) : ev_(ev) {}
  // Power for `state`; `unit_load` points to the per-unit loads: a table entry's or the
  // evaluator's, valid until the next call (only a call clears the table or updates the
  // evaluator). `changed` (may be null) gets the vertices whose load may differ from every load
  // seen before (empty on a hit: a state seen before has loads seen before).
  // `candidates` (may be null): the cohorts whose state may differ from the previous call's.
  // `since_previous` (may be null) gets the vertices whose load may differ from the previous
  // call's (nullptr: any may; a hit, or the evaluator not at the previous call's states).
  FacilityPower evaluate(const std::vector<JobState>& state, const std::vector<double>*& unit_load,
                         const std::vector<Vertex>** changed, const std::vector<std::size_t>* candidates = nullptr,
                         const std::vector<Vertex>** since_previous = nullptr) {
    if (since_previous) *since_previous = nullptr;
    // Windows of kWindow calls: the table is used in a window after one where at least half the
    // lookups hit; after one where fewer did it is bypassed (straight to the evaluator) for
    // `bypass_` windows, then tried again. `bypass_` doubles with every failed try, up to
    // kMaxBypass (a run whose states never recur stops paying for hashing and storing them), and
    // is back to one after a good window. Either way the result is the evaluator's, bit for bit.
    if (++calls_ % kWindow == 0) {
      if (bypass_left_ > 0) {
        --bypass_left_;
      } else if (hits_ * 2 >= kWindow) {
        bypass_ = 1;
      } else {
        bypass_left_ = bypass_;
        bypass_ = std::min(2 * bypass_, kMaxBypass);
      }
      hits_ = 0;
    }
    if (bypass_left_ > 0) {
      // The evaluator holds the previous call's states unless that call was a hit.
      const FacilityPower p = ev_.update(state, synced_ ? candidates : nullptr);
      if (since_previous && synced_) *since_previous = &ev_.last_recomputed();
      synced_ = true;
      unit_load = &ev_.unit_load_w();
      if (changed) *changed = &ev_.last_recomputed();
      return p;
    }
    const std::uint64_t h = hash(state);
    auto [lo, hi] = table_.equal_range(h);
    for (auto it = lo; it != hi; ++it)
      if (std::equal(state.begin(), state.end(), it->second.state.begin(), it->second.state.end(), same_job_state)) {
        unit_load = &it->second.unit_load;
        ++hits_;
        synced_ = false;
        if (changed) *changed = &none_;
        return it->second.power;
      }
    const FacilityPower p = ev_.update(state);
    if (since_previous && synced_) *since_previous = &ev_.last_recomputed();
    synced_ = true;
    unit_load = &ev_.unit_load_w();
    if (changed) *changed = &ev_.last_recomputed();
    if (table_.size() >= kEntries) table_.clear();
    table_.emplace(h, Entry{state, p, ev_.unit_load_w()});
    return p;
  }
  // Forgets every state (the racks' supply changed: the same job states give other powers now).
  void clear() { table_.clear(); }

 private:
  static constexpr std::size_t kEntries = 1024;
  static constexpr std::uint64_t kWindow = 4096;
  static constexpr std::uint64_t kMaxBypass = 64;
  std::uint64_t calls_ = 0, hits_ = 0;
  std::uint64_t bypass_ = 1, bypass_left_ = 0;  // windows
  bool synced_ = false;  // the evaluator holds the previous call's states
  struct Entry {
    std::vector<JobState> state;
    FacilityPower power;
    std::vector<double> unit_load;
  };
  static std::uint64_t hash(const std::vector<JobState>& state) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the fields' bits
    auto mix = [&h](std::uint64_t v) {
      h ^= v;
      h *= 1099511628211ull;
    };
    for (const auto& s : state) {
      mix(static_cast<std::uint64_t>(s.running) | (static_cast<std::uint64_t>(s.phase) << 1));
      mix(std::bit_cast<std::uint64_t>(s.gpu_w));
      mix(std::bit_cast<std::uint64_t>(s.active_fraction));
      mix(std::bit_cast<std::uint64_t>(s.leak_w));
      mix(std::bit_cast<std::uint64_t>(s.fan_gpu_w));
      mix(std::bit_cast<std::uint64_t>(s.fan_active));
    }
    return h;
  }
  FacilityEvaluator& ev_;
  std::unordered_multimap<std::uint64_t, Entry> table_;
  const std::vector<Vertex> none_;
};

// The engine's state at an event boundary, for checkpoints and stops (sim/engine/checkpoint.h).
struct EngineCheckpoint {
  EngineResult& res;
  CapacityTracker& capacity;
  std::vector<JobRunner>& runners;
  EventQueue<int>& q;
  std::vector<JobState>& state;
  FacilityPowerCache& evaluator;  // the power and per-unit loads follow from `state` (not saved)
  FacilityEvaluator& incremental;
  RackStorage& storage;  // with rack storage the power also follows from its state
  FanLag& fans;
  SimTime& next_storage;
  const std::vector<double>*& unit_load;
  FacilityPower& power;
  std::vector<double>& leak;      // junction feedback: leakage and thermal caps per cohort
  std::vector<double>& caps;
  SimTime& next_tick;
  SimTime& t_prev;
  SimTime& next_progress;
  const EngineOptions& options;
  SimTime end;
  SimTime next_checkpoint = options.checkpoint_every;

  std::string save() const;
  void load(const std::string& bytes);
  // After the events at t_prev: writes a checkpoint when one is due; true when the run stops here
  // (EngineOptions::stop, or `halt`: the feedback halted the run, no checkpoint then).
  bool at_boundary(bool halt);
};
}  // namespace

EngineResult run_engine(const Scenario& sc, const Facility& facility, const EngineOptions& options) {
  const SimTime end = to_simtime(sc.duration_s);
  const SimTime bin = to_simtime(sc.output_step_s);
  EngineResult res{Recorder(end, bin), {}, {}, options.plans ? *options.plans : plan_jobs(sc, facility), {}, nullptr, nullptr};
  CapacityTracker capacity(facility);
  res.racks = std::make_shared<RackSeries>(facility, end, std::min(end, to_simtime(sc.rack_series_step_s)));

  std::vector<JobRunner> runners;
  runners.reserve(sc.jobs.size());
  for (std::size_t j = 0; j < sc.jobs.size(); ++j) runners.emplace_back(sc.jobs[j], res.plans[j], end, sc.seed);
  if (options.power_losses) {
    if (options.power_losses->size() != runners.size() || options.resume_state || options.checkpoint)
      throw std::logic_error("power losses need one list per job and a run without checkpoints");
    for (std::size_t j = 0; j < runners.size(); ++j) runners[j].set_power_losses((*options.power_losses)[j]);
  }
  // Racks without supply: the times their supply changes (offs and ons, in time order).
  std::vector<std::pair<SimTime, std::size_t>> supply_changes;  // (time, index into rack_outages: off; + size: on)
  if (options.rack_outages) {
    if (options.resume_state || options.checkpoint) throw std::logic_error("rack outages need a run without checkpoints");
    const auto& ro = *options.rack_outages;
    for (std::size_t i = 0; i < ro.size(); ++i) {
      if (ro[i].racks <= 0 || ro[i].racks > facility.graph()[ro[i].rack].multiplicity || ro[i].on <= ro[i].off)
        throw std::logic_error("rack outages need 1 to all racks of a rack group over a non-empty interval");
      supply_changes.push_back({ro[i].off, i});
      if (ro[i].on != kNever) supply_changes.push_back({ro[i].on, ro.size() + i});
    }
    std::sort(supply_changes.begin(), supply_changes.end());
  }
  std::size_t supply_i = 0;
  std::unordered_map<Vertex, std::int64_t> racks_off;  // per rack vertex: its racks without supply now

  // One pending entry per job: only a job changes its own next time.
  EventQueue<int> q;
  for (std::size_t j = 0; j < runners.size(); ++j)
    if (const SimTime t = runners[j].next_time(); t != kNever) q.push(t, 0, static_cast<int>(j));

  std::vector<JobState> state(facility.cohorts());
  FanLag fans(sc, facility, res.plans, end);  // node fans' control lag (sim/engine/fan_lag.h)
  {
    std::vector<double> nameplate_load;
    facility.evaluate_nameplate(&nameplate_load);
    capacity.set_nameplate(nameplate_load);
  }
  FacilityEvaluator incremental(facility);
  FacilityPowerCache evaluator(incremental);
  const std::vector<double>* unit_load = nullptr;  // the evaluator's or the memo's (FacilityPowerCache::evaluate)
  // Rack storage (only when a rack type has it): the facility is evaluated for the job states,
  // the storage controller reads the rack loads and sets its powers, and the evaluator updates the
  // racks it changed and everything above them. The memo is bypassed (storage powers vary).
  FacilityPower power;
  RackStorage storage(sc, facility);
  const bool with_storage = !storage.empty();
  SimTime next_storage = with_storage ? storage.control_step() : kNever;
  auto evaluate_with_storage = [&](SimTime t, bool tick, bool jobs_changed) {
    if (jobs_changed) incremental.update(state);  // else the rack loads are those of the last update
    storage.control(t, next_storage, tick, incremental);
    power = incremental.update(state);
    unit_load = &incremental.unit_load_w();
    res.stats.evaluations += 2;
    res.racks->hold(t, *unit_load, nullptr);
  };
  if (with_storage) {
    incremental.enable_rack_storage();
    evaluate_with_storage(0, true, true);
  } else {
    power = evaluator.evaluate(state, unit_load, nullptr);
    ++res.stats.evaluations;
    res.racks->hold(0, *unit_load, nullptr);
  }
  capacity.observe(0, *unit_load);

  // The cohorts whose state changed at the last event boundary (each once), for the evaluator and
  // the continuous processes; all_touched: any may have (the start, a resume).
  std::vector<std::size_t> touched;
  std::vector<char> is_touched(state.size(), 0);
  bool all_touched = true;
  const std::vector<std::size_t> no_cohorts;
  auto touch = [&](std::size_t c) {
    if (is_touched[c]) return;
    is_touched[c] = 1;
    touched.push_back(c);
  };
  std::vector<std::size_t> fan_changed;
  auto record = [&](SimTime a, SimTime b) {
    if (b <= a) return;
    res.recorder.add(a, b, to_row(power), power.it);
    if (with_storage) storage.advance(a, b);
    for (auto& r : runners) r.accumulate(a, b);
    if (options.processes.empty()) return;
    const SimTime step = options.continuous_step;
    for (SimTime x = a; x < b;) {
      const SimTime next_grid = (x / step + 1) * step;
      const SimTime y = std::min(b, next_grid);
      const ProcessInput in{power, state, *unit_load, x == a ? (all_touched ? nullptr : &touched) : &no_cohorts};
      bool feeds_load = false;
      double feed_w = 0;
      for (auto* p : options.processes) {
        p->advance(x, y, in);
        if (const auto w = p->feed_load_w()) feeds_load = true, feed_w += *w;
      }
      if (feeds_load) capacity.observe_feeds(x, *unit_load, feed_w);
      x = y;
    }
    all_touched = false;
  };

  // Feedback ticks at every continuous-step boundary (only with a feedback).
  std::vector<double> leak(state.size(), 0.0), caps(state.size(), std::numeric_limits<double>::infinity());
  SimTime next_tick = options.feedback ? options.continuous_step : kNever;

  SimTime t_prev = 0;
  SimTime next_progress = 0;
  const SimTime progress_every = std::max<SimTime>(1, end / 100);
  EngineCheckpoint ck{res,  capacity,  runners, q,      state,         evaluator, incremental, storage, fans, next_storage,
                      unit_load, power, leak, caps, next_tick, t_prev, next_progress, options,  end};
  if (options.resume_state) ck.load(*options.resume_state);
  for (;;) {
    const SimTime t_event = q.empty() ? kNever : q.top().time;
    const SimTime next_supply = supply_i < supply_changes.size() ? supply_changes[supply_i].first : kNever;
    const SimTime t = std::min({t_event, next_tick, next_storage, fans.next_time(), next_supply});
    if (t >= end) break;
    record(t_prev, t);
    for (const std::size_t c : touched) is_touched[c] = 0;
    touched.clear();
    bool changed = false;
    bool supply_changed = false;
    for (; supply_i < supply_changes.size() && supply_changes[supply_i].first == t; ++supply_i) {
      const auto& ro = *options.rack_outages;
      const std::size_t i = supply_changes[supply_i].second;
      const RackOutage& o = ro[i % ro.size()];
      std::int64_t& n = racks_off[o.rack];
      n += i < ro.size() ? o.racks : -o.racks;
      const std::int64_t m = facility.graph()[o.rack].multiplicity;
      incremental.set_rack_unpowered(o.rack, static_cast<double>(std::clamp<std::int64_t>(n, 0, m)) / static_cast<double>(m));
      changed = supply_changed = true;
    }
    if (t == next_tick) {
      next_tick += options.continuous_step;
      changed = options.feedback->update(t, leak, caps);
      for (std::size_t j = 0; j < runners.size(); ++j) {
        const auto first = static_cast<std::size_t>(facility.first_cohort(static_cast<int>(j)));
        runners[j].set_thermal_caps(caps.data() + first, options.dvfs_exponent);
      }
      if (changed) {
        for (std::size_t c = 0; c < state.size(); ++c)
          if (std::bit_cast<std::uint64_t>(state[c].leak_w) != std::bit_cast<std::uint64_t>(leak[c])) {
            state[c].leak_w = leak[c];
            touch(c);
          }
        fans.touch_all();
      }
    }
    while (!q.empty() && q.top().time == t) {
      changed = true;
      const int j = q.pop().payload;
      ++res.stats.events;
      JobRunner& r = runners[static_cast<std::size_t>(j)];
      r.advance(t);
      // The cohorts the event changed take the runner's fields (their leakage and fan inputs stay).
      const auto& cs = r.states();
      const auto first = static_cast<std::size_t>(facility.first_cohort(j));
      for (const std::size_t k : r.changed()) {
        const std::size_t c = first + k;
        JobState& s = state[c];
        s.running = cs[k].running;
        s.phase = cs[k].phase;
        s.gpu_w = cs[k].gpu_w;
        s.active_fraction = cs[k].active_fraction;
        touch(c);
        fans.touch_cohort(c);
      }
      if (const SimTime tn = r.next_time(); tn != kNever) q.push(tn, 0, j);
    }
    if (fans.enabled()) {
      fan_changed.clear();
      if (fans.update(t, next_tick, runners, state, &fan_changed)) changed = true;
      for (const std::size_t c : fan_changed) touch(c);
    }
    const bool storage_tick = t == next_storage;
    const bool halt = options.feedback && options.feedback->halted();
    if (!changed && !storage_tick && !halt) {
      t_prev = t;
      continue;
    }
    if (with_storage) {
      if (storage_tick) next_storage += storage.control_step();
      evaluate_with_storage(t, storage_tick, changed);
      capacity.observe(t, *unit_load);
    } else {
      const std::vector<Vertex>* loads_changed = nullptr;
      const std::vector<Vertex>* since_previous = nullptr;
      if (supply_changed) evaluator.clear();  // a miss: the evaluator applies the racks' supply
      power = evaluator.evaluate(state, unit_load, &loads_changed, &touched, &since_previous);
      ++res.stats.evaluations;
      res.racks->hold(t, *unit_load, since_previous);
      capacity.observe(t, *unit_load, *loads_changed);
    }
    t_prev = t;
    if (ck.at_boundary(halt)) return res;  // stopped (EngineOptions::stop, or halted): results up to t
    if (options.progress && t >= next_progress) {
      options.progress(static_cast<double>(t) / static_cast<double>(end));
      next_progress = t + progress_every;
    }
  }
  record(t_prev, end);
  res.racks->flush(end);
  res.simulated_to = end;
  if (with_storage) res.rack_storage = std::make_shared<const RackStorageOutcome>(storage.outcome());
  if (options.progress) options.progress(1.0);
  res.capacity = capacity.entries();
  for (const auto& r : runners) res.job_stats.push_back(r.stats());
  return res;
}

namespace {

std::string EngineCheckpoint::save() const {
  CheckpointWriter w;
  w.put(t_prev);
  w.put(next_progress);
  w.put(res.stats);
  save_job_states(w, state);
  w.put_vector(leak);
  w.put_vector(caps);
  w.put(next_tick);
  w.put(q.next_seq());
  w.put_vector(q.items());
  res.recorder.save(w);
  res.racks->save(w);
  capacity.save(w);
  for (const auto& r : runners) r.save(w);
  fans.save(w);
  for (const auto* p : options.processes) p->save(w);
  if (!storage.empty()) {
    w.put(next_storage);
    storage.save(w);
  }
  return w.take();
}

void EngineCheckpoint::load(const std::string& bytes) {
  CheckpointReader r(bytes);
  r.get(t_prev);
  r.get(next_progress);
  if (t_prev < 0 || t_prev >= end) throw CheckpointError("a time within the run", std::to_string(t_prev) + " ns");
  r.get(res.stats);
  load_job_states(r, state);
  r.get_vector_sized(leak, leak.size());
  r.get_vector_sized(caps, caps.size());
  for (double l : leak)
    if (!std::isfinite(l)) throw CheckpointError("finite GPU leakage powers", std::to_string(l));
  for (double c : caps)
    if (!(c > 0)) throw CheckpointError("positive GPU thermal power limits", std::to_string(c));
  r.get(next_tick);
  // Feedback ticks exist only with a feedback (found by fuzz_checkpoint: a tick in a checkpoint of a
  // run without one called through a null feedback).
  if (options.feedback ? (next_tick <= t_prev || next_tick - t_prev > options.continuous_step) : next_tick != kNever)
    throw CheckpointError(options.feedback ? "the next feedback tick within one continuous step" : "no feedback tick",
                          std::to_string(next_tick) + " ns");
  power = evaluator.evaluate(state, unit_load, nullptr);  // bit-identical to the power at the checkpoint
  const auto seq = r.get<std::uint64_t>();
  std::vector<EventQueue<int>::Item> items;
  r.get_vector(items);
  for (const auto& it : items)
    if (it.payload < 0 || static_cast<std::size_t>(it.payload) >= runners.size() || it.time < t_prev)
      throw CheckpointError("events of this scenario's jobs", "an event out of range");
  q.restore(items, seq);
  res.recorder.load(r);
  res.racks->load(r);
  capacity.load(r);
  for (auto& jr : runners) {
    jr.load(r);
    if (jr.next_time() < t_prev) throw CheckpointError("job states at or after the checkpoint's time", "one in the past");
  }
  fans.load(r, t_prev);
  for (auto* p : options.processes) p->load(r);
  if (!storage.empty()) {
    r.get(next_storage);
    if (next_storage <= t_prev || next_storage - t_prev > storage.control_step())
      throw CheckpointError("the next storage control step within one step", std::to_string(next_storage) + " ns");
    storage.load(r);
    storage.apply(incremental);
    power = incremental.update(state);  // bit-identical to the power at the checkpoint
    unit_load = &incremental.unit_load_w();
  }
  if (!r.at_end()) throw CheckpointError("a checkpoint of this scenario", "data left over");
  if (options.checkpoint_every > 0) next_checkpoint = (t_prev / options.checkpoint_every + 1) * options.checkpoint_every;
}

bool EngineCheckpoint::at_boundary(bool halt) {
  const bool stop = options.stop && options.stop->load() && t_prev > 0;
  const bool due = options.checkpoint_every > 0 && t_prev >= next_checkpoint;
  if (!halt && (stop || due) && options.checkpoint) options.checkpoint(save(), t_prev);
  if (due) next_checkpoint = (t_prev / options.checkpoint_every + 1) * options.checkpoint_every;
  if (!stop && !halt) return false;
  res.partial = true;
  res.halted = halt;
  res.simulated_to = t_prev;
  res.recorder.truncate(t_prev);
  res.racks->truncate(t_prev);
  res.capacity = capacity.entries();
  for (const auto& r : runners) res.job_stats.push_back(r.stats());
  if (!storage.empty()) res.rack_storage = std::make_shared<const RackStorageOutcome>(storage.outcome());
  return true;
}

}  // namespace

}  // namespace dctwin
