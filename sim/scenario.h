// The typed, validated scenario: what dctwin simulates. Built only by the loader
// (scenario_loader.h), which checks every field and unit; everything here is in SI units
// (W, s) except where a name says otherwise. The JSON format is documented in docs/scenario.md.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/power/conductor.h"
#include "models/power/gpu.h"
#include "models/power/psu.h"
#include "models/power/server.h"
#include "models/power/transformer.h"
#include "models/power/ups.h"
#include "sim/redundancy.h"

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
};

struct BuswaySpec {
  int count = 1;
  Redundancy redundancy;
  power::ConductorParams params;
  int installed() const { return redundancy.installed(count); }
};

struct LineupSpec {
  int count = 1;
  Redundancy redundancy;
  power::TransformerParams transformer;
  power::ConductorParams switchgear;
  power::UpsParams ups;
  int installed() const { return redundancy.installed(count); }
};

struct RowSpec {
  struct Slot {
    int rack_type = -1;
    int count = 0;
  };
  int count = 1;
  std::vector<Slot> racks;
  BuswaySpec busway;
};

struct HallSpec {
  std::string name;
  int count = 1;
  std::vector<RowSpec> rows;
  LineupSpec lineups;
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

struct JobSpec {
  std::string name;
  std::string kind;  // "training"
  std::int64_t gpus = 0;
  double start_s = 0;
  std::optional<double> stop_s;  // nullopt: runs to the end
  std::vector<JobPhaseSpec> step;
  std::string json_path;  // "$.jobs[0]"
  double step_period_s() const;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string source;  // file path or "<embedded default>"
  double duration_s = 0;
  double output_step_s = 0;
  std::uint64_t seed = 0;
  std::vector<power::GpuProfile> profiles;
  std::vector<NodeType> node_types;
  std::vector<RackType> rack_types;
  double power_factor = 1.0;
  FeedSpec feeds;
  std::vector<HallSpec> halls;
  std::vector<JobSpec> jobs;

  std::int64_t total_gpus() const;
  std::int64_t total_nodes() const;
  std::int64_t total_racks() const;
};

}  // namespace dctwin
