// Capacity planning (`dctwin size`): the largest deployment, in whole racks, that a site carries.
//
// The site is the scenario's electrical and cooling infrastructure as built: utility feeds, each
// hall group's lineups (transformer -> switchgear -> UPS), each row's busways, and the cooling
// plant (chillers, towers or dry coolers; CDUs and CRAHs are counted from the heat, so they are
// bill of materials, not limits). A deployment of R racks spreads R racks evenly over every row
// of the campus, in order (hall, row): with W rows, the first R mod W rows hold floor(R/W) + 1
// racks, the others floor(R/W). Each row deploys the rack type of its first `racks` slot. Floor
// space (racks per row) is not modelled: the electrical and cooling limits decide.
//
// Constraints, each checked at the deployment's load under the provisioning policy:
//   - every rated element of the power graph (sim/facility/capacity.h): the per-unit load in normal
//     operation and after a single unit of its group is lost (N+k: survivors share; 2N: the twin
//     carries double; N: no failover, the normal load is checked and the element is flagged);
//   - utility: the facility power at the meter plus the cooling plant's electric power at the
//     design condition, per feed, normal and after one feed is lost;
//   - cooling, at the site's ASHRAE design condition (0.4 % wet bulb for towers, 0.4 % dry bulb
//     for dry coolers; from a .ddy/.stat file, else the hottest hour and the highest wet bulb of
//     the EPW year, else the scenario's design day): the heat into the plant (IT + busway + UPS
//     losses) against the N duty chillers' available capacity (DOE-2 CAPFT at the facility supply
//     and the condenser water setpoint), and the heat to reject (+ chiller power) against the N
//     duty tower cells or dry coolers at full fan speed (leaving water at the setpoint). The
//     N+1 (or 2N) element is left out: the plant must carry the load with one element lost.
//     The water-side economizer is assumed to give nothing at the design condition.
// Provisioning policies, side by side:
//   - nameplate: every node at its vendor nameplate_w, rack equipment active
//     (Facility::evaluate_nameplate);
//   - simulated: the highest per-unit load that the scenario's first job actually draws when it
//     runs on every GPU of the deployment (run_scenario, sim_duration_s long, start ramp removed),
//     times (1 + margin). Unit loads, facility power and heat are all scaled by the margin.
// Feasibility is monotone in R (adding a rack never lowers a load), so R is found by doubling and
// bisection. The answer names the binding constraint (the first to fail at R + 1) and the margin
// on every other one at R.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/json_reader.h"

namespace dctwin {

struct SizingOptions {
  std::string scenario_path;            // "" = the embedded default scenario
  std::vector<std::string> sets;        // --set overrides, applied first
  std::optional<double> utility_mw;     // total utility capacity, shared by the N needed feeds
  std::string gpu;                      // built-in profile name (h100, h200, b200, gb200 or full) or a profile JSON file
  std::string redundancy;               // "N", "N+k", "2N" for feeds, lineups, busways and plant units; installed units kept, N re-derived
  std::string weather_path;             // .epw, .ddy or .stat
  std::string policy = "nameplate";     // which policy gives max_racks: "nameplate" or "simulated"
  double sim_margin_pct = 10;           // margin on the simulated peak
  double sim_duration_s = 300;          // simulated time of the workload run
  // Called with the fraction (0..1) of the search done, estimated from the evaluations left
  // (the simulated policy's, each a run, weigh 90 %); may be empty.
  std::function<void(double)> progress;
};

// Throws InputError for bad options or a bad scenario. The JSON is documented in the README
// ("dctwin size"): verdict, max_racks, max_gpus, binding_constraint, constraints, bill_of_materials,
// policies, design_condition, warnings, assumptions.
json size_site(const SizingOptions& options);

// The verdict against what is installed (size_site's "verdict"), from a sizing result's policy,
// max_racks, max_gpus, binding_constraint, policies and search_limit_racks: status "fits"
// (racks_fit >= racks_installed; headroom_racks), "short" (0 < racks_fit < racks_installed;
// shortfall_racks), "infeasible" (not even one rack fits; shortfall_racks = racks_installed) or
// "not_available" (the policy could not be evaluated); binding: `binding_text` (how the binding
// constraint reads), null when nothing binds; text: the verdict as one line.
json sizing_verdict(const json& sizing, std::int64_t racks_installed, std::int64_t gpus_installed,
                    const std::optional<std::string>& binding_text);

// Aliases accepted by --gpu: h100 -> h100-sxm, h200 -> h200-sxm; built-in names as they are.
std::string gpu_profile_alias(const std::string& name);

}  // namespace dctwin
