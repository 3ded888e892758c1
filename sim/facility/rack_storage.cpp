#include "sim/facility/rack_storage.h"
#include "core/units.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/power/battery.h"

namespace dctwin {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using units::kJPerMWh;
}  // namespace

struct RackStorage::Impl {
  struct Group {
    Vertex v{};
    double racks = 0;
    power::BatteryParams p;
    double e_j = 0;                      // per rack
    double load_w = 0, storage_w = 0;    // per rack, over the current piece
    double grid_set_w = 0;               // g_k of the current control step
    double prev_grid_w = kNaN, prev_load_w = kNaN;  // means of the previous step (NaN: none yet)
    double step_grid_j = 0, step_load_j = 0;         // per rack, current step so far
    bool step_limited = false;
  };
  SimTime step = 0;
  std::vector<Group> groups;
  RackStorageOutcome out;

  Impl(const Scenario& sc, const Facility& f) {
    const PowerGraph& g = f.graph();
    for (std::size_t v = 0; v < f.vertex_count(); ++v) {
      const Element& e = g[v];
      if (e.stage != Stage::Rack || e.rack_type < 0) continue;
      const RackType& rt = sc.rack_types[static_cast<std::size_t>(e.rack_type)];
      if (!rt.storage) continue;
      Group k;
      k.v = v;
      k.racks = static_cast<double>(e.multiplicity);
      k.p = rt.storage->params;
      k.e_j = rt.storage->initial_soc * k.p.energy_j;
      step = to_simtime(rt.storage->control_step_s);  // one for all (scenario_loader)
      groups.push_back(k);
      RackStorageGroup rg;
      rg.name = e.name;
      rg.rack_type = rt.name;
      rg.racks = e.multiplicity;
      rg.soc_min_seen = rg.soc_max_seen = rt.storage->initial_soc;
      out.groups.push_back(rg);
      out.initial_energy_j += k.e_j * k.racks;
    }
    out.control_step_s = to_seconds(step);
  }

  void advance(SimTime t0, SimTime t1) {
    const double dt = to_seconds(t1 - t0);
    for (std::size_t i = 0; i < groups.size(); ++i) {
      Group& k = groups[i];
      const double grid = k.load_w + k.storage_w;
      k.step_grid_j += grid * dt;
      k.step_load_j += k.load_w * dt;
      out.grid_energy_j += grid * dt * k.racks;
      out.load_energy_j += k.load_w * dt * k.racks;
      const double loss = power::store_energy(k.p, k.e_j, k.storage_w, dt);
      out.loss_j += loss * dt * k.racks;
      if (k.storage_w > 0) out.charge_j += k.storage_w * dt * k.racks;
      else out.discharge_j -= k.storage_w * dt * k.racks;
      RackStorageGroup& rg = out.groups[i];
      const double soc = k.e_j / k.p.energy_j;
      rg.soc_min_seen = std::min(rg.soc_min_seen, soc);
      rg.soc_max_seen = std::max(rg.soc_max_seen, soc);
    }
  }

  // Closes the control step that ends at a tick: its mean grid and load, their ramps.
  void close_step(Group& k, RackStorageGroup& rg) {
    const double dt = to_seconds(step);
    const double grid = k.step_grid_j / dt, load = k.step_load_j / dt;
    const double dg = std::abs(grid - k.prev_grid_w);
    rg.max_grid_ramp_w_s = std::max(rg.max_grid_ramp_w_s, dg / dt);
    rg.max_load_ramp_w_s = std::max(rg.max_load_ramp_w_s, std::abs(load - k.prev_load_w) / dt);
    const double band = k.p.ramp_limit_w_s * dt;
    if (dg > band * (1 + 1e-9) + 1e-9 * std::max(std::abs(grid), std::abs(k.prev_grid_w))) ++rg.ramp_violations;
    if (k.step_limited) ++rg.limited_steps;
    k.prev_grid_w = grid;
    k.prev_load_w = load;
    k.step_grid_j = k.step_load_j = 0;
    k.step_limited = false;
  }

  void control(SimTime t, SimTime next_tick, bool tick, FacilityEvaluator& ev) {
    const double horizon = to_seconds(next_tick - t);
    for (std::size_t i = 0; i < groups.size(); ++i) {
      Group& k = groups[i];
      k.load_w = ev.rack_load_w(k.v) / k.racks;
      if (tick) {
        if (std::isnan(k.prev_grid_w)) k.prev_grid_w = k.prev_load_w = k.load_w;  // t = 0: the rack draws its load
        else close_step(k, out.groups[i]);
        k.grid_set_w = power::ramp_limited_grid_w(k.p, k.e_j, k.prev_grid_w, k.load_w, to_seconds(step));
      }
      k.storage_w = power::storage_power_w(k.p, k.e_j, k.grid_set_w, k.load_w, horizon, 0.0);
      if (k.storage_w != k.grid_set_w - k.load_w) k.step_limited = true;
      ev.set_rack_storage_w(k.v, k.storage_w * k.racks);
    }
  }
};

