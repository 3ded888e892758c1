// cost_emissions.csv (sim/output/price_carbon_summary.h) and the utility report's "Cost and
// emissions" section (viz/cost_section.h), on tests/data/tiny.json with a price and carbon file.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "sim/output/price_carbon_summary.h"
#include "sim/output/results.h"
#include "sim/run.h"
#include "tests/support.h"
#include "viz/format.h"
#include "viz/report.h"
#include "viz/run_data.h"

using namespace dctwin;
using namespace dctwin::viz;

namespace {
double column_sum(const RunData& rd, const std::string& name) {
  double s = 0;
  for (const double v : rd.cost_emissions.at(name)) s += v;
  return s;
}
ReportOptions utility() {
  ReportOptions o;
  o.kind = ReportKind::Utility;
  o.generated = "2025-01-01 00:00 UTC";
  return o;
}
}  // namespace

TEST_CASE("cost buckets: hourly from 12 h, shorter runs at least 12 buckets, never below the output step") {
  CHECK(cost_bucket_s(86400, 0.1) == 3600);
  CHECK(cost_bucket_s(12 * 3600, 1) == 3600);
  CHECK(cost_bucket_s(3600, 0.1) == 300);
  CHECK(cost_bucket_s(1200, 0.1) == 60);
  CHECK(cost_bucket_s(120, 0.5) == 10);
  CHECK(cost_bucket_s(5, 0.5) == 1);
  CHECK(cost_bucket_s(100, 20) == 20);
}

TEST_CASE("cost and emissions over time: cost_emissions.csv sums to the summary, the report draws it") {
  test::TempDir dir("cost-emissions");
  const std::string price = dir.str() + "/price.csv";
  // Steps at 35 s (inside a 10 s bucket) and 80 s; a marginal column.
  test::write_file(price, "t_s,usd_per_mwh,kg_co2_per_mwh,marginal_kg_co2_per_mwh\n-10,100,200,650\n35,300,50,400\n80,-20,0,120\n");
  const Scenario sc = test::load_tiny(
      {"simulation.duration_s=120", "simulation.output_step_s=0.5", "grid={\"price_carbon_file\":\"" + price + "\"}"});
  const RunResult r = run_scenario(sc);
  const std::string run = dir.str() + "/run";
  write_results(run, sc, r);
  const RunData rd = load_run(run);
  REQUIRE(rd.cost_emissions.count("t_s"));
  REQUIRE(rd.cost_emissions.at("t_s").size() == 12);  // 120 s in 10 s buckets
  CHECK(rd.cost_emissions.at("duration_s").front() == 10);
  const json& s = r.summary;
  CHECK(std::abs(column_sum(rd, "cost_usd") - s["energy_cost_usd"].get<double>()) < 1e-9);
  CHECK(std::abs(column_sum(rd, "emissions_t_co2") - s["emissions_t_co2"].get<double>()) < 1e-9);
  CHECK(std::abs(column_sum(rd, "marginal_emissions_t_co2") - s["emissions_marginal_t_co2"].get<double>()) < 1e-9);
  CHECK(std::abs(column_sum(rd, "energy_mwh") - s["facility_energy_mwh"].get<double>()) < 1e-9);
  // The bucket 30..40 s holds the step at 35 s: its mean price is (5 x 100 + 5 x 300) / 10.
  CHECK(std::abs(rd.cost_emissions.at("usd_per_mwh")[3] - 200.0) < 1e-9);
  CHECK(rd.cost_emissions.at("usd_per_mwh")[11] == -20);
  CHECK(s["energy_cost_usd"].get<double>() != 0);

  const std::string html = render_report(rd, utility());
  CHECK(html.find("id=\"cost-emissions\"") != std::string::npos);
  for (const char* id : {"chart-cost", "chart-emissions", "chart-price", "chart-intensity"})
    CHECK(html.find(std::string("id=\"") + id + "\"") != std::string::npos);
  // The table's run total and its sum of the buckets read the same, to the cent.
  const std::string total = fmt(s["energy_cost_usd"].get<double>(), 2) + " USD";
  const auto first = html.find(total);
  REQUIRE(first != std::string::npos);
  CHECK(html.find(total, first + 1) != std::string::npos);
  CHECK(html.find("per 10 s") != std::string::npos);

  // A damaged file is bad input: one line naming the file, the line and the column.
  const std::string good = test::read_file(run + "/cost_emissions.csv");
  test::write_file(run + "/cost_emissions.csv", good + "130.000,10,x,1,1,1,1,1,1\n");
  try {
    (void)load_run(run);
    FAIL("a damaged cost_emissions.csv was accepted");
  } catch (const InputError& e) {
    const std::string what = e.what();
    CHECK(what.find("cost_emissions.csv") != std::string::npos);
    CHECK(what.find("line 14, energy_mwh") != std::string::npos);
  }

  // Without a price file: no cost_emissions.csv, and the section says so in words.
  const Scenario plain = test::load_tiny({"simulation.duration_s=20"});
  const std::string run2 = dir.str() + "/plain";
  write_results(run2, plain, run_scenario(plain));
  CHECK_FALSE(std::filesystem::exists(run2 + "/cost_emissions.csv"));
  const std::string none = render_report(load_run(run2), utility());
  CHECK(none.find("No price or carbon-intensity series was given") != std::string::npos);
  CHECK(none.find("id=\"chart-cost\"") == std::string::npos);
}
