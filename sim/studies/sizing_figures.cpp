#include "sim/studies/sizing_figures.h"

#include <cmath>

namespace dctwin {

namespace {

double number_or_nan(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : std::nan("");
}

std::optional<std::int64_t> count(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->get<std::int64_t>();
}

std::optional<SizingBindingFigures> binding(const json& j) {
  const auto it = j.find("binding_constraint");
  if (it == j.end() || !it->is_object()) return std::nullopt;
  return SizingBindingFigures{it->at("name").get<std::string>(), it->value("condition", std::string())};
}

SizingPolicyFigures policy(const json& p) {
  SizingPolicyFigures f;
  f.available = p.value("available", false);
  f.reason = p.value("reason", std::string());
  if (f.available) {
    f.max_racks = p.at("max_racks").get<std::int64_t>();
    f.max_gpus = p.at("max_gpus").get<std::int64_t>();
  }
  f.binding = binding(p);
  if (const auto m = p.find("margin_pct"); m != p.end() && m->is_number()) f.margin_pct = m->get<double>();
  return f;
}

}  // namespace

SizingFigures read_sizing_figures(const json& r) {
  SizingFigures f;
  if (const auto v = r.find("verdict"); v != r.end() && v->is_object()) {  // absent from a sizing.json of an older dctwin
    f.verdict_status = v->at("status").get<std::string>();
    f.verdict = v->at("text").get<std::string>();
  }
  if (const auto w = r.find("warnings"); w != r.end() && w->is_array())
    for (const auto& x : *w) f.warnings.push_back(x.at("path").get<std::string>() + ": " + x.at("message").get<std::string>());
  f.scenario = r.at("scenario").get<std::string>();
  f.rows = r.at("rows").get<std::int64_t>();
  if (const json& dc = r.at("design_condition"); dc.is_object())
    f.design_condition = DesignConditionFigures{dc.at("dry_bulb_c").get<double>(), dc.at("wet_bulb_c").get<double>(),
                                                dc.at("source").get<std::string>()};
  f.policy = r.at("policy").get<std::string>();
  f.feasible = r.at("feasible").get<bool>();
  f.max_racks = count(r, "max_racks");
  f.max_gpus = count(r, "max_gpus");
  f.binding = binding(r);
  f.nameplate = policy(r.at("policies").at("nameplate"));
  f.simulated = policy(r.at("policies").at("simulated"));
  for (const auto& c : r.at("constraints"))
    f.constraints.push_back({c.at("name").get<std::string>(), c.at("element").get<std::string>(),
                             c.at("redundancy").get<std::string>(), number_or_nan(c, "rating_kw"), number_or_nan(c, "load_kw"),
                             number_or_nan(c, "failover_load_kw"), number_or_nan(c, "margin_pct"), c.at("ok").get<bool>(),
                             c.contains("instances") && c["instances"].is_string() ? c["instances"].get<std::string>() : std::string()});
  if (const json& bom = r.at("bill_of_materials"); bom.is_object()) {
    f.bill_of_materials.emplace();
    for (const auto& [k, v] : bom.items())
      if (v.is_number()) f.bill_of_materials->emplace_back(k, v.get<std::int64_t>());
  }
  return f;
}

}  // namespace dctwin
