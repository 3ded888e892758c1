// Redundancy per element of a lineup (lineups.transformer / switchgear / ups .redundancy over
// lineups.redundancy): the loader's keys and one-line errors, the installed units of each element
// of the graph, and the per-unit loads of tests/data/tiny.json worked by hand.
#include <doctest/doctest.h>

#include "sim/facility/facility.h"
#include "sim/run.h"
#include "tests/support.h"

using namespace dctwin;

namespace {

std::vector<Problem> problems_of_text(const json& doc) {
  try {
    load_scenario_text(doc.dump(), "tiny-edited.json", test::source_path("tests/data"));
  } catch (const InputError& e) {
    return e.problems().list();
  }
  return {};
}

json tiny_doc() { return json::parse(test::read_file(test::tiny_path())); }

const json& capacity_of(const json& s, const std::string& element) {
  for (const auto& c : s["capacity"])
    if (c["element"] == element) return c;
  FAIL("no capacity entry " << element);
  static const json none;
  return none;
}

}  // namespace

TEST_CASE("element redundancy: N+1 UPS modules behind N transformers and switchgear") {
  const Scenario sc = test::load_tiny({"campus.halls.0.lineups.ups.redundancy=N+1"});
  const LineupSpec& l = sc.halls[0].lineups;
  CHECK(l.ups_redundancy.str() == "N+1");
  CHECK(l.transformer_redundancy.str() == "N");  // from lineups.redundancy
  CHECK(l.installed(l.ups_redundancy) == 2);
  CHECK(l.installed(l.transformer_redundancy) == 1);
  const json s = run_scenario(sc).summary;
  // The UPS output is the busway input at the compute peak, 1,920.03974562 W (test_capacity.cpp):
  // 2 modules share it, 960.01987281 W each; after one is lost the other carries all of it.
  const json& ups = capacity_of(s, "$.campus.halls[0].lineups.ups");
  CHECK(ups["redundancy"] == "N+1");
  CHECK(ups["units_installed"] == 2);
  CHECK(ups["units_needed"] == 1);
  CHECK(ups["peak_unit_load_kw"].get<double>() == doctest::Approx(0.96001987281).epsilon(1e-9));
  CHECK(ups["failover_unit_load_kw"].get<double>() == doctest::Approx(1.92003974562).epsilon(1e-9));
  const json& tr = capacity_of(s, "$.campus.halls[0].lineups.transformer");
  CHECK(tr["redundancy"] == "N");
  CHECK(tr["units_installed"] == 1);
  CHECK(tr["failover_unit_load_kw"].is_null());
  // The transformer and switchgear stay single points of failure; the UPS no longer is.
  std::vector<std::string> spof;
  for (const auto& p : s["single_points_of_failure"]) spof.push_back(p["element"].get<std::string>());
  CHECK(std::find(spof.begin(), spof.end(), "$.campus.halls[0].lineups.ups") == spof.end());
  CHECK(std::find(spof.begin(), spof.end(), "$.campus.halls[0].lineups.transformer") != spof.end());
  CHECK(std::find(spof.begin(), spof.end(), "$.campus.halls[0].lineups.switchgear") != spof.end());
}

TEST_CASE("element redundancy: 2N transformers under an N+1 lineup, each element with its own units in the graph") {
  const Scenario sc = test::load_tiny({"campus.halls.0.lineups.count=2", "campus.halls.0.lineups.redundancy=N+1",
                                       "campus.halls.0.lineups.transformer.redundancy=2N",
                                       "campus.halls.0.lineups.switchgear.redundancy=N"});
  const Facility f(sc);
  std::map<Stage, int> installed;
  for (std::size_t v = 0; v < f.vertex_count(); ++v) installed[f.graph()[v].stage] = f.graph()[v].installed;
  CHECK(installed[Stage::Transformer] == 4);  // 2N of 2
  CHECK(installed[Stage::Switchgear] == 2);   // N of 2
  CHECK(installed[Stage::Ups] == 3);          // N+1 of 2 (the lineup's)
}

TEST_CASE("element redundancy: the old single key still works, errors are one line each") {
  // The single key alone: every element takes it.
  const Scenario old = test::load_tiny({"campus.halls.0.lineups.redundancy=2N"});
  CHECK(old.halls[0].lineups.ups_redundancy.str() == "2N");
  CHECK(old.halls[0].lineups.switchgear_redundancy.str() == "2N");

  json doc = tiny_doc();
  json& lu = doc["campus"]["halls"][0]["lineups"];
  lu["ups"]["redundancy"] = "N+0";
  auto p = problems_of_text(doc);
  REQUIRE(p.size() == 1);
  CHECK(p[0].where == "$.campus.halls[0].lineups.ups.redundancy");

  // lineups.redundancy may go when every element has its own ...
  lu["ups"]["redundancy"] = "N+1";
  lu["transformer"]["redundancy"] = "N";
  lu["switchgear"]["redundancy"] = "N";
  lu.erase("redundancy");
  CHECK(problems_of_text(doc).empty());
  // ... and not when one lacks it.
  lu["switchgear"].erase("redundancy");
  p = problems_of_text(doc);
  REQUIRE(p.size() == 1);
  CHECK(p[0].where == "$.campus.halls[0].lineups.redundancy");
  CHECK(p[0].expected.find("required unless transformer, switchgear and ups each give their own") != std::string::npos);
}

TEST_CASE("element paths: groups split by placement name the file's entry and its instances") {
  CHECK(instance_label("$.campus.halls[0]", 0, 1, 1) == "halls[0]");
  CHECK(instance_label("$.campus.halls[0]", 2, 1, 5) == "halls[0] (3 of 5)");
  CHECK(instance_label("$.campus.halls[0]", 1, 4, 5) == "halls[0] (2-5 of 5)");
  CHECK(instance_label("$.campus.halls[0]", 0, 5, 5) == "halls[0] (all 5)");
  CHECK(instance_label("$.campus.halls[0].rows[1]", 0, 3, 8) == "rows[1] (1-3 of 8)");
  // Five halls from one entry; the job's one GPU takes the first node of the first hall, so the
  // graph has hall 1 of 5 apart from halls 2-5 of 5, all from halls[0].
  const Scenario sc = test::load_tiny({"campus.halls.0.count=5"});
  const Facility f(sc);
  std::vector<std::string> ups;
  for (std::size_t v = 0; v < f.vertex_count(); ++v) {
    const Element& e = f.graph()[v];
    if (e.stage != Stage::Ups) continue;
    CHECK(e.spec_path == "$.campus.halls[0].lineups.ups");
    ups.push_back(e.instances);
    CHECK(e.name.find(e.instances) != std::string::npos);
  }
  CHECK(ups == std::vector<std::string>{"halls[0] (1 of 5)", "halls[0] (2-5 of 5)"});
}
