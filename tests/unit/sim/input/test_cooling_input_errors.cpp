// Cooling input errors state the limit and which value to change (sim/input/cooling_spec.cpp):
// the dry cooler's and the CDU's most heat at their design points with the binding flow, and
// supply air the coil cannot reach from the facility water (a validation error, not an alarm).
// Figures on tests/data/tiny-cooling.json (facility water 18 °C, supply air 24 °C, 4 K coil approach).
#include <doctest/doctest.h>

#include "sim/input/scenario_loader.h"
#include "tests/support.h"

namespace test = dctwin::test;
using namespace dctwin;

namespace {

std::string input_error(const std::vector<std::string>& overrides) {
  try {
    (void)test::load_tiny_cooling(overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A dry cooler of 100 kW entering at 40 °C against 35 °C air: 5 K to reject through.
std::string dry_cooler(double range_k, double air_kg_s) {
  return "cooling.heat_rejection.dry_coolers={\"count\": 1, \"redundancy\": \"N\", \"design_heat_kw\": 100, "
         "\"design_entering_water_c\": 40, \"design_dry_bulb_c\": 35, \"design_range_k\": " +
         std::to_string(range_k) + ", \"design_air_flow_kg_s\": " + std::to_string(air_kg_s) +
         ", \"fan_power_kw\": 2, \"leaving_setpoint_c\": 30}";
}

}  // namespace

TEST_CASE("cooling input: supply air below facility water + coil approach is a validation error with the figures") {
  CHECK(input_error({}).empty());
  // Exactly at the reach (18 + 4 = 22 °C) is accepted.
  CHECK(input_error({"cooling.air.supply_air_c=22"}).empty());
  const std::string e = input_error({"cooling.air.supply_air_c=21"});
  INFO(e);
  CHECK(has(e, "$.cooling.air.supply_air_c: expected at least facility_water.supply_c + coil_approach_k = 18 + 4 = 22 °C"));
  CHECK(has(e, "found 21 °C; raise supply_air_c to 22 °C or more, or lower $.cooling.facility_water.supply_c to 17 °C or less, "
               "or lower coil_approach_k to 3 K or less"));
  // Warmer water alone: the same check names the water's figure.
  const std::string w = input_error({"cooling.facility_water.supply_c=30"});
  CHECK(has(w, "= 30 + 4 = 34 °C"));
  CHECK(has(w, "found 24 °C"));
  // Supply air below the water itself: no approach can help, so none is suggested.
  const std::string b = input_error({"cooling.facility_water.supply_c=26"});
  CHECK(has(b, "lower $.cooling.facility_water.supply_c to 20 °C or less"));
  CHECK(!has(b, "lower coil_approach_k"));
  // A facility supply that is itself out of range reports that, not a derived coil problem.
  const std::string r = input_error({"cooling.facility_water.supply_c=-5"});
  CHECK(has(r, "$.cooling.facility_water.supply_c"));
  CHECK(!has(r, "supply_air_c"));
}

TEST_CASE("cooling input: the dry cooler error gives its most heat, the temperatures and the binding flow") {
  CHECK(input_error({dry_cooler(2, 30)}).empty());  // water 50 kW/K x 5 K, air 30.18 kW/K x 5 K: 151 kW > 100 kW
  // Water side: 100 kW / 10 K range = 10 kW/K x (40 - 35) K = 50 kW.
  const std::string w = input_error({dry_cooler(10, 30)});
  INFO(w);
  CHECK(has(w, "$.cooling.heat_rejection.dry_coolers.design_heat_kw: expected less than the most one dry cooler can reject at "
               "its design temperatures, 50 kW"));
  CHECK(has(w, "(design_entering_water_c 40 - design_dry_bulb_c 35 °C)"));
  CHECK(has(w, "the water flow binds"));
  CHECK(has(w, "found 100 kW; lower design_range_k below 5 K"));
  CHECK(has(w, "raise design_entering_water_c above 45 °C"));
  // Air side: 10 kg/s x 1006 J/(kg K) x 5 K = 50.3 kW; it needs 100 kW / (1006 x 5) = 19.88 kg/s.
  const std::string a = input_error({dry_cooler(2, 10)});
  INFO(a);
  CHECK(has(a, "50.3 kW"));
  CHECK(has(a, "the air flow binds: design_air_flow_kg_s 10 kg/s x 1006 J/(kg K)"));
  CHECK(has(a, "raise design_air_flow_kg_s above 19.88 kg/s or design_entering_water_c above 44.9 °C"));
  CHECK(!has(a, "design_range_k below"));
}

TEST_CASE("cooling input: the CDU error gives its most heat at the rating point and the flow to raise") {
  // tiny-cooling's CDU: 0.1 kg/s both sides x 4180 J/(kg K) x (40 - 30) K = 4.18 kW.
  const std::string e = input_error({"cooling.cdu.design_heat_kw=5"});
  INFO(e);
  CHECK(has(e, "$.cooling.cdu.design_heat_kw: expected less than the most one CDU can move at its rating point"));
  CHECK(has(e, "= 4.2 kW"));
  CHECK(has(e, "found 5 kW; lower design_heat_kw below that, raise tcs_flow_kg_s and fws_flow_kg_s above 0.12 kg/s"));
  const std::string t = input_error({"cooling.cdu.tcs_return_c=25"});
  CHECK(has(t, "$.cooling.cdu.tcs_return_c: expected more than fws_supply_c (30 °C)"));
  CHECK(has(t, "found 25 °C; raise tcs_return_c above 30 °C"));
}
