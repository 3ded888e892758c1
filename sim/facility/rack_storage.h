// Per-rack energy storage (PSU / BBU style, rack_types.*.storage) holding each rack's grid-side
// ramp rate under a limit, run inside the engine (docs/design.md, "Hybrid time": continuous state advanced
// between events) so that every element upstream sees the smoothed rack power.
//
// Where it sits: at the rack input, on the AC side of the rack's conversion (power shelf or node
// PSUs) and in parallel with the rack equipment. The rack's grid-side draw is
//     g = L + b,   L = rack equipment + PSU / power-shelf inputs (the rack's load),
// b the storage power (+ charging, − discharging, its conversion losses included), so busway,
// UPS, switchgear and transformer losses, capacity checks, the recorder and the cooling plant all
// see g. The PSUs convert L as without storage: their losses are those of the unsmoothed load.
// Justification: NVIDIA's GB300 NVL72 puts energy storage in the power shelves' PSUs to smooth
// the rack's AC draw (ramp limit at job start, power floor at job end; NVIDIA technical blog,
// 2025-07-28; docs/references.md); the quantity a utility and the upstream chain see is the AC input,
// so that is what the controller limits. Not modelled: the small change of the PSUs' own losses
// (a storage inside the PSU converts part of the load twice; that part is inside η here).
//
// Controller (models/power/battery.h), per rack, on a fixed control grid t_k = k·Δt:
//     at t_k:  g_k = clamp(L(t_k) + (E_target − E)/τ_rec, ḡ_{k−1} − R·Δt, ḡ_{k−1} + R·Δt)
//              (ḡ_{k−1}: the exact mean grid-side power of the previous step; for k = 0 the
//              rack's load before the events at t = 0, i.e. before any job started, so a job
//              starting at t = 0 is ramped in at R like any later start)
//     within [t_k, t_k+1), on every piece of constant load L (events split the step):
//              b = clamp(g_k − L) within ±P_max, g >= 0 (no export) and the charge window over
//              the time left to t_k+1, so the charge never leaves [E_min, E_max]
//     charge:  E += b·√η·dt (b > 0), b/√η·dt (b < 0); losses the rest of b·dt
// So the grid-side power is constant over a control step unless a limit binds, and its step-mean
// moves by at most R·Δt a step: the reported ramp is |ḡ_k − ḡ_{k−1}| / Δt (W/s per rack); a step
// over R·Δt(1 + 1e-9) is a ramp-limit violation (only possible when a power, charge or no-export
// limit binds). The ramp without storage is the same measure on the load, |L̄_k − L̄_{k−1}| / Δt.
//
// Sizing note: the controller follows the load's direction at R (up in a compute phase, down in a
// communication phase), so the grid's mean moves towards the load's mean only through the
// recovery term: the charge settles about (mean load − low-phase load)·τ_rec below its target.
// A τ_rec too long for the window lets the charge reach a limit (then the grid follows the load).
//
// Reduced model, stated: one storage state per rack group (a vertex of the facility graph: racks
// of one type in one row group holding the same cohorts, so identical racks with the same load
// timeline), times its rack count; exact for identical racks, which the grouping guarantees.
//
// Energy balance (exact, checked at 1e-9 relative, ConservationError otherwise):
//     Σ g·dt = Σ L·dt + (E_end − E_0) + Σ losses     over all racks
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/engine/checkpoint.h"
#include "sim/facility/facility.h"
#include "core/json_reader.h"
#include "sim/input/scenario.h"
#include "sim/engine/event_queue.h"

namespace dctwin {

struct RackStorageGroup {
  std::string name;       // the rack group's element name
  std::string rack_type;
  std::int64_t racks = 0;
  double max_grid_ramp_w_s = 0, max_load_ramp_w_s = 0;  // per rack
  std::uint64_t ramp_violations = 0;                    // control steps over the limit
  std::uint64_t limited_steps = 0;                      // control steps where a limit bound
  double soc_min_seen = 0, soc_max_seen = 0;            // fractions
};

struct RackStorageOutcome {
  double control_step_s = 0;
  // Totals over every rack (J).
  double grid_energy_j = 0, load_energy_j = 0, charge_j = 0, discharge_j = 0, loss_j = 0;
  double initial_energy_j = 0, final_energy_j = 0;
  std::vector<RackStorageGroup> groups;
  double balance_rel_error() const;
};

json rack_storage_summary(const RackStorageOutcome& o);

class RackStorage {
 public:
  // Groups for every rack vertex whose rack type has storage; empty() when there is none.
  RackStorage(const Scenario& sc, const Facility& facility);
  ~RackStorage();
  bool empty() const;
  SimTime control_step() const;
  // Over [t0, t1): every group's load and storage power as set by the last control().
  void advance(SimTime t0, SimTime t1);
  // At a change point t, after `ev` was updated for the job states at t (rack loads current): a
  // controller step when `tick` (t on the control grid), then every group's storage power for
  // the piece from t (ending at next_tick at the latest), handed to `ev` (update it again).
  void control(SimTime t, SimTime next_tick, bool tick, FacilityEvaluator& ev);
  // Hands the storage powers of the current piece to `ev` (after a resume).
  void apply(FacilityEvaluator& ev) const;
  RackStorageOutcome outcome() const;
  void save(CheckpointWriter& w) const;
  void load(CheckpointReader& r);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dctwin
