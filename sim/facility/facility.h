// The facility: power elements as a Boost.Graph, from the utility meter down to the nodes.
//
//   utility -> feeds -> per hall: transformer -> switchgear -> UPS (a lineup)
//           -> per row: busway -> racks -> [rack power shelf] -> [node PSUs] -> nodes (GPUs, CPUs, ...)
//
// Scale by structure (a section of docs/design.md): a vertex stands for a group of identical elements
// with a multiplicity (e.g. "the 2 x 4 x 2 = 16 transformers of the two identical halls"), never
// for one physical box, so a 100K-GPU campus is tens of vertices, not 100K. Groups are split only
// where jobs are placed differently (placement fills halls, rows, racks, nodes in order).
//
// Load sharing: the units of a group share its load equally (all installed units, including
// spares, carry load: distributed redundancy). This is exact for a homogeneous group; for a hall
// whose lineups carry racks of different jobs it assumes racks are spread evenly over lineups.
#pragma once
#include <boost/graph/adjacency_list.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/problems.h"
#include "core/sim_time.h"
#include "sim/input/scenario.h"

namespace dctwin {

enum class Stage { Utility, Feed, Transformer, Switchgear, Ups, Busway, Rack, PowerShelf, NodePsu, Node };
const char* to_string(Stage s);

// Loss stages upstream of the IT equipment, in the order of the summary and CSV columns.
inline constexpr std::array<Stage, 4> kDistributionLossStages = {Stage::Busway, Stage::Ups,
                                                                 Stage::Switchgear, Stage::Transformer};
const char* loss_key(Stage s);  // "busway", "ups", "switchgear", "transformer", "psu"

struct Element {
  Stage stage = Stage::Node;
  std::string name;       // readable: "hall-a halls[0] (2-3 of 5) / lineup transformer"
  std::string spec_path;  // JSON path of the parameters: "$.campus.halls[0].lineups.transformer"
  // Which instances of the scenario's entries the group is, as the user finds them in their file:
  // "halls[0] (2-3 of 5)", "halls[0] (all 5) / rows[1] (4 of 8)" (instance_label); empty above the halls.
  std::string instances;
  std::int64_t multiplicity = 1;  // independent redundancy groups represented (halls, rows, racks, nodes)
  int installed = 1;              // installed units per redundancy group
  int needed = 1;                 // N
  Redundancy redundancy;
  double rating_w = 0;            // per unit (output W; for transformers kVA x power factor)
  // Model parameters (the one matching `stage` is used).
  power::TransformerParams transformer;
  power::ConductorParams conductor;
  power::UpsParams ups;
  power::PsuParams psu;
  // Racks and nodes.
  power::ComponentPower rack_equipment;
  int node_type = -1;
  int job = -1;
  int rack_type = -1;  // racks, and the nodes in them
  std::int64_t units() const { return multiplicity * installed; }
};

using PowerGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, Element>;
using Vertex = PowerGraph::vertex_descriptor;

// IT-side breakdown (DC component power at the PSU output, plus rack equipment and PSU losses,
// plus the rack energy storage's grid-side power: + charging, − discharging, its losses included).
struct ItBreakdown {
  double gpu_w = 0, cpu_w = 0, memory_w = 0, nic_w = 0, storage_w = 0, other_w = 0, fan_w = 0;
  double rack_equipment_w = 0, psu_loss_w = 0;
  double rack_storage_w = 0;
  double total_w() const {
    return gpu_w + cpu_w + memory_w + nic_w + storage_w + other_w + fan_w + rack_equipment_w + psu_loss_w + rack_storage_w;
  }
};

struct FacilityPower {
  double utility_w = 0;  // at the meter (IT + distribution losses); cooling not modelled yet
  double it_w = 0;       // IT equipment input (rack inputs), the PUE denominator
  ItBreakdown it;
  std::array<double, kDistributionLossStages.size()> loss_w{};  // by kDistributionLossStages
  double losses_w() const {
    double s = 0;
    for (double l : loss_w) s += l;
    return s;
  }
};

// What every job is doing at an instant: its GPU phase, or not running.
// When running, a fraction `active_fraction` of the job's nodes (the rest idle: a start ramp)
// draw `gpu_w` per GPU (NaN: the profile's power for `phase`), with their components active.
struct JobState {
  bool running = false;
  power::GpuPhase phase = power::GpuPhase::Idle;
  double gpu_w = std::numeric_limits<double>::quiet_NaN();
  double active_fraction = 1.0;
  double leak_w = 0.0;  // per GPU, every GPU of the cohort: leakage above the profile's (junction temperature feedback)
  // Fan control (models/power/fan_control.h, kept by sim/engine/fan_lag.h): every node of the cohort
  // runs its fans at the speed of power::server_heat_w(fan_gpu_w, fan_active), the lagged heat of
  // the cohort's mean node; NaN: each node's own heat at once.
  double fan_gpu_w = std::numeric_limits<double>::quiet_NaN();
  double fan_active = std::numeric_limits<double>::quiet_NaN();
};

class FacilityEvaluator;

// `racks` racks of rack vertex `rack` are without supply from `off` until `on` (kNever: not
// within the run); sim/jobs/it_power_loss.h builds these from the grid events, the engine applies
// them (EngineOptions::rack_outages, FacilityEvaluator::set_rack_unpowered).
struct RackOutage {
  Vertex rack{};
  std::int64_t racks = 0;
  SimTime off = 0;
  SimTime on = 0;
};

// "halls[0]" for an entry with one instance, else "halls[0] (3 of 5)", "halls[0] (2-4 of 5)" or
// "halls[0] (all 5)": the last key of `json_path` and instances [first, first + n) of `of` (0-based first).
std::string instance_label(const std::string& json_path, std::int64_t first, std::int64_t n, std::int64_t of);

// Two cohort states are the same, bit for bit (every field; NaN powers compare equal to themselves).
bool same_job_state(const JobState& a, const JobState& b);

class Facility {
 public:
  // Expands the scenario's templates, places its jobs and builds the graph. Problems with the
  // placement (a job's GPUs not a multiple of its nodes' GPUs) throw InputError.
  explicit Facility(const Scenario& sc);