// Checkpoints: every member advance() and control() change, one field list for both directions.
namespace {
template <class Ar, class Impl>
void storage_fields(Ar& a, Impl& m) {
  for (auto* v : {&m.out.grid_energy_j, &m.out.load_energy_j, &m.out.charge_j, &m.out.discharge_j, &m.out.loss_j}) a.io(*v);
  for (std::size_t i = 0; i < m.groups.size(); ++i) {
    auto& k = m.groups[i];
    auto& rg = m.out.groups[i];
    for (auto* v : {&k.e_j, &k.load_w, &k.storage_w, &k.grid_set_w, &k.prev_grid_w, &k.prev_load_w, &k.step_grid_j, &k.step_load_j,
                    &rg.max_grid_ramp_w_s, &rg.max_load_ramp_w_s, &rg.soc_min_seen, &rg.soc_max_seen})
      a.io(*v);
    a.io(k.step_limited);
    a.io(rg.ramp_violations);
    a.io(rg.limited_steps);
  }
}
}  // namespace

RackStorage::RackStorage(const Scenario& sc, const Facility& facility) : impl_(std::make_unique<Impl>(sc, facility)) {}
RackStorage::~RackStorage() = default;
bool RackStorage::empty() const { return impl_->groups.empty(); }
SimTime RackStorage::control_step() const { return impl_->step; }
void RackStorage::advance(SimTime t0, SimTime t1) { impl_->advance(t0, t1); }
void RackStorage::control(SimTime t, SimTime next_tick, bool tick, FacilityEvaluator& ev) { impl_->control(t, next_tick, tick, ev); }
void RackStorage::apply(FacilityEvaluator& ev) const {
  for (const auto& k : impl_->groups) ev.set_rack_storage_w(k.v, k.storage_w * k.racks);
}
void RackStorage::save(CheckpointWriter& w) const { storage_fields(w, static_cast<const Impl&>(*impl_)); }
void RackStorage::load(CheckpointReader& r) { storage_fields(r, *impl_); }

RackStorageOutcome RackStorage::outcome() const {
  RackStorageOutcome o = impl_->out;
  o.final_energy_j = 0;
  for (const auto& k : impl_->groups) o.final_energy_j += k.e_j * k.racks;
  return o;
}

double RackStorageOutcome::balance_rel_error() const {
  return power::storage_balance_rel_error(grid_energy_j, load_energy_j, initial_energy_j, final_energy_j, loss_j);
}

json rack_storage_summary(const RackStorageOutcome& o) {
  std::uint64_t violations = 0, limited = 0;
  double grid_ramp = 0, load_ramp = 0;
  json groups = json::array();
  for (const auto& g : o.groups) {
    violations += g.ramp_violations;
    limited += g.limited_steps;
    grid_ramp = std::max(grid_ramp, g.max_grid_ramp_w_s);
    load_ramp = std::max(load_ramp, g.max_load_ramp_w_s);
    groups.push_back({{"name", g.name},
                      {"rack_type", g.rack_type},
                      {"racks", g.racks},
                      {"max_grid_ramp_w_per_s", g.max_grid_ramp_w_s},
                      {"max_load_ramp_w_per_s", g.max_load_ramp_w_s},
                      {"ramp_limit_violations", g.ramp_violations},
                      {"limited_steps", g.limited_steps},
                      {"soc_min_pct", 100.0 * g.soc_min_seen},
                      {"soc_max_pct", 100.0 * g.soc_max_seen}});
  }
  return {{"control_step_s", o.control_step_s},
          {"grid_energy_mwh", o.grid_energy_j / kJPerMWh},
          {"load_energy_mwh", o.load_energy_j / kJPerMWh},
          {"charged_mwh", o.charge_j / kJPerMWh},
          {"discharged_mwh", o.discharge_j / kJPerMWh},
          {"losses_mwh", o.loss_j / kJPerMWh},
          {"mitigation_energy_mwh", o.loss_j / kJPerMWh},
          {"stored_change_mwh", (o.final_energy_j - o.initial_energy_j) / kJPerMWh},
          {"energy_balance_rel_error", o.balance_rel_error()},
          {"ramp_limit_violations", violations},
          {"limited_steps", limited},
          {"max_grid_ramp_w_per_s", grid_ramp},
          {"max_load_ramp_w_per_s", load_ramp},
          {"groups", groups},
          {"not_modelled", {"C-rate and temperature dependent efficiency, standby losses, ageing",
                            "the change of the PSUs' own conversion losses with the smoothed load (storage losses are all in round_trip_efficiency)",
                            "the storage's response time (below the control step)",
                            "cooling: the plant takes the racks' grid-side power as their heat, so charging counts as heat "
                            "and discharging gives it back (net over a run: the losses); in reality only the losses are heat"}}};
}

}  // namespace dctwin
