// sim/studies/sizing_figures.h: a sizing result written by hand read back with its types, null
// figures included (a policy that could not be evaluated, a constraint without failover load).
#include <doctest/doctest.h>

#include <cmath>

#include "sim/studies/sizing.h"
#include "sim/studies/sizing_figures.h"

using namespace dctwin;

TEST_CASE("sizing figures: the answer, both policies, the constraints and the bill of materials") {
  const json r = json::parse(R"({
    "scenario": "site", "rows": 4, "policy": "nameplate", "feasible": true, "max_racks": 12, "max_gpus": 96,
    "binding_constraint": {"name": "ups", "element": "ups-0", "condition": "normal"},
    "design_condition": {"dry_bulb_c": 35.5, "wet_bulb_c": 24.25, "source": "chicago.ddy"},
    "policies": {
      "nameplate": {"available": true, "feasible": true, "max_racks": 12, "max_gpus": 96,
                    "binding_constraint": {"name": "ups", "condition": "normal"}},
      "simulated": {"available": false, "reason": "the scenario has no job", "margin_pct": 10}},
    "constraints": [
      {"name": "ups", "element": "ups-0", "redundancy": "N+1", "rating_kw": 500, "load_kw": 450,
       "failover_load_kw": null, "margin_pct": 10, "ok": true}],
    "bill_of_materials": {"racks": 12, "gpus": 96, "note": "text is skipped"}})");
  const SizingFigures f = read_sizing_figures(r);
  CHECK(f.scenario == "site");
  CHECK(f.rows == 4);
  REQUIRE(f.design_condition);
  CHECK(f.design_condition->wet_bulb_c == 24.25);
  CHECK(f.max_racks == 12);
  CHECK(f.binding->name == "ups");
  CHECK(f.nameplate.available);
  CHECK(f.nameplate.max_gpus == 96);
  CHECK(f.nameplate.binding->condition == "normal");
  CHECK_FALSE(f.simulated.available);
  CHECK(f.simulated.reason == "the scenario has no job");
  CHECK(f.simulated.margin_pct == 10.0);
  CHECK(&f.chosen() == &f.nameplate);
  REQUIRE(f.constraints.size() == 1);
  CHECK(f.constraints[0].redundancy == "N+1");
  CHECK(std::isnan(f.constraints[0].failover_load_kw));
  CHECK(f.constraints[0].ok);
  REQUIRE(f.bill_of_materials);
  CHECK(*f.bill_of_materials == std::vector<std::pair<std::string, std::int64_t>>{{"racks", 12}, {"gpus", 96}});
}

TEST_CASE("sizing figures: a policy that could not be evaluated has no answer") {
  const json r = json::parse(R"({"scenario": "s", "rows": 1, "policy": "simulated", "feasible": false, "max_racks": null,
    "max_gpus": null, "binding_constraint": null, "design_condition": null,
    "policies": {"nameplate": {"available": true, "max_racks": 0, "max_gpus": 0, "binding_constraint": null},
                 "simulated": {"available": false, "reason": "no job", "margin_pct": 5}},
    "constraints": [], "bill_of_materials": null})");
  const SizingFigures f = read_sizing_figures(r);
  CHECK_FALSE(f.max_racks);
  CHECK_FALSE(f.binding);
  CHECK_FALSE(f.design_condition);
  CHECK_FALSE(f.bill_of_materials);
  CHECK(&f.chosen() == &f.simulated);
  CHECK_FALSE(f.nameplate.binding);
}

TEST_CASE("sizing verdict: fits, short, infeasible, at the search limit and not available (by hand)") {
  auto result = [](const char* policy, json max_racks, json binding) {
    return json{{"policy", policy},
                {"max_racks", max_racks},
                {"max_gpus", max_racks.is_null() ? json(nullptr) : json(8 * max_racks.get<std::int64_t>())},
                {"binding_constraint", binding},
                {"search_limit_racks", 1250000},
                {"policies", {{"nameplate", {{"available", true}}}, {"simulated", {{"available", false}, {"reason", "no job"}}}}}};
  };
  const json ups = {{"name", "ups"}, {"element", "$.campus.halls[0].lineups.ups"}, {"condition", "normal"}};
  // 1,254 fit, 1,200 installed: +54.
  json v = sizing_verdict(result("nameplate", 1254, ups), 1200, 9600, std::string("ups in normal operation"));
  CHECK(v["status"] == "fits");
  CHECK(v["headroom_racks"] == 54);
  CHECK(v["gpus_fit"] == 10032);
  CHECK(v["text"] == "fits, +54 racks of headroom (1,200 racks installed, 1,254 fit under the nameplate policy); "
                     "binding: ups in normal operation");
  // 2,291 fit, 2,500 installed: 209 short.
  v = sizing_verdict(result("nameplate", 2291, ups), 2500, 20000, std::string("chillers at the design condition"));
  CHECK(v["status"] == "short");
  CHECK(v["shortfall_racks"] == 209);
  CHECK(v["text"] == "does not fit: 209 racks short (2,500 racks installed, 2,291 fit under the nameplate policy); "
                     "binding: chillers at the design condition");
  // Not even one rack.
  v = sizing_verdict(result("nameplate", 0, ups), 40, 320, std::string("ups in normal operation"));
  CHECK(v["status"] == "infeasible");
  CHECK(v["shortfall_racks"] == 40);
  CHECK(v["text"].get<std::string>().rfind("infeasible: not even one rack fits (40 racks installed, 0 fit", 0) == 0);
  // Nothing binds within the search limit: "at least".
  v = sizing_verdict(result("nameplate", 1250000, nullptr), 10, 80, std::nullopt);
  CHECK(v["status"] == "fits");
  CHECK(v["at_search_limit"] == true);
  CHECK(v["binding"].is_null());
  CHECK(v["text"].get<std::string>().rfind("fits, at least +1,249,990 racks of headroom", 0) == 0);
  // The policy asked for could not be evaluated: no verdict, said so.
  v = sizing_verdict(result("simulated", nullptr, nullptr), 10, 80, std::nullopt);
  CHECK(v["status"] == "not_available");
  CHECK(v["racks_fit"].is_null());
  CHECK(v["text"] == "no verdict: the simulated policy could not be evaluated (no job)");
}
