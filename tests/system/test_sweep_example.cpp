// The shipped sweep example, scenarios/sweep-supply-temperature.json, run as the README runs it
// (from the repository root: dctwin sweep scenarios/sweep-supply-temperature.json -o DIR --jobs 2):
// one row per case, and the physics it is there to show — at the same weather, warmer facility
// water never costs more cooling energy (the water-side economizer carries more of the heat, the
// chillers less), and 30 °C water costs clearly less than 15 °C water in both climates.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "core/json_reader.h"
#include "tests/support.h"

using namespace dctwin;

namespace {

struct Row {
  double supply_c = 0;
  double cooling_mwh = 0, it_mwh = 0, pue = 0;
};

}  // namespace

TEST_CASE("sweep example: supply temperature x weather, one row per case, warmer water never costs more cooling") {
  test::TempDir dir("sweep-example");
  const std::string out = dir.file("out");
  const auto r = test::run_shell("cd " + test::shell_quote(DCTWIN_SOURCE_DIR) + " && " + test::shell_quote(DCTWIN_CLI_PATH) +
                                 " sweep scenarios/sweep-supply-temperature.json -o " + test::shell_quote(out) + " --jobs 2");
  CAPTURE(r.out);
  REQUIRE(r.code == 0);

  // The table: 2 weathers x 4 supply temperatures, in case order, the weather varying slowest.
  const std::string csv = test::read_file(out + "/sweep.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 8);
  CHECK(csv.rfind("case,grid_point,draw,cooling.weather,cooling.facility_water.supply_c,gpus,", 0) == 0);
  const json j = json::parse(test::read_file(out + "/sweep.json"));
  REQUIRE(j["cases"].size() == 8);
  CHECK(j["grid_points"] == 8);
  CHECK(j["draws"] == 1);

  std::map<std::string, std::vector<Row>> by_weather;  // EPW file -> rows in supply order
  for (std::size_t i = 0; i < j["cases"].size(); ++i) {
    const json& c = j["cases"][i];
    CAPTURE(c.dump());
    CHECK(c["case"] == i);
    CHECK(c["error"].is_null());
    REQUIRE(c["cooling_energy_mwh"].is_number());  // the base scenario models cooling
    CHECK(c["alarms"] == 0);                        // W32 / A2: 30 °C water stays within its classes
    by_weather[c["parameters"]["cooling.weather"]["epw_file"].get<std::string>()].push_back(
        {c["parameters"]["cooling.facility_water.supply_c"].get<double>(), c["cooling_energy_mwh"].get<double>(),
         c["it_energy_mwh"].get<double>(), c["pue"].get<double>()});
  }
  REQUIRE(by_weather.size() == 2);
  const double it_mwh = by_weather.begin()->second.front().it_mwh;
  for (const auto& entry : by_weather) {
    // Named references, not structured bindings: clang-14 cannot capture those in CAPTURE's lambda.
    const std::string& epw = entry.first;
    const auto& rows = entry.second;
    CAPTURE(epw);
    REQUIRE(rows.size() == 4);
    for (std::size_t k = 0; k < rows.size(); ++k) {
      CHECK(rows[k].it_mwh == doctest::Approx(it_mwh).epsilon(1e-12));  // cooling does not change the IT load here
      if (k == 0) continue;
      const double supply_c = rows[k].supply_c;
      CAPTURE(supply_c);
      CHECK(rows[k].supply_c > rows[k - 1].supply_c);
      CHECK(rows[k].cooling_mwh <= rows[k - 1].cooling_mwh * (1 + 1e-12));  // warmer water never costs more
      CHECK(rows[k].pue <= rows[k - 1].pue * (1 + 1e-12));
    }
    CHECK(rows.back().cooling_mwh < 0.5 * rows.front().cooling_mwh);  // 30 °C against 15 °C: well under half
  }
}
