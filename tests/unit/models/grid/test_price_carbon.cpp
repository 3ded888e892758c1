// The price and carbon series (models/grid/price_carbon.h): the CSV reader and the exact
// integration over metered power bins.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "models/grid/price_carbon.h"
#include "models/grid/price_carbon_buckets.h"

using namespace dctwin;
using namespace dctwin::grid;

namespace {
// Bins of 1, 2, 3, 4 MW for 900 s each, then 5 MW for 3600 s (7.5 MWh in all).
const std::vector<double> kEdges = {0, 900, 1800, 2700, 3600, 7200};
const std::vector<double> kMeanW = {1e6, 2e6, 3e6, 4e6, 5e6};
}  // namespace

TEST_CASE("price and carbon: cost and emissions integrate exactly over a hand-made series") {
  text::ParseIssues issues;
  const auto s = parse_price_carbon(
      "# hand-made\nt_s,usd_per_mwh,kg_co2_per_mwh,marginal_kg_co2_per_mwh\n0,50,10,600\n1800,100,400,700\n5400,-20,0,100\n", std::nullopt,
      issues);
  REQUIRE(issues.empty());
  REQUIRE(s.has_marginal());
  const CostEmissions c = integrate_cost_emissions(s, kEdges, kMeanW);
  // By hand: 0.25 + 0.5 MWh at 50 USD, 0.75 + 1.0 + 2.5 MWh at 100 USD, 2.5 MWh at -20 USD.
  CHECK(c.energy_mwh == doctest::Approx(7.5).epsilon(1e-12));
  CHECK(std::abs(c.cost_usd - 412.5) < 1e-9);
  // 0.75 MWh x 10 kg + 4.25 MWh x 400 kg = 1707.5 kg; marginal 0.75 x 600 + 4.25 x 700 + 2.5 x 100 = 3675 kg.
  CHECK(std::abs(c.emissions_t_co2 - 1.7075) < 1e-9);
  REQUIRE(c.marginal_emissions_t_co2.has_value());
  CHECK(std::abs(*c.marginal_emissions_t_co2 - 3.675) < 1e-9);
}

TEST_CASE("price and carbon: ISO times relative to the start time give the same integral") {
  const auto start = parse_iso_time("2025-07-01T00:00Z");
  REQUIRE(start.has_value());
  CHECK(*start == 1751328000.0);  // 2025-07-01T00:00:00Z as a Unix time
  text::ParseIssues issues;
  const auto s = parse_price_carbon(
      "time,usd_per_mwh,kg_co2_per_mwh\n2025-06-30T23:00:00Z,50,10\n2025-07-01T00:30Z,100,400\n2025-07-01T03:30:00+02:00,-20,0\n", start,
      issues);
  REQUIRE(issues.empty());
  CHECK_FALSE(s.has_marginal());
  REQUIRE(s.t_s.size() == 3);
  CHECK(s.t_s[0] == -3600);
  CHECK(s.t_s[2] == 5400);
  const CostEmissions c = integrate_cost_emissions(s, kEdges, kMeanW);
  CHECK(std::abs(c.cost_usd - 412.5) < 1e-9);
  CHECK_FALSE(c.marginal_emissions_t_co2.has_value());
}

TEST_CASE("price and carbon reader: every bad field with its line and column") {
  text::ParseIssues issues;
  parse_price_carbon("t_s,usd_per_mwh,kg_co2_per_mwh\n0,50,10\n10,x,10\n20,50,-1\n-5,50,10\n30,50\n", std::nullopt, issues);
  REQUIRE(issues.size() == 4);
  CHECK(issues[0].line == 3);
  CHECK(issues[0].expected.find("column 2 (usd_per_mwh)") != std::string::npos);
  CHECK(issues[1].line == 4);
  CHECK(issues[1].expected.find("column 3 (kg_co2_per_mwh)") != std::string::npos);
  CHECK(issues[2].line == 5);  // not after the previous accepted row (t = 0)
  CHECK(issues[3].line == 6);  // too few fields
  text::ParseIssues late;
  parse_price_carbon("t_s,usd_per_mwh,kg_co2_per_mwh\n60,50,10\n", std::nullopt, late);
  REQUIRE(late.size() == 1);
  CHECK(late[0].line == 0);  // the series must cover the run start
  text::ParseIssues iso;
  parse_price_carbon("time,usd_per_mwh,kg_co2_per_mwh\n2025-07-01T00:00Z,50,10\n", std::nullopt, iso);
  REQUIRE(iso.size() == 1);
  CHECK(iso[0].expected.find("start_time") != std::string::npos);
  CHECK_FALSE(parse_iso_time("2025-02-29T00:00Z").has_value());
  CHECK_FALSE(parse_iso_time("2025-07-01 00:00:00 UTC").has_value());
}

