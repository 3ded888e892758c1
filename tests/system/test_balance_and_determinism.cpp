// System checks on every shipped scenario (scenarios/*.json, shortened): the energy balance
// closes, and the same scenario and seed give byte-identical results.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/output/results.h"
#include "sim/run.h"
#include "tests/support.h"

using namespace dctwin;

namespace {
// 700 s covers the later job starts of the shipped scenarios (300 s and 600 s) at a few seconds
// of run time each.
const std::vector<std::string> kShorten = {"simulation.duration_s=700"};

double sum_values(const json& obj) {
  double s = 0;
  for (const auto& [k, v] : obj.items()) s += v.get<double>();
  return s;
}
}  // namespace

TEST_CASE("system: there are shipped scenarios, and the embedded default is scenarios/mai1-15k-h100.json") {
  const auto files = test::shipped_scenarios();
  CHECK(files.size() >= 3);
  CHECK(std::string(default_scenario_text()) == test::read_file(test::source_path("scenarios/mai1-15k-h100.json")));
}

TEST_CASE("system: energy balance closes on every shipped scenario") {
  for (const auto& path : test::shipped_scenarios()) {
    CAPTURE(path);
    LoadOptions lo;
    lo.overrides = kShorten;
    const Scenario sc = load_scenario_file(path, lo);
    const RunResult r = run_scenario(sc);
    const json& s = r.summary;
    CHECK(s["duration_s"].get<double>() == 700.0);
    CHECK(s["energy_balance_rel_error"].get<double>() <= 1e-9);
    // Recomputed from the summary: facility = IT + the losses by stage (+ cooling when modelled).
    const double facility = s["facility_energy_mwh"].get<double>();
    const double it = s["it_energy_mwh"].get<double>();
    const double losses = sum_values(s["losses_mwh_by_stage"]);
    const double cooling = s["cooling_modelled"].get<bool>() ? s["cooling_energy_mwh"].get<double>() : 0.0;
    CHECK(std::abs(facility - (it + losses + cooling)) / facility <= 1e-9);
    CHECK(std::abs(s["losses_energy_mwh"].get<double>() - losses) / losses <= 1e-12);
    // IT = its breakdown (GPUs, components, fans, rack equipment, PSU losses).
    CHECK(std::abs(it - sum_values(s["it_breakdown_mwh"])) / it <= 1e-9);
    // Ordering sanity: GPUs < IT < facility; mean <= peak; every loss stage positive.
    CHECK(s["gpu_energy_mwh"].get<double>() < it);
    CHECK(it < facility);
    CHECK(s["mean_facility_mw"].get<double>() <= s["peak_facility_mw"].get<double>());
    CHECK(s["mean_it_mw"].get<double>() <= s["peak_it_mw"].get<double>());
    for (const auto& kv : s["losses_mwh_by_stage"].items()) CHECK_MESSAGE(kv.value().get<double>() > 0, kv.key());
    // Mean power x duration = energy (MW x s / 3600 = MWh).
    CHECK(std::abs(s["mean_facility_mw"].get<double>() * 700 / 3600 - facility) / facility <= 1e-12);
    // The shipped scenarios are sized with margin: no overloads.
    CHECK(s["overloads"].empty());
    if (s["cooling_modelled"].get<bool>()) {
      CHECK(s["pue"].get<double>() == doctest::Approx(facility / it).epsilon(1e-12));
      CHECK(s["cooling"]["heat_balance_rel_error"].get<double>() <= 1e-6);
    } else {
      CHECK(s["cooling_energy_mwh"].is_null());
      CHECK(s["pue"].is_null());
    }
  }
}

TEST_CASE("system: same scenario and seed give byte-identical summary.json and timeseries.csv") {
  for (const auto& path : test::shipped_scenarios()) {
    CAPTURE(path);
    LoadOptions lo;
    lo.overrides = kShorten;
    const Scenario a = load_scenario_file(path, lo);
    const Scenario b = load_scenario_file(path, lo);
    const RunResult ra = run_scenario(a);
    const RunResult rb = run_scenario(b);
    const std::string sa = ra.summary.dump(2), sb = rb.summary.dump(2);
    CHECK(sa == sb);
    const std::string ca = timeseries_csv(ra.engine.recorder, nullptr, &ra.pq), cb = timeseries_csv(rb.engine.recorder, nullptr, &rb.pq);
    CHECK(ca == cb);
    // 700 s at 0.1 s: a header and 7000 rows.
    CHECK(std::count(ca.begin(), ca.end(), '\n') == 7001);

    // Through the files as well.
    test::TempDir d1("det1"), d2("det2");
    write_results(d1.str(), a, ra);
    write_results(d2.str(), b, rb);
    CHECK(test::read_file(d1.file("summary.json")) == test::read_file(d2.file("summary.json")));
    CHECK(test::read_file(d1.file("timeseries.csv")) == test::read_file(d2.file("timeseries.csv")));
    CHECK(test::read_file(d1.file("summary.json")) == sa + "\n");
    CHECK(test::read_file(d1.file("timeseries.csv")) == ca);
    CHECK_FALSE(std::filesystem::exists(d1.file("summary.json.tmp")));  // written atomically
  }
}
