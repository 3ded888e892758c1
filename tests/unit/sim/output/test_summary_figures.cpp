// sim/output/summary_figures.h: the typed figures read from a summary.json written by hand (with
// and without cooling), and from a real run of tests/data/tiny.json.
#include <doctest/doctest.h>

#include "sim/output/summary_figures.h"
#include "sim/run.h"
#include "tests/support.h"

using namespace dctwin;

namespace {

json uncooled_summary() {
  return json::parse(R"({"gpus": 16, "gpus_in_jobs": 8, "peak_it_mw": 0.5, "mean_it_mw": 0.25, "peak_facility_mw": 0.6,
    "mean_facility_mw": 0.3, "it_energy_mwh": 1.5, "losses_energy_mwh": 0.1, "max_ramp_up_mw_per_s": 2,
    "max_ramp_down_mw_per_s": 3, "ramp_window_s": 0.1, "cooling_modelled": false, "cooling_energy_mwh": null, "pue": null,
    "max_junction_c": null, "throttled_gpu_hours": null,
    "overloads": [{"element": "busway", "name": "b0", "condition": "normal", "load_kw": 120, "rating_kw": 100,
                   "margin_kw": -20, "margin_pct": -20, "t_s": 1}]})");
}

}  // namespace

TEST_CASE("summary figures: without cooling, the cooling figures are empty") {
  const SummaryFigures f = read_summary_figures(uncooled_summary());
  CHECK(f.gpus == 16);
  CHECK(f.gpus_in_jobs == 8);
  CHECK(f.peak_facility_mw == 0.6);
  CHECK(f.max_ramp_down_mw_per_s == 3.0);
  REQUIRE(f.overloads.size() == 1);
  CHECK(f.overloads[0].element == "busway");
  CHECK(f.overloads[0].margin_kw == -20.0);
  CHECK_FALSE(f.cooling_modelled);
  CHECK_FALSE(f.pue);
  CHECK_FALSE(f.cooling_energy_mwh);
  CHECK_FALSE(f.free_cooling_full_h);
  CHECK_FALSE(f.max_junction_c);
  CHECK(f.alarms == 0);
  CHECK_FALSE(f.time_to_first_alarm_s);
  CHECK(f.plant_failures.is_null());
}

TEST_CASE("summary figures: with cooling and plant failures") {
  json s = uncooled_summary();
  s["cooling_modelled"] = true;
  s["pue"] = 1.2;
  s["wue_l_per_kwh"] = nullptr;  // no IT energy
  s["cooling_energy_mwh"] = 0.4;
  s["free_cooling_hours"] = {{"full", 5.0}, {"partial", 2.0}};
  s["chiller_hours"] = 7.0;
  s["max_facility_water_c"] = 31.0;
  s["max_junction_c"] = 82.5;
  s["throttled_gpu_hours"] = 0.0;
  s["alarms"] = json::array({json::object(), json::object(), json::object()});
  s["plant_failures"] = json::parse(R"([{"unit": "chiller", "time_to_first_alarm_s": 42.0}, {"time_to_first_alarm_s": 1.0}])");
  const SummaryFigures f = read_summary_figures(s);
  CHECK(f.pue == 1.2);
  CHECK_FALSE(f.wue_l_per_kwh);
  CHECK(f.free_cooling_full_h == 5.0);
  CHECK(f.free_cooling_partial_h == 2.0);
  CHECK(f.chiller_hours == 7.0);
  CHECK(f.max_junction_c == 82.5);
  CHECK(f.throttled_gpu_hours == 0.0);
  CHECK(f.alarms == 3);
  CHECK(f.time_to_first_alarm_s == 42.0);  // the first failure's
  CHECK(f.plant_failures.size() == 2);
  s["plant_failures"][0]["time_to_first_alarm_s"] = nullptr;  // no alarm after it
  CHECK_FALSE(read_summary_figures(s).time_to_first_alarm_s);
  s.erase("gpus");
  CHECK_THROWS(read_summary_figures(s));
}

TEST_CASE("summary figures: a run's summary reads back") {
  const RunResult r = run_scenario(test::load_tiny({"simulation.duration_s=5"}));
  const SummaryFigures f = read_summary_figures(r.summary);
  CHECK(f.gpus == r.summary["gpus"].get<std::int64_t>());
  CHECK(f.peak_facility_mw == r.summary["peak_facility_mw"].get<double>());
  CHECK(f.overloads.size() == r.summary["overloads"].size());
}
