#include "sim/facility/rating_check.h"

#include <cmath>
#include <cstdio>
#include <map>

#include "sim/facility/facility.h"

namespace dctwin {

namespace {

std::string w_text(double w) {
  char b[48];
  if (std::fabs(w) >= 1e6) std::snprintf(b, sizeof b, "%.4g MW", w / 1e6);
  else if (std::fabs(w) >= 1e3) std::snprintf(b, sizeof b, "%.4g kW", w / 1e3);
  else std::snprintf(b, sizeof b, "%.4g W", w);
  return b;
}

std::string ratio_text(double r) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3g", r);
  return b;
}

}  // namespace

double node_max_draw_w(const Scenario& sc, int node_type) {
  const NodeType& nt = sc.node_types[static_cast<std::size_t>(node_type)];
  const double tdp = sc.profiles[static_cast<std::size_t>(nt.profile)].tdp_w;
  const double dc = power::server_power(nt.server, tdp, true).total_w();
  if (!nt.psu) return dc;
  const int units = nt.psu->installed();
  return dc + units * power::psu_loss_w(nt.psu->params, dc / units);
}

std::vector<RatingWarning> rating_warnings(const Scenario& sc) {
  std::vector<RatingWarning> out;
  Scenario at_max = sc;  // every node at its modelled maximum, through evaluate_nameplate
  for (std::size_t i = 0; i < sc.node_types.size(); ++i) {
    const NodeType& nt = sc.node_types[i];
    const double draw = node_max_draw_w(sc, static_cast<int>(i));
    at_max.node_types[i].nameplate_w = draw;
    const double ratio = nt.nameplate_w / draw;
    if (!(draw > 0) || (ratio >= kNameplateLowRatio && ratio <= kNameplateHighRatio)) continue;
    out.push_back({nt.json_path + ".nameplate_w",
                   "nameplate_w " + w_text(nt.nameplate_w) + " is " + ratio_text(ratio) + " x the " + w_text(draw) +
                       " this node draws in the model at its GPUs' TDP (components active, fans and PSU losses included); "
                       "warned outside " + ratio_text(kNameplateLowRatio) + "..." + ratio_text(kNameplateHighRatio) +
                       " x: the nameplate policy (dctwin size, capacity at nameplate) provisions from nameplate_w; "
                       "check the figure and its unit (W)"});
  }
  const Facility f(at_max);
  std::vector<double> unit;
  f.evaluate_nameplate(&unit);
  std::map<std::string, std::pair<double, double>> worst;  // spec path -> (rating, load) furthest apart
  for (std::size_t v = 0; v < f.vertex_count(); ++v) {
    const Element& e = f.graph()[v];
    if (e.rating_w <= 0 || !(unit[v] > 0)) continue;
    const double apart = std::max(e.rating_w / unit[v], unit[v] / e.rating_w);
    auto it = worst.find(e.spec_path);
    if (it == worst.end() || apart > std::max(it->second.first / it->second.second, it->second.second / it->second.first))
      worst[e.spec_path] = {e.rating_w, unit[v]};
  }
  for (const auto& [path, rl] : worst) {
    const auto [rating, load] = rl;
    if (rating <= kRatingFactor * load && load <= kRatingFactor * rating) continue;
    out.push_back({path, "rating " + w_text(rating) + " per unit is " + ratio_text(rating / load) + " x the " + w_text(load) +
                             " per unit it carries with every node at its modelled maximum draw (warned beyond " +
                             ratio_text(kRatingFactor) + " x either way): check the figure and its unit"});
  }
  return out;
}

json to_json(const std::vector<RatingWarning>& warnings) {
  json a = json::array();
  for (const auto& w : warnings) a.push_back(json{{"path", w.path}, {"message", w.message}});
  return a;
}

}  // namespace dctwin
