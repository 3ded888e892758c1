// The scenario's "grid" object (sim/input/grid_spec.h): events and equipment read into SI units,
// every key settable, problems with their JSON path.
#include <doctest/doctest.h>

#include "sim/input/scenario_loader.h"
#include "tests/support.h"

namespace test = dctwin::test;
using namespace dctwin;

namespace {
std::string input_error(const std::vector<std::string>& overrides) {
  try {
    (void)test::load_tiny(overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("grid spec: absent is none, events and equipment are read in SI units") {
  CHECK_FALSE(test::load_tiny().grid);
  const Scenario sc = test::load_tiny(
      {"grid={\"events\": [{\"kind\": \"voltage_sag\", \"at_s\": 1, \"duration_s\": 0.1, \"remaining_pu\": 0.3}, "
       "{\"kind\": \"frequency_deviation\", \"at_s\": 2, \"duration_s\": 1, \"frequency_hz\": 49}, "
       "{\"kind\": \"outage\", \"at_s\": 3.5, \"duration_s\": 2}], "
       "\"equipment\": {\"nominal_frequency_hz\": 50, \"it_on_ups_fraction\": 0.8, \"it_tolerance\": \"psu-holdup\", "
       "\"psu\": {\"holdup_rated_ms\": 16}, \"ups\": {\"mode\": \"eco\", \"autonomy_rated_min\": 2, \"counter_return_s\": 90}, "
       "\"generator\": {\"capacity_mw\": 3, \"stages\": 2}, \"cooling_drives\": {\"ride_through_ms\": 100}}}"});
  REQUIRE(sc.grid);
  const GridSpec& g = *sc.grid;
  REQUIRE(g.events.size() == 3);
  CHECK(g.events[0].kind == GridEventKind::VoltageSag);
  CHECK(g.events[0].remaining_pu == 0.3);
  CHECK(g.events[1].kind == GridEventKind::FrequencyDeviation);
  CHECK(g.events[1].frequency_hz == std::optional<double>(49));
  CHECK(g.events[1].remaining_pu == 1.0);
  CHECK(g.events[2].kind == GridEventKind::Outage);
  CHECK(g.events[2].remaining_pu == 0.0);
  CHECK(g.events[2].json_path == "$.grid.events[2]");
  CHECK(g.equipment.nominal_frequency_hz == 50);
  CHECK(g.equipment.it_on_ups_fraction == 0.8);
  CHECK(g.equipment.it_tolerance == power::ItTolerance::PsuHoldUp);
  CHECK(g.equipment.psu.holdup_rated_s == doctest::Approx(0.016));
  CHECK(g.equipment.ups.eco);
  CHECK(g.equipment.ups.autonomy_rated_s == 120);
  CHECK(g.equipment.ups.counter_return_s == std::optional<double>(90));
  REQUIRE(g.equipment.generator);
  CHECK(g.equipment.generator->capacity_w == 3e6);
  CHECK(g.equipment.generator->stages == 2);
  CHECK(g.equipment.drives.ride_through_s == doctest::Approx(0.1));
  // Defaults where absent (models/power/ride_through.h).
  CHECK(g.equipment.ups.counter_n == 3);
  CHECK(g.equipment.ups.counter_window_s == 60);
}

TEST_CASE("grid spec: problems name the JSON path") {
  CHECK(input_error({"grid={\"events\": [{\"kind\": \"outage\", \"at_s\": 1}]}"}).find("$.grid.events[0].duration_s") != std::string::npos);
  CHECK(input_error({"grid={\"events\": [{\"kind\": \"voltage_sag\", \"at_s\": 1, \"duration_s\": 1, \"remaining_pu\": -0.1}]}"})
            .find("$.grid.events[0].remaining_pu") != std::string::npos);
  CHECK(input_error({"grid={\"events\": [], \"curtailment\": 1}"}).find("$.grid.curtailment") != std::string::npos);
  CHECK(input_error({"grid={\"equipment\": {\"ups\": {\"mode\": \"online\"}}}"}).find("$.grid.equipment.ups.mode") != std::string::npos);
  CHECK(input_error({"grid={\"equipment\": {\"ups\": {\"counter_return_s\": null}}}"}).empty());  // manual return
  CHECK(input_error({"grid={\"events\": []}"}).empty());
  CHECK(input_error({"grid={\"pcc\": {\"nominal_kv\": 138, \"short_circuit_mva\": 0, \"x_over_r\": 10}}"})
            .find("$.grid.pcc.short_circuit_mva") != std::string::npos);
  CHECK(input_error({"grid={\"pcc\": {\"nominal_kv\": 138, \"x_over_r\": 10}}"}).find("$.grid.pcc.short_circuit_mva") != std::string::npos);
  CHECK(input_error({"grid={\"pcc\": {\"nominal_kv\": 138, \"short_circuit_mva\": 2000, \"x_over_r\": 10, \"xr\": 1}}"})
            .find("$.grid.pcc.xr") != std::string::npos);
}

TEST_CASE("grid spec: the point of common coupling") {
  const Scenario sc = test::load_tiny({"grid={\"pcc\": {\"nominal_kv\": 138, \"short_circuit_mva\": 2000, \"x_over_r\": 10}}"});
  REQUIRE(sc.grid);
  REQUIRE(sc.grid->pcc);
  CHECK(sc.grid->pcc->nominal_kv == 138);
  CHECK(sc.grid->pcc->short_circuit_mva == 2000);
  CHECK(sc.grid->pcc->x_over_r == 10);
  CHECK(sc.grid->events.empty());
}
