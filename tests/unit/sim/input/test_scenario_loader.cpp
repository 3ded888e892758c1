// Scenario loader on tests/data/tiny.json: typed values in SI units, one problem per mistake (no
// follow-on problems from a rejected value), hints, and cross-checks.
#include <doctest/doctest.h>

#include "tests/support.h"

using namespace dctwin;

namespace {
// The problems of loading tiny.json with `overrides` (empty when it loads).
std::vector<Problem> problems_of(std::vector<std::string> overrides) {
  try {
    test::load_tiny(std::move(overrides));
  } catch (const InputError& e) {
    return e.problems().list();
  }
  return {};
}
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("scenario_loader: tiny.json loads into SI units") {
  const Scenario sc = test::load_tiny();
  CHECK(sc.name == "tiny");
  CHECK(sc.source == test::tiny_path());
  CHECK(sc.duration_s == 10.0);
  CHECK(sc.output_step_s == 1.0);
  CHECK(sc.seed == 1);
  CHECK(sc.total_gpus() == 2);
  CHECK(sc.total_nodes() == 2);
  CHECK(sc.total_racks() == 1);
  REQUIRE(sc.profiles.size() == 1);  // the inline profile only, no built-in pulled in
  CHECK(sc.profiles[0].name == "toy-gpu");
  CHECK(sc.profiles[0].phase_power_w[static_cast<int>(power::GpuPhase::Communication)] == 200.0);
  REQUIRE(sc.node_types.size() == 1);
  const NodeType& n = sc.node_types[0];
  CHECK(n.json_path == "$.node_types.n1");
  REQUIRE(n.psu.has_value());
  CHECK(n.psu->installed() == 2);
  CHECK(n.psu->curve_name == "custom");
  CHECK(n.psu->params.curve.size() == 2);
  const HallSpec& h = sc.halls.at(0);
  CHECK(h.rows.at(0).busway.params.rated_w == 10000.0);                 // 10 kW
  CHECK(h.rows.at(0).busway.params.full_load_loss_frac == doctest::Approx(0.01));  // 1 %
  CHECK(h.lineups.ups.rated_w == 10000.0);
  CHECK(h.lineups.ups.square_loss_frac == doctest::Approx(0.05));
  CHECK(h.lineups.ups.eco_loss_frac == doctest::Approx(0.01));  // default 1.0 %
  CHECK(sc.feeds.capacity_w == 1e5);                            // 0.1 MW
  REQUIRE(sc.jobs.size() == 1);
  CHECK(sc.jobs[0].json_path == "$.jobs[0]");
  CHECK_FALSE(sc.jobs[0].stop_s.has_value());
  CHECK(sc.jobs[0].step_period_s() == 2.0);
}

TEST_CASE("scenario_loader: a rejected duration_s gives one problem, not a second about output_step_s") {
  const auto p = problems_of({"simulation.duration_s=-1"});
  REQUIRE(p.size() == 1);
  CHECK(p[0].where == "$.simulation.duration_s");
  // A real output_step_s > duration_s is still caught.
  const auto q = problems_of({"simulation.duration_s=0.5"});
  REQUIRE(q.size() == 1);
  CHECK(q[0].where == "$.simulation.output_step_s");
}

TEST_CASE("scenario_loader: a rejected tdp_w gives one problem, not one per phase") {
  const auto p = problems_of({"gpu_profiles.toy-gpu.tdp_w=-5"});
  REQUIRE(p.size() == 1);
  CHECK(p[0].where == "$.gpu_profiles.toy-gpu.tdp_w");
  // idle_w above tdp_w: one problem about idle_w (the phases are not all re-reported).
  const auto q = problems_of({"gpu_profiles.toy-gpu.idle_w=2000", "gpu_profiles.toy-gpu.phase_power_w.idle=2000"});
  REQUIRE(q.size() == 1);
  CHECK(q[0].where == "$.gpu_profiles.toy-gpu.idle_w");
  // A phase outside [idle_w, tdp_w] is reported.
  const auto r = problems_of({"gpu_profiles.toy-gpu.phase_power_w.compute=1001"});
  REQUIRE(r.size() == 1);
  CHECK(r[0].where == "$.gpu_profiles.toy-gpu.phase_power_w.compute");
  CHECK(r[0].expected == "a number in [100, 1000] W");  // the unit of phase_power_w
}

TEST_CASE("scenario_loader: a rejected idle_w of a component gives one problem") {
  const auto p = problems_of({"node_types.n1.components.cpu.active_w=\"x\""});
  REQUIRE(p.size() == 1);
  CHECK(p[0].where == "$.node_types.n1.components.cpu.active_w");
  const auto q = problems_of({"node_types.n1.components.cpu.active_w=10"});  // below idle 30
  REQUIRE(q.size() == 1);
  CHECK(q[0].where == "$.node_types.n1.components.cpu.active_w");
}

TEST_CASE("scenario_loader: redundancy strings") {
  const auto p = problems_of({"campus.halls.0.rows.0.busway.redundancy=N+0"});
  REQUIRE(p.size() == 1);
  CHECK(p[0].where == "$.campus.halls[0].rows[0].busway.redundancy");
  CHECK(p[0].found == "\"N+0\" (string)");
  CHECK(problems_of({"campus.utility.feeds.redundancy=2N"}).empty());
  CHECK(problems_of({"campus.utility.feeds.redundancy=3"}).size() == 1);
}

TEST_CASE("scenario_loader: unknown GPU profile and rack type names get hints") {
  const auto p = problems_of({"node_types.n1.gpu=toy-gpv"});
  REQUIRE(p.size() == 1);
  CHECK(p[0].where == "$.node_types.n1.gpu");
  CHECK(contains(p[0].found, "did you mean \"toy-gpu\"?"));
  const auto q = problems_of({"campus.halls.0.rows.0.racks.0.type=r2"});
  REQUIRE(q.size() == 1);
  CHECK(q[0].where == "$.campus.halls[0].rows[0].racks[0].type");
  CHECK(contains(q[0].found, "did you mean \"r1\"?"));
}

TEST_CASE("scenario_loader: a built-in profile name resolves without gpu_profiles") {
  const Scenario sc = test::load_tiny({"node_types.n1.gpu=h100-sxm"});
  CHECK(sc.profiles.size() == 2);  // the unused inline one and the built-in
  CHECK(sc.profiles[static_cast<std::size_t>(sc.node_types[0].profile)].tdp_w == 700.0);
}

TEST_CASE("scenario_loader: each node needs exactly one conversion stage") {
  const std::string shelf = R"({"count": 1, "redundancy": "N", "rated_w": 5000, "efficiency": "80plus-titanium-230v"})";
  const auto both = problems_of({"rack_types.r1.power_shelf=" + shelf});
  REQUIRE(both.size() == 1);
  CHECK(both[0].where == "$.rack_types.r1.power_shelf");
  CHECK(both[0].found == "both");
  // An optional object set to null is not "absent": it is reported.
  const auto null_psu = problems_of({"node_types.n1.psu=null"});
  REQUIRE_FALSE(null_psu.empty());
  CHECK(null_psu[0].where == "$.node_types.n1.psu");
}

TEST_CASE("scenario_loader: PSU efficiency curves") {
  const auto p = problems_of({"node_types.n1.psu.efficiency=80plus-titanium"});
  REQUIRE(p.size() == 1);
  CHECK(contains(p[0].found, "did you mean \"80plus-titanium-230v\"?"));
  const auto q = problems_of({R"(node_types.n1.psu.efficiency=[{"load_fraction": 0.5, "efficiency": 0.9}, {"load_fraction": 0.2, "efficiency": 0.9}])"});
  REQUIRE(q.size() == 1);
  CHECK(q[0].where == "$.node_types.n1.psu.efficiency");
  CHECK(contains(q[0].found, "must increase"));
}

TEST_CASE("scenario_loader: jobs asking more GPUs than the campus has") {
  const auto p = problems_of({"jobs.0.gpus=3"});
  REQUIRE(p.size() == 1);
  CHECK(p[0].where == "$.jobs");
  CHECK(contains(p[0].found, "3 GPUs asked"));
  const auto q = problems_of({"jobs.0.start_s=5", "jobs.0.stop_s=5"});
  REQUIRE(q.size() == 1);
  CHECK(q[0].where == "$.jobs[0].stop_s");
}

TEST_CASE("scenario_loader: too many output samples") {
  // 3.2e8 s at 1 ms would be 3.2e11 samples.
  const auto p = problems_of({"simulation.duration_s=3.2e8", "simulation.output_step_s=0.001"});
  REQUIRE(p.size() == 1);
  CHECK(p[0].where == "$.simulation");
  CHECK(p[0].expected.find("output_step_s of 6.4 s or more") != std::string::npos);  // the step that fits, with its unit
}

TEST_CASE("scenario_loader: the UPS curve is a named curve or three coefficients, not both") {
  // The default scenario names "high-efficiency-vfi": a0 0.4 %, a1 1.7 %, a2 1.2 % of rating.
  const Scenario sc = load_default_scenario();
  const power::UpsParams& u = sc.halls.at(0).lineups.ups;
  CHECK(u.no_load_loss_frac == doctest::Approx(0.004));
  CHECK(u.proportional_loss_frac == doctest::Approx(0.017));
  CHECK(u.square_loss_frac == doctest::Approx(0.012));
  // The old curve is kept under a name.
  LoadOptions lo;
  lo.overrides = {"campus.halls.0.lineups.ups.curve=legacy-wp108"};
  const Scenario legacy = load_default_scenario(lo);  // kept alive: `old` refers into it
  const power::UpsParams& old = legacy.halls.at(0).lineups.ups;
  CHECK(old.no_load_loss_frac == doctest::Approx(0.009));
  CHECK(old.proportional_loss_frac == doctest::Approx(0.033));
  CHECK(old.square_loss_frac == doctest::Approx(0.003));
  // Neither a curve nor coefficients: the default curve.
  std::string text(default_scenario_text());
  const std::string key = ", \"curve\": \"high-efficiency-vfi\"";
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key)) text.erase(at, key.size());
  const Scenario bare = load_scenario_text(text, "bare.json", ".");
  CHECK(bare.halls.at(0).lineups.ups.no_load_loss_frac == doctest::Approx(0.004));
  // tiny.json gives the three coefficients (a custom curve); adding a curve name is one problem.
  const auto p = problems_of({"campus.halls.0.lineups.ups.curve=legacy-wp108"});
  REQUIRE(p.size() == 1);
  CHECK(p[0].where == "$.campus.halls[0].lineups.ups.curve");
  // An unknown name is one problem.
  LoadOptions bad;
  bad.overrides = {"campus.halls.0.lineups.ups.curve=wp108"};
  try {
    load_default_scenario(bad);
    FAIL("an unknown UPS curve loaded");
  } catch (const InputError& e) {
    REQUIRE(e.problems().list().size() == 1);
    CHECK(e.problems().list()[0].where == "$.campus.halls[0].lineups.ups.curve");
  }
}
