// dctwin flex (sim/studies/flex.h) on tiny.json: one run, every case a curtailment on its series.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

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

TEST_CASE("flex: with a price series, the most expensive hours are offered at the deepest 1-hour reduction") {
  // 400 hourly prices, hour h at h USD/MWh: 0.25 / 0.5 / 1 % of 400 h = 1 / 2 / 4 hours, the
  // most expensive at 399, 398, 397, 396 USD/MWh; mean 199.5. Deferring the job takes 1311.153 W
  // for each hour; the deferred energy is bought back at the mean price.
  const auto csv = std::filesystem::temp_directory_path() / "dctwin-test-flex-price.csv";
  {
    std::ofstream f(csv);
    f << "t_s,usd_per_mwh,kg_co2_per_mwh\n";
    for (int h = 0; h < 400; ++h) f << h * 3600 << "," << h << ",100\n";
  }
  const Scenario sc = test::load_tiny({"jobs.0.step=[{\"phase\": \"compute\", \"duration_s\": 1}]", "jobs.0.deferrable=true",
                                       "flexibility={\"strategies\": [\"defer\"]}",
                                       "grid={\"price_carbon_file\":\"" + csv.string() + "\"}"});
  std::filesystem::remove(csv);
  FlexOptions o;
  o.depths_pct = {10, 50};
  o.durations_s = {3600};
  o.notices_s = {0};
  const FlexMap m = flex_map(sc, o);
  REQUIRE(m.offers.size() == 3);
  const double mw = (2184.047135465 - 872.8941775424) * 1e-6, mwh = mw * 1.0;
  const std::size_t hours[3] = {1, 2, 4};
  const double top[3] = {399, 399 + 398, 399 + 398 + 397 + 396};
  for (int i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(m.offers[i].hours == hours[i]);
    CHECK(m.offers[i].offered_w * 1e-6 == doctest::Approx(mw).epsilon(1e-9));
    CHECK(m.offers[i].goodput_lost_gpu_h == doctest::Approx(1.0 * static_cast<double>(hours[i])).epsilon(1e-12));
    CHECK(m.offers[i].savings_usd == doctest::Approx(mwh * top[i] - mwh * static_cast<double>(hours[i]) * 199.5).epsilon(1e-9));
  }
  for (const FlexCase& c : m.cases) CHECK(c.cost_usd.has_value());
}
