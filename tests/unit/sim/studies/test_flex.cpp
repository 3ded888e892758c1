// dctwin flex (sim/studies/flex.h) on tiny.json: one run, every case a curtailment on its series.
#include <doctest/doctest.h>

#include <algorithm>

#include "sim/studies/flex.h"
#include "tests/support.h"

namespace test = dctwin::test;
using namespace dctwin;

TEST_CASE("flex: depth x duration x notice on the tiny campus, deferral holds any depth it covers") {
  // Compute-only step, a deferrable job: stopping it takes 1311.153 W off 2184.047 W (60.03 %;
  // tests/unit/sim/facility/test_curtailment.cpp), so every depth up to 60 % is held and none above.
  const Scenario sc = test::load_tiny({"jobs.0.step=[{\"phase\": \"compute\", \"duration_s\": 1}]", "jobs.0.deferrable=true",
                                       "flexibility={\"strategies\": [\"defer\"]}"});
  FlexOptions o;
  o.depths_pct = {10, 50, 70};
  o.durations_s = {900, 3600};
  o.notices_s = {0, 600};
  o.threads = 2;
  const FlexMap m = flex_map(sc, o);
  REQUIRE(m.cases.size() == 12);
  CHECK(m.run_s == kSettleS + 600 + 3600 + kReboundS);
  for (const FlexCase& c : m.cases) {
    CAPTURE(c.depth_pct);
    CHECK(c.reference_w == doctest::Approx(2184.047135465).epsilon(1e-9));
    CHECK(c.asked_w == doctest::Approx(2184.047135465 * c.depth_pct / 100).epsilon(1e-9));
    CHECK(c.feasible == (c.depth_pct <= 60));
    CHECK(c.achieved_w == doctest::Approx(2184.047135465 - 872.8941775424).epsilon(1e-9));
    CHECK(c.goodput_lost_gpu_h == doctest::Approx(c.duration_s / 3600).epsilon(1e-12));
    CHECK_FALSE(c.cost_usd);  // no price series
  }
  CHECK(m.offers.empty());
  const json j = flex_json(m);
  CHECK(j["price_offers"].is_null());
  CHECK(j["cases"].size() == 12);
  const std::string csv = flex_csv(m);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 13);
}
