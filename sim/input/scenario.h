// The typed, validated scenario: what dctwin simulates. Built only by the loader
// (scenario_loader.h), which checks every field and unit; everything here is in SI units
// (W, s) except where a name says otherwise. The JSON format is documented in docs/scenario.md.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/grid/price_carbon.h"
#include "models/power/conductor.h"
#include "models/power/gpu.h"
#include "models/power/psu.h"
#include "models/power/server.h"
#include "models/power/transformer.h"
#include "models/power/ups.h"
#include "models/power/battery.h"
#include "models/power/power_smoothing.h"
#include "models/workload/inference_load.h"
#include "models/workload/jitter.h"
#include "models/workload/llm_serving.h"
#include "models/workload/training_step.h"
#include "sim/input/cooling_spec.h"
#include "sim/input/curtailment_spec.h"
#include "sim/input/grid_spec.h"
#include "sim/facility/redundancy.h"

namespace dctwin {

// A redundant group of power supplies (server PSUs or rack power shelves).
struct PsuSpec {
  int count = 1;  // units needed (N)
  Redundancy redundancy;
  power::PsuParams params;  // per unit
  std::string curve_name;   // "80plus-titanium-230v" or "custom"
  int installed() const { return redundancy.installed(count); }
};

struct NodeType {
  std::string name;
  std::string json_path;
  int profile = -1;  // index into Scenario::profiles
  power::ServerParams server;
  std::optional<PsuSpec> psu;
  double nameplate_w = 0;
};

// Per-rack energy storage (PSU / BBU style) with a grid-side ramp limit per rack
// (rack_types.*.storage; sim/facility/rack_storage.h).
struct RackStorageSpec {
  power::BatteryParams params;  // per rack: power_w, energy_j, ramp_limit_w_s per rack
  double initial_soc = 0.5;
  double control_step_s = 0.05;
};

struct RackType {
  struct Slot {
    int node_type = -1;
    int count = 0;
  };
  std::string name;
  std::string json_path;
  std::vector<Slot> nodes;
  power::ComponentPower rack_equipment;
  std::optional<PsuSpec> power_shelf;
  std::optional<RackStorageSpec> storage;
};

struct BuswaySpec {
  int count = 1;
  Redundancy redundancy;
  power::ConductorParams params;
  int installed() const { return redundancy.installed(count); }
};

// A hall's lineups: `count` (N) transformer -> switchgear -> UPS chains. Each element has its own
// redundancy (lineups.<element>.redundancy, else lineups.redundancy), so N+1 UPS modules can sit
// behind N transformers: installed units per element = its redundancy's installed(count).
struct LineupSpec {
  int count = 1;
  Redundancy redundancy;  // lineups.redundancy: the default of the three elements (N when absent)
  Redundancy transformer_redundancy, switchgear_redundancy, ups_redundancy;
  power::TransformerParams transformer;
  power::ConductorParams switchgear;
  power::UpsParams ups;
  int installed(const Redundancy& element) const { return element.installed(count); }
};

struct RowSpec {
  struct Slot {
    int rack_type = -1;
    int count = 0;
  };
  int count = 1;
  std::vector<Slot> racks;
  BuswaySpec busway;
  // Where the user finds these rows: their entry's JSON path ("$.campus.halls[0].rows[1]"), and
  // which of that entry's `count` instances they are (the first, 0-based, of `of_instances`). The
  // loader gives the whole entry; a derived campus (dctwin size's deployments) keeps the origin.
  std::string json_path;
  int first_instance = 0, of_instances = 0;  // of_instances 0: count
};

struct HallSpec {
  std::string name;
  int count = 1;
  std::vector<RowSpec> rows;
  LineupSpec lineups;
  std::string json_path;                     // "$.campus.halls[0]"; as RowSpec
  int first_instance = 0, of_instances = 0;  // of_instances 0: count
};

struct FeedSpec {
  int count = 1;
  Redundancy redundancy;
  double capacity_w = 0;  // per feed
  int installed() const { return redundancy.installed(count); }
};

struct JobPhaseSpec {
  power::GpuPhase phase = power::GpuPhase::Compute;
  double duration_s = 0;
};

// A training job described by its model and parallelism (the step phases are derived from it).
struct TrainingModelSpec {
  workload::TrainingShape shape;     // peak_flops from the GPU profile; hbm_bytes_s from memory_bandwidth_gb_s
  double gradient_bytes_per_param = 2;  // bf16 gradients
  double hidden_size = 0;               // for pipeline activation transfers (needed when pp > 1)
};

struct CheckpointSpec {
  double interval_s = 0;  // training time between checkpoints
  double duration_s = 0;  // pause per checkpoint (size / storage write bandwidth)
};

struct FailureSpec {
  double node_mtbf_s = 0;  // per node
  double restart_s = 0;    // detection + restart, GPUs idle
  double reload_s = 0;     // reload from the last checkpoint, at checkpoint power
};

struct PowerCapSpec {
  double gpu_w = 0;
  // Set: the single-exponent curve (exponent a, no knee, P_s = idle). Unset: the profile's
  // power_cap curve, else exponent 3 (models/power/power_cap.h).
  std::optional<double> dvfs_exponent;
};

struct SmoothingSpec {
  double floor_fraction = 0;  // of TDP
  double ramp_up_w_per_s = 0;    // 0 = unlimited
  double ramp_down_w_per_s = 0;  // 0 = unlimited
  double hysteresis_s = 0;
  double quantum_s = 0.01;
};

struct InferenceSpec {
  // Request rate: the request trace when given, else the diurnal profile as a fraction of capacity
  // with prompt_tokens / output_tokens per request.
  workload::DiurnalProfile profile;
  std::shared_ptr<const workload::RequestTrace> trace;  // null: diurnal
  std::string trace_path;                               // as resolved
  double prompt_tokens = 1000;                          // diurnal only (assumption, docs/scenario.md)
  double output_tokens = 300;
  workload::ServingParams serving;
  double update_s = 60;  // diurnal: how often the request rate (and so the power) is updated
};

struct JobSpec {
  std::string name;
  std::string kind;  // "training" or "inference"
  std::int64_t gpus = 0;
  double start_s = 0;
  std::optional<double> stop_s;  // nullopt: runs to the end
  std::vector<JobPhaseSpec> step;  // explicit, or derived from `model`
  std::optional<TrainingModelSpec> model;
  double start_ramp_s = 0;
  std::optional<CheckpointSpec> checkpoint;
  std::optional<FailureSpec> failures;
  std::optional<PowerCapSpec> power_cap;
  std::optional<SmoothingSpec> smoothing;
  std::optional<InferenceSpec> inference;
  std::optional<workload::JitterParams> jitter;
  bool deferrable = false;  // may stop for a curtailment and run its work after it (flexibility "defer")
  std::string json_path;  // "$.jobs[0]"
  int cohorts() const { return jitter ? jitter->cohorts : 1; }
  double step_period_s() const;
};

// The network a model-described job's collectives run on (campus.network). SI units inside.
struct NetworkSpec {
  int gpus_per_nvlink_domain = 8;
  double nvlink_bytes_s = 0;   // per GPU, one direction
  double nvlink_latency_s = 0;
  int nics_per_node = 8;       // rails
  double nic_bytes_s = 0;      // per NIC
  double link_latency_s = 0;   // per hop
  double oversubscription = 1;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string source;  // file path or "<embedded default>"
  double duration_s = 0;
  double output_step_s = 0;
  double rack_series_step_s = 60;  // interval of racks.csv
  std::uint64_t seed = 0;
  std::vector<power::GpuProfile> profiles;
  std::vector<NodeType> node_types;
  std::vector<RackType> rack_types;
  double power_factor = 1.0;
  FeedSpec feeds;
  std::optional<NetworkSpec> network;
  std::optional<power::BatteryParams> storage;  // facility battery at the meter
  double storage_initial_soc = 0.5;
  std::vector<HallSpec> halls;
  std::vector<JobSpec> jobs;
  std::optional<CoolingSpec> cooling;  // the "cooling" object (sim/input/cooling_spec.h); none: not modelled
  std::optional<GridSpec> grid;        // the "grid" object (sim/input/grid_spec.h); none: no disturbances
  double thermal_step_s = 1.0;         // simulation.thermal_step_s: step of continuous processes
  // grid.price_carbon_file (sim/input/price_carbon_file.h); null: energy cost and emissions not modelled
  std::shared_ptr<const grid::PriceCarbonSeries> price_carbon;
  std::vector<CurtailmentSpec> curtailments;  // grid.curtailments (sim/input/curtailment_spec.h)
  FlexibilitySpec flexibility;                // the "flexibility" object (defaults when absent)
  std::uint64_t content_hash = 0;      // FNV-1a of the JSON after overrides (checkpoints refuse another)

  std::int64_t total_gpus() const;
  std::int64_t total_nodes() const;
  std::int64_t total_racks() const;
};

}  // namespace dctwin
