// Ratings far from what the simulation draws (sim/facility/rating_check.h): tiny.json's node worked
// by hand, the nameplate thresholds on both sides, a rating given in the wrong unit, and the shipped
// scenarios warning-free.
#include <doctest/doctest.h>

#include "sim/facility/rating_check.h"
#include "tests/support.h"

using namespace dctwin;

namespace {
std::vector<RatingWarning> warnings_of(std::vector<std::string> overrides) {
  return rating_warnings(test::load_tiny(std::move(overrides)));
}
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("rating check: tiny.json's node draws 1,440 W at TDP, its 1,500 W nameplate within the thresholds") {
  // GPU at TDP 1,000 W + components active 150 W = 1,150 W of heat = the fans' design heat: 50 W;
  // 1,200 W DC over 2 PSUs (N+1) = 600 W each = 30 % of 2,000 W: efficiency 0.8 + 0.1 x 0.2 / 0.6
  // = 0.83333, 720 W in each: 1,440 W AC.
  const Scenario sc = test::load_tiny();
  CHECK(node_max_draw_w(sc, 0) == doctest::Approx(1440.0).epsilon(1e-9));
  CHECK(rating_warnings(sc).empty());
}

TEST_CASE("rating check: a nameplate far from the draw is a warning with both figures") {
  // The user's slip: a figure in kW typed into nameplate_w (W).
  const auto w = warnings_of({"node_types.n1.nameplate_w=1.5"});
  REQUIRE(w.size() == 1);
  CHECK(w[0].path == "$.node_types.n1.nameplate_w");
  CHECK(contains(w[0].message, "nameplate_w 1.5 W"));
  CHECK(contains(w[0].message, "1.44 kW"));
  CHECK(contains(w[0].message, "0.00104 x"));
  // Thresholds: 0.9 x 1,440 = 1,296 W and 1.5 x 1,440 = 2,160 W.
  CHECK(warnings_of({"node_types.n1.nameplate_w=1290"}).size() == 1);
  CHECK(warnings_of({"node_types.n1.nameplate_w=1300"}).empty());
  CHECK(warnings_of({"node_types.n1.nameplate_w=2150"}).empty());
  CHECK(warnings_of({"node_types.n1.nameplate_w=2170"}).size() == 1);
}

TEST_CASE("rating check: an element rating 100 x off its load at the modelled maximum is a warning") {
  // The busway carries 2 x 1,440 W + 200 W rack equipment = 3,080 W over its 2 units: 1,540 W each.
  const auto w = warnings_of({"campus.halls.0.rows.0.busway.rated_kw=200"});  // 130 x
  REQUIRE(w.size() == 1);
  CHECK(w[0].path == "$.campus.halls[0].rows[0].busway");
  CHECK(contains(w[0].message, "rating 200 kW"));
  CHECK(contains(w[0].message, "1.54 kW"));
  CHECK(warnings_of({"campus.halls.0.rows.0.busway.rated_kw=150"}).empty());  // 97 x
}

TEST_CASE("rating check: the shipped scenarios have no warning") {
  for (const auto& path : test::shipped_scenarios()) {
    CAPTURE(path);
    const Scenario sc = load_scenario_file(path, {});
    for (const auto& w : rating_warnings(sc)) FAIL_CHECK(w.str());
  }
}

TEST_CASE("cli: validate and run warn of a nameplate far from the draw, with both figures, and still succeed") {
  const std::string tiny = test::shell_quote(test::tiny_path());
  const std::string slip = " --set node_types.n1.nameplate_w=1.5";
  const auto v = test::run_cli("validate " + tiny + slip);
  CAPTURE(v.out);
  CHECK(v.code == 0);
  CHECK(contains(v.out, "dctwin: warning: $.node_types.n1.nameplate_w: nameplate_w 1.5 W is 0.00104 x the 1.44 kW"));
  CHECK(contains(v.out, ": valid ("));
  CHECK_FALSE(contains(test::run_cli("validate " + tiny).out, "warning"));
  test::TempDir dir("rating-run");
  const auto r = test::run_cli("run " + tiny + slip + " --no-report -o " + test::shell_quote(dir.str()));
  CAPTURE(r.out);
  CHECK(r.code == 0);
  CHECK(contains(r.out, "dctwin: warning: $.node_types.n1.nameplate_w"));
  const json s = json::parse(test::read_file(dir.file("summary.json")));
  REQUIRE(s["warnings"].size() == 1);
  CHECK(s["warnings"][0]["path"] == "$.node_types.n1.nameplate_w");
  CHECK(contains(s["warnings"][0]["message"].get<std::string>(), "1.44 kW"));
}
