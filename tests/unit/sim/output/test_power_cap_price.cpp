// A profile's fitted power-cap curve in a run (models/power/power_cap.h), and the run's energy cost
// and emissions from grid.price_carbon_file (models/grid/price_carbon.h), on tests/data/tiny.json
// (toy GPU: compute 1000 W, communication 200 W, idle 100 W; step 1 s + 1 s).
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "sim/run.h"
#include "tests/support.h"

using namespace dctwin;

namespace {
const char* kCurve = R"(gpu_profiles.toy-gpu.power_cap={"static_w":400,"exponent":3,"knee_clock_ratio":0.9})";
const char* kCurveSource = R"(gpu_profiles.toy-gpu.sources.power_cap="assumption: test curve")";
}  // namespace

TEST_CASE("power cap: a compute-bound step slows by the profile's fitted curve") {
  // Cap 550 W on a curve with P_s 400 W, a 3, knee 0.9: r = (550-400)/(1000-400) = 0.25, below the
  // knee's 0.9^3 = 0.729, so f/f_0 = 0.25 / 0.9^2 = 0.308642 and the 1 s compute phase lasts 3.24 s.
  const Scenario sc = test::load_tiny({kCurve, kCurveSource, R"(jobs.0.power_cap={"gpu_w":550})"});
  const RunResult r = run_scenario(sc);
  const json& job = r.summary["jobs"][0];
  CHECK(job["power_cap_slowdown"].get<double>() == doctest::Approx(3.24).epsilon(1e-9));
  CHECK(job["step_phases"][0]["duration_s"].get<double>() == doctest::Approx(3.24).epsilon(1e-8));
  CHECK(job["step_phases"][1]["duration_s"].get<double>() == 1.0);
  // An explicit dvfs_exponent keeps the single-exponent law (P_s = idle 100 W): 0.5^(-1/3).
  const RunResult old = run_scenario(test::load_tiny({kCurve, kCurveSource, R"(jobs.0.power_cap={"gpu_w":550,"dvfs_exponent":3})"}));
  CHECK(old.summary["jobs"][0]["power_cap_slowdown"].get<double>() == doctest::Approx(1.259921050).epsilon(1e-9));
  // A cap at or below the curve's static power cannot run.
  CHECK_THROWS_AS(run_scenario(test::load_tiny({kCurve, kCurveSource, R"(jobs.0.power_cap={"gpu_w":350})"})), InputError);
}

TEST_CASE("price and carbon: summary cost and emissions, null without a file") {
  const RunResult none = run_scenario(test::load_tiny({"simulation.duration_s=10"}));
  CHECK(none.summary["energy_cost_usd"].is_null());
  CHECK(none.summary["emissions_t_co2"].is_null());
  CHECK(none.summary["emissions_marginal_t_co2"].is_null());

  const auto csv = std::filesystem::temp_directory_path() / "dctwin-test-price-carbon.csv";
  {
    std::ofstream f(csv);
    f << "t_s,usd_per_mwh,kg_co2_per_mwh\n-10,100,200\n5,300,50\n";
  }
  const RunResult r = run_scenario(test::load_tiny(
      {"simulation.duration_s=10", "simulation.output_step_s=0.5", "grid={\"price_carbon_file\":\"" + csv.string() + "\"}"}));
  std::filesystem::remove(csv);
  // By hand from the meter's bins: the first 5 s at 100 USD and 200 kg per MWh, the rest at 300 and 50.
  const Recorder& rec = r.engine.recorder;
  double first_mwh = 0, second_mwh = 0;
  for (std::size_t k = 0; k < rec.bin_count(); ++k)
    (to_seconds(rec.bin_start(k)) < 5 ? first_mwh : second_mwh) += rec.bin_mean_w(k, kUtility) * to_seconds(rec.bin_length(k)) / 3.6e9;
  CHECK(first_mwh + second_mwh == doctest::Approx(r.summary["facility_energy_mwh"].get<double>()).epsilon(1e-12));
  CHECK(std::abs(r.summary["energy_cost_usd"].get<double>() - (first_mwh * 100 + second_mwh * 300)) < 1e-9);
  CHECK(std::abs(r.summary["emissions_t_co2"].get<double>() - (first_mwh * 200 + second_mwh * 50) / 1000) < 1e-12);
  CHECK(r.summary["emissions_marginal_t_co2"].is_null());
  CHECK(r.summary["energy_cost_usd"].get<double>() > 0);
}