  const PowerGraph& graph() const { return g_; }
  std::size_t vertex_count() const { return boost::num_vertices(g_); }
  Vertex root() const { return root_; }
  std::int64_t job_gpus(int job) const { return job_gpus_.at(static_cast<std::size_t>(job)); }
  std::int64_t job_nodes(int job) const { return job_nodes_.at(static_cast<std::size_t>(job)); }
  std::int64_t job_racks(int job) const { return job_racks_.at(static_cast<std::size_t>(job)); }
  // The GPU profile (index into Scenario::profiles) all of a job's nodes share.
  int job_profile(int job) const { return job_profile_.at(static_cast<std::size_t>(job)); }
  // A job's nodes are split into cohorts (one per job unless it has jitter); evaluate() takes one
  // JobState per cohort, cohorts numbered job after job: [first_cohort(j), + cohort_count(j)).
  int first_cohort(int job) const { return job_first_cohort_.at(static_cast<std::size_t>(job)); }
  int cohort_count(int job) const { return job_cohort_count_.at(static_cast<std::size_t>(job)); }
  std::size_t cohorts() const { return cohort_job_.size(); }
  std::int64_t cohort_gpus(int cohort) const { return cohort_gpus_.at(static_cast<std::size_t>(cohort)); }
  int cohort_job(int cohort) const { return cohort_job_.at(static_cast<std::size_t>(cohort)); }
  // The rack type holding most of a cohort's GPUs (its cooling path and thermal resistance).
  int cohort_rack_type(int cohort) const { return cohort_rack_type_.at(static_cast<std::size_t>(cohort)); }
  // Readable name: "job train-1" or "job train-1 cohort 3".
  std::string cohort_name(int cohort) const;

  // Power everywhere for the given job states. `unit_load_w` (optional, size vertex_count) gets
  // the per-unit output load of every vertex (W), for capacity checks.
  // `jobs` holds one state per cohort (see first_cohort()).
  FacilityPower evaluate(const std::vector<JobState>& jobs, std::vector<double>* unit_load_w = nullptr) const {
    return evaluate_impl(jobs, unit_load_w, false);
  }
  // Provisioning at nameplate: every node draws its vendor nameplate_w (the rated maximum system
  // input: AC input of a node with PSUs, so its PSU stage adds nothing; DC input from the busbar for
  // a node behind a rack power shelf), rack equipment at active power. The breakdown is not filled.
  FacilityPower evaluate_nameplate(std::vector<double>* unit_load_w = nullptr) const {
    return evaluate_impl({}, unit_load_w, true);
  }

