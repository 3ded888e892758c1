// docs/scenario.md's worked cooling example (liquid-cooled racks with CDUs), extracted from the
// document as written: `dctwin validate` accepts it and a short run models its CDUs and air side,
// so the document cannot drift from what the loader accepts.
#include <doctest/doctest.h>

#include "sim/input/scenario_loader.h"
#include "sim/run.h"
#include "tests/support.h"

namespace test = dctwin::test;
using namespace dctwin;

namespace {

// The first ```json block after `heading` in docs/scenario.md ("" when there is none).
std::string doc_json_block(const std::string& heading) {
  const std::string doc = test::read_file(test::source_path("docs/scenario.md"));
  const auto h = doc.find(heading);
  if (h == std::string::npos) return "";
  const auto open = doc.find("```json\n", h);
  if (open == std::string::npos) return "";
  const auto start = open + 8;
  const auto close = doc.find("\n```", start);
  return close == std::string::npos ? "" : doc.substr(start, close - start + 1);
}

const char* const kHeading = "### Worked cooling example: liquid-cooled racks with CDUs";

}  // namespace

TEST_CASE("docs/scenario.md worked cooling example: validates as written and runs with CDUs") {
  const std::string text = doc_json_block(kHeading);
  REQUIRE(!text.empty());
  test::TempDir dir("doc-cooling");
  const std::string path = dir.file("dlc.json");
  test::write_file(path, text);
  const test::CliRun v = test::run_cli("validate " + test::shell_quote(path));
  INFO(v.out);
  CHECK(v.code == 0);

  LoadOptions lo;
  lo.overrides = {"simulation.duration_s=60"};
  const Scenario sc = load_scenario_file(path, lo);
  REQUIRE(sc.cooling.has_value());
  CHECK(sc.cooling->cdu.has_value());
  CHECK(sc.cooling->air.has_value());
  const RunResult r = run_scenario(sc);
  const json& s = r.summary;
  CHECK(s["cooling_modelled"] == true);
  CHECK(s["pue"].get<double>() > 1.0);
  CHECK(s["alarms"].empty());  // the plant as documented carries its load within its classes
  CHECK(s["cooling"]["heat_balance_rel_error"].get<double>() <= 1e-6);

  // The example's stated boundary: 22 °C supply air is below 20 °C water + 4 K approach.
  const test::CliRun bad = test::run_cli("validate " + test::shell_quote(path) + " --set cooling.air.supply_air_c=22");
  INFO(bad.out);
  CHECK(bad.code == 2);
  CHECK(bad.out.find("$.cooling.air.supply_air_c: expected at least facility_water.supply_c + coil_approach_k = 20 + 4 = 24 °C") !=
        std::string::npos);
}
