// Curtailments on the command line: a bad curtailment or flexibility object exits 2 with its JSON
// path; `dctwin flex` writes flex.csv and flex.json.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/json_reader.h"
#include "tests/support.h"

namespace dctwin {

TEST_CASE("flex cli: bad curtailment input exits 2 with the JSON path") {
  const std::string tiny = test::shell_quote(test::tiny_path());
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"(grid={"curtailments": [{"at_s": 1, "notice_s": 0, "duration_s": 2}]})", "$.grid.curtailments[0].reduce_pct"},
      {R"(grid={"curtailments": [{"at_s": 1, "notice_s": -1, "duration_s": 2, "reduce_pct": 5}]})", "$.grid.curtailments[0].notice_s"},
      {R"(flexibility={"strategies": "defer"})", "$.flexibility.strategies"},
  };
  for (const auto& b : bad) {
    CAPTURE(b.first);
    const auto r = test::run_cli("validate " + tiny + " --set " + test::shell_quote(b.first));
    CAPTURE(r.out);
    CHECK(r.code == 2);
    CHECK(r.out.find(b.second) != std::string::npos);
    CHECK(r.out.find("internal error") == std::string::npos);
  }
}

TEST_CASE("flex cli: dctwin flex writes the map") {
  test::TempDir dir("flex");
  const auto r = test::run_cli("flex " + test::shell_quote(test::tiny_path()) + " --jobs 2 --set jobs.0.deferrable=true -o " +
                               test::shell_quote(dir.str()));
  CAPTURE(r.out);
  REQUIRE(r.code == 0);
  const std::string csv = test::read_file(dir.file("flex.csv"));
  CHECK(csv.rfind("depth_pct,duration_s,notice_s,", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 6 * 6 * 3);
  const json j = json::parse(test::read_file(dir.file("flex.json")));
  CHECK(j["cases"].size() == 108);
}

}  // namespace dctwin