TEST_CASE("price and carbon: per-bucket integrals split bins at bucket edges and sum to the total") {
  text::ParseIssues issues;
  const auto s = parse_price_carbon("t_s,usd_per_mwh,kg_co2_per_mwh,marginal_kg_co2_per_mwh\n0,50,10,600\n1800,100,400,700\n5400,-20,0,100\n",
                                    std::nullopt, issues);
  REQUIRE(issues.empty());
  // Buckets of 2400 s cut the 3 MW bin (1800..2700) and the 5 MW bin (3600..7200) and hold the
  // price step at 5400 s inside the last bucket.
  const auto b = integrate_cost_emissions_by_bucket(s, kEdges, kMeanW, 2400);
  REQUIRE(b.size() == 3);
  CHECK(b[0].t0_s == 0);
  CHECK(b[1].t0_s == 2400);
  CHECK(b[2].t1_s == 7200);
  // By hand: [0, 2400): 0.75 MWh at 50 USD + 3 MW x 600 s = 0.5 MWh at 100 USD.
  CHECK(std::abs(b[0].totals.energy_mwh - 1.25) < 1e-12);
  CHECK(std::abs(b[0].totals.cost_usd - 87.5) < 1e-9);
  CHECK(std::abs(b[0].usd_per_mwh - 62.5) < 1e-12);  // (1800 s x 50 + 600 s x 100) / 2400 s
  // [2400, 4800): 0.25 + 1.0 + 5 MW x 1200 s = 2.916667 MWh, all at 100 USD and 400 kg.
  CHECK(std::abs(b[1].totals.cost_usd - 100 * (1.25 + 5.0 / 3.0)) < 1e-9);
  CHECK(std::abs(b[1].totals.emissions_t_co2 - 0.4 * (1.25 + 5.0 / 3.0)) < 1e-12);
  // [4800, 7200): 5 MW x 600 s at 100 USD, 5 MW x 1800 s at -20 USD; mean price 10 USD/MWh.
  CHECK(std::abs(b[2].totals.cost_usd - (500.0 / 6.0 - 50.0)) < 1e-9);
  CHECK(std::abs(b[2].usd_per_mwh - 10.0) < 1e-12);
  REQUIRE(b[2].marginal_kg_co2_per_mwh.has_value());
  CHECK(std::abs(*b[2].marginal_kg_co2_per_mwh - (600 * 700 + 1800 * 100) / 2400.0) < 1e-12);
  // The buckets sum to the run's totals (1e-9).
  const CostEmissions total = integrate_cost_emissions(s, kEdges, kMeanW);
  double cost = 0, kg = 0, marginal = 0, mwh = 0;
  for (const auto& x : b) {
    cost += x.totals.cost_usd;
    kg += x.totals.emissions_t_co2;
    marginal += x.totals.marginal_emissions_t_co2.value_or(-1e9);
    mwh += x.totals.energy_mwh;
  }
  CHECK(std::abs(cost - total.cost_usd) < 1e-9);
  CHECK(std::abs(kg - total.emissions_t_co2) < 1e-9);
  CHECK(std::abs(marginal - *total.marginal_emissions_t_co2) < 1e-9);
  CHECK(std::abs(mwh - 7.5) < 1e-12);
  CHECK(std::abs(total.cost_usd - 412.5) < 1e-9);
  // A rounding sliver past the last whole bucket (edges summed from output steps) stays in it.
  std::vector<double> edges = kEdges;
  edges.back() += 1e-12;
  const auto sliver = integrate_cost_emissions_by_bucket(s, edges, kMeanW, 2400);
  REQUIRE(sliver.size() == 3);
  CHECK(sliver[2].t1_s == edges.back());
}
