// The figures of a sizing result (size_site, sim/studies/sizing.h, whose JSON is documented in the
// README "dctwin size") that `dctwin size` prints, read back in one place with their types.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/json_reader.h"

namespace dctwin {

struct SizingBindingFigures {
  std::string name, condition;
};

// One constraint at the answer (NaN where the JSON has null: no failover load, no finite margin).
struct SizingConstraintFigures {
  std::string name, element, redundancy;
  double rating_kw = 0, load_kw = 0, failover_load_kw = 0, margin_pct = 0;
  bool ok = false;
  std::string instances;  // "halls[0] (1 of 5) / rows[0]"; empty above the halls and for the plant
};

struct SizingPolicyFigures {
  bool available = false;
  std::string reason;                           // why it could not be evaluated
  std::int64_t max_racks = 0, max_gpus = 0;     // when available
  std::optional<SizingBindingFigures> binding;  // none within the search limit
  std::optional<double> margin_pct;             // the simulated policy's margin on its peak, %
};

struct DesignConditionFigures {
  double dry_bulb_c = 0, wet_bulb_c = 0;
  std::string source;
};

struct SizingFigures {
  // "fits", "short", "infeasible" or "not_available", and the verdict as one line; empty when the
  // result has no verdict (written by an older dctwin)
  std::string verdict_status, verdict;
  std::vector<std::string> warnings;    // ratings far from what the simulation draws: "path: message", one line each
  std::string scenario;
  std::int64_t rows = 0;
  std::optional<DesignConditionFigures> design_condition;  // none: cooling not modelled
  std::string policy;                                      // the policy giving the answer
  bool feasible = false;
  std::optional<std::int64_t> max_racks, max_gpus;         // none when the policy is not available
  std::optional<SizingBindingFigures> binding;
  SizingPolicyFigures nameplate, simulated;
  std::vector<SizingConstraintFigures> constraints;
  std::optional<std::vector<std::pair<std::string, std::int64_t>>> bill_of_materials;  // item -> count

  const SizingPolicyFigures& chosen() const { return policy == "simulated" ? simulated : nameplate; }
};

// Throws (a json exception) when a figure every sizing result has is missing or of the wrong type.
SizingFigures read_sizing_figures(const json& sizing);

}  // namespace dctwin
