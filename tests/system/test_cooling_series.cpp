// cooling.csv (sim/plant/cooling_series.h) agrees with summary.json: its sums are the run's totals, its
// maxima the run's maxima, and the IT-energy-weighted mean of its PUE is the run's PUE. On
// tests/data/tiny-cooling.json with GPU junction temperatures and a chiller lost part-way, with
// output rows (0.5 s) finer than the thermal step (2 s): four rows an interval.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "sim/output/results.h"
#include "sim/run.h"
#include "tests/support.h"

using namespace dctwin;

namespace {
// Columns by name; empty cells as NaN.
std::map<std::string, std::vector<double>> read_csv(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> names;
  {
    std::istringstream h(line);
    std::string n;
    while (std::getline(h, n, ',')) names.push_back(n);
  }
  std::map<std::string, std::vector<double>> cols;
  while (std::getline(in, line)) {
    std::size_t a = 0;
    for (const auto& n : names) {
      const std::size_t b = std::min(line.find(',', a), line.size());
      const std::string cell = line.substr(a, b - a);
      cols[n].push_back(cell.empty() ? std::nan("") : std::stod(cell));
      a = b + 1;
    }
  }
  return cols;
}
double sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}
double max_of(const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); }
// cooling.csv writes temperatures with 4 decimals: a maximum there is within 5e-5 K of the summary's.
constexpr double kCsvTempTolK = 5.01e-5;
}  // namespace

TEST_CASE("system: cooling.csv sums to the summary's totals and peaks at its maxima") {
  const Scenario sc = test::load_tiny_cooling(
      {"simulation.duration_s=301", "simulation.output_step_s=0.5", "simulation.thermal_step_s=2",
       R"(cooling.gpu_thermal={"r_th_k_w":0.05,"tau_s":5,"throttle_c":45,"limit_c":90})",
       R"(cooling.failures=[{"unit":"chiller","at_s":100,"duration_s":60}])"});
  const RunResult r = run_scenario(sc);
  test::TempDir dir("cooling-series");
  write_results(dir.str(), sc, r);
  const json& s = r.summary;
  REQUIRE(s["cooling"]["series"]["file"] == "cooling.csv");
  CHECK(s["cooling"]["series"]["interval_s"].get<double>() == 2.0);
  CHECK(s["cooling"]["limits_c"]["facility_water_supply"].is_number());
  CHECK(s["cooling"]["limits_c"]["gpu_junction_lowest"].get<double>() == 90.0);
  auto c = read_csv(test::read_file(dir.file("cooling.csv")));
  const auto ts = read_csv(test::read_file(dir.file("timeseries.csv")));
  REQUIRE(c["t_s"].size() == 151);  // ceil(301 / 2)
  CHECK(c["t_s"][1] == 2.0);
  CHECK(c.count("junction_max_c") == 1);
  CHECK(c.count("tcs_supply_max_c") == 1);

  CHECK(sum(c["water_l"]) == doctest::Approx(s["water_m3"].get<double>() * 1000.0).epsilon(1e-6));
  CHECK(sum(c["free_cooling_full_s"]) / 3600 == doctest::Approx(s["free_cooling_hours"]["full"].get<double>()).epsilon(1e-9));
  CHECK(sum(c["free_cooling_partial_s"]) / 3600 ==
        doctest::Approx(s["free_cooling_hours"]["partial"].get<double>()).epsilon(1e-9));
  CHECK(sum(c["chiller_on_s"]) / 3600 == doctest::Approx(s["chiller_hours"].get<double>()).epsilon(1e-9));
  CHECK(sum(c["tower_fans_on_s"]) / 3600 ==
        doctest::Approx(s["heat_rejection_fan_hours"]["cooling_towers"].get<double>()).epsilon(1e-9));
  CHECK(s["heat_rejection_fan_hours"]["cooling_towers"].get<double>() > 0);
  CHECK(s["heat_rejection_fan_hours"]["dry_coolers"].is_null());  // none installed
  CHECK(c.count("dry_cooler_fans_on_s") == 0);
  CHECK(std::abs(max_of(c["facility_supply_max_c"]) - s["max_facility_water_c"].get<double>()) <= kCsvTempTolK);
  CHECK(std::abs(max_of(c["facility_return_max_c"]) - s["cooling"]["max_facility_return_c"].get<double>()) <= kCsvTempTolK);
  CHECK(std::abs(max_of(c["tcs_supply_max_c"]) - s["cooling"]["max_tcs_supply_c"].get<double>()) <= kCsvTempTolK);
  CHECK(std::abs(max_of(c["rack_inlet_max_c"]) - s["cooling"]["max_rack_inlet_c"].get<double>()) <= kCsvTempTolK);
  CHECK(std::abs(max_of(c["junction_max_c"]) - s["max_junction_c"].get<double>()) <= kCsvTempTolK);

  // PUE: sum over intervals of PUE x IT energy / IT energy = the run's PUE.
  const auto& it = ts.at("it_mw");
  REQUIRE(it.size() == 602);
  double weighted = 0, it_total = 0;
  for (std::size_t k = 0; k < c["pue"].size(); ++k) {
    double e = 0;
    for (std::size_t j = 4 * k; j < std::min(4 * k + 4, it.size()); ++j) e += it[j] * 0.5;
    if (std::isnan(c["pue"][k])) {
      CHECK(e == 0);
      continue;
    }
    weighted += c["pue"][k] * e;
    it_total += e;
  }
  CHECK(weighted / it_total == doctest::Approx(s["pue"].get<double>()).epsilon(1e-5));
  REQUIRE(s["throttled_gpu_hours"].get<double>() > 0);
  double throttled_gpu_s = 0;
  for (std::size_t k = 0; k < c["t_s"].size(); ++k) throttled_gpu_s += c["throttled_gpus"][k] * std::min(2.0, 301 - c["t_s"][k]);
  CHECK(throttled_gpu_s / 3600 == doctest::Approx(s["throttled_gpu_hours"].get<double>()).epsilon(1e-6));
  // A GPU on a cold plate is warmer than the coolant it sits in, in every interval.
  for (std::size_t k = 0; k < c["t_s"].size(); ++k) CHECK(c["junction_max_c"][k] > c["tcs_supply_max_c"][k]);
}

TEST_CASE("system: without cooling there is no cooling.csv and the series key is absent") {
  const Scenario sc = test::load_tiny();
  const RunResult r = run_scenario(sc);
  test::TempDir dir("no-cooling-series");
  write_results(dir.str(), sc, r);
  CHECK(!std::filesystem::exists(dir.file("cooling.csv")));
  CHECK(!r.summary.contains("cooling"));
}