 private:
  friend class FacilityEvaluator;
  friend struct FacilityBuilder;  // the constructor's steps (facility.cpp)
  FacilityPower evaluate_impl(const std::vector<JobState>& jobs, std::vector<double>* unit_load_w,
                              bool nameplate) const;
  void evaluate_vertex(Vertex v, const std::vector<JobState>& jobs, bool nameplate, FacilityEvaluator& ev) const;

  const Scenario& sc_;
  PowerGraph g_;
  Vertex root_{};
  std::vector<Vertex> order_;  // children before parents
  std::vector<std::int64_t> job_gpus_;
  std::vector<std::int64_t> job_nodes_;
  std::vector<int> job_profile_;
  std::vector<std::int64_t> job_racks_;
  std::vector<int> job_first_cohort_, job_cohort_count_, cohort_job_;
  std::vector<std::int64_t> cohort_gpus_;
  std::vector<int> cohort_rack_type_;
};

// Incremental evaluation for the engine: keeps every vertex's power and its subtree's sums
// (IT breakdown, losses by stage, IT input), and on update() recomputes only the node groups of
// cohorts whose state changed (bit for bit) and the vertices above them, children first. Each
// vertex is a function of its children and its own state alone, so the result is bit-identical
// to a full evaluation (Facility::evaluate, which runs one over every vertex). A job event on a
// 100K-GPU campus touches about ten of its vertices instead of all of them.
class FacilityEvaluator {
 public:
  struct Aggregate {
    ItBreakdown it;
    std::array<double, kDistributionLossStages.size()> loss_w{};
    double it_w = 0;
  };
  explicit FacilityEvaluator(const Facility& f, bool nameplate = false);
  // Power everywhere for `jobs` (one state per cohort, as Facility::evaluate).
  const FacilityPower& update(const std::vector<JobState>& jobs) { return update(jobs, nullptr); }
  // The same, where only the cohorts in `candidates` can differ from the states of the last
  // update() (nullptr: any can; every state is compared then). The caller vouches for the list.
  const FacilityPower& update(const std::vector<JobState>& jobs, const std::vector<std::size_t>* candidates);
  // Per-unit output load of every vertex (W), as Facility::evaluate's unit_load_w.
  const std::vector<double>& unit_load_w() const { return unit_load_; }
  std::uint64_t vertices_recomputed() const { return recomputed_; }
  // The vertices the last update() recomputed (every vertex on the first).
  const std::vector<Vertex>& last_recomputed() const { return changed_; }
  // Rack energy storage (sim/facility/rack_storage.h): after enable_rack_storage(), a rack vertex's input
  // is its load plus set_rack_storage_w(v, W) (all racks of the group; the next update() applies
  // it), and rack_load_w(v) is its load without it (as of the last update()). Without the call
  // nothing changes (bit for bit).
  void enable_rack_storage();
  void set_rack_storage_w(Vertex v, double w);
  double rack_load_w(Vertex v) const { return rack_load_w_[v]; }
  // Racks without supply (grid events, sim/jobs/it_power_loss.h): a share `fraction` (0..1) of rack
  // vertex v's racks draws nothing (the next update() applies it): the group's input, its IT
  // breakdown and its per-unit load are (1 - fraction) of what its nodes and rack equipment draw
  // (exact: the racks of a group are identical). With rack storage the storage acts on that load.
  // Without the call nothing changes (bit for bit).
  void set_rack_unpowered(Vertex v, double fraction);

 private:
  friend class Facility;
  void push(Vertex v);
  const Facility& f_;
  bool nameplate_;
  bool evaluated_ = false;
  std::vector<double> in_w_;
  std::vector<char> active_;
  std::vector<Aggregate> agg_;
  std::vector<double> unit_load_;
  std::vector<int> position_;  // in the children-first order
  std::vector<char> queued_;
  std::vector<int> heap_;      // positions to recompute, smallest first
  std::vector<std::vector<Vertex>> cohort_nodes_;
  std::vector<JobState> last_;          // the states of the last update()
  std::vector<std::size_t> changed_cohorts_;  // scratch of update(): cohorts differing from last_
  std::vector<Vertex> changed_;
  std::vector<double> rack_storage_w_, rack_load_w_;  // empty without rack storage
  std::vector<double> rack_off_;                      // set_rack_unpowered; empty: every rack powered
  FacilityPower fp_;
  std::uint64_t recomputed_ = 0;
};

}  // namespace dctwin
