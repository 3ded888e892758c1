// Ratings far from what the simulation draws: warnings, not errors (the scenario stays valid),
// each with both figures. A rating orders of magnitude off is almost always a unit slip (W for kW);
// a nameplate well off the modelled draw makes the nameplate provisioning policy (dctwin size,
// capacity checks at nameplate) answer for another machine.
//
//   nameplate: every node type's nameplate_w against its modelled maximum draw, the node at its
//     GPUs' TDP with components active, fans at that heat and PSU losses included (the AC input of
//     a node with `psu`; the DC input from the busbar of one without, as nameplate_w is defined).
//     Warned when nameplate_w / draw is below kNameplateLowRatio or above kNameplateHighRatio.
//   ratings: every rated element of the power graph (feeds, transformers, switchgear, UPS,
//     busways, power shelves, node PSUs) against its per-unit load with every node at that modelled
//     maximum, normal operation. Warned when one is over kRatingFactor times the other.
// docs/scenario.md ("Ratings far from the draw") gives the thresholds and why.
#pragma once
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "sim/input/scenario.h"

namespace dctwin {

// A vendor nameplate is the rated maximum input, so a real node draws less: the DGX H100's
// 10.2 kW is 1.21 x the 8.4 kW peak measured under training (Latif et al., IEEE Access 13,
// 2025; arXiv 2412.08602).
// Assumption: beyond 1.5 x (a third of the provisioned power never drawn) the figure is for another
// machine or wrong; below 0.9 x the nameplate is under what the model draws (the nameplate policy
// provisions too little; 10 % allows for component figures taken from a vendor's power budget).
inline constexpr double kNameplateLowRatio = 0.9;
inline constexpr double kNameplateHighRatio = 1.5;
// Assumption: a rating 100 x its load (or a load 100 x its rating) is a unit slip, not a design.
inline constexpr double kRatingFactor = 100;

struct RatingWarning {
  std::string path;     // JSON path of the figure: "$.node_types.dgx.nameplate_w"
  std::string message;  // both figures, the ratio and the threshold
  std::string str() const { return path + ": " + message; }
};

// The modelled maximum draw of one node of `node_type` (W), as defined above.
double node_max_draw_w(const Scenario& sc, int node_type);

// Every warning, nameplates first; empty when every figure is within the thresholds.
std::vector<RatingWarning> rating_warnings(const Scenario& sc);
json to_json(const std::vector<RatingWarning>& warnings);  // [{"path", "message"}]

}  // namespace dctwin
