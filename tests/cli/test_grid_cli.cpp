// The "grid" object on the command line: bad events exit 2 with their JSON path, --set
// grid.events works, a run writes grid_events in summary.json and grid_events.csv, and
// `dctwin ride-through` writes a monotone map.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "core/json_input.h"
#include "core/json_reader.h"
#include "tests/support.h"

namespace dctwin {
namespace {

std::string tiny() { return test::shell_quote(test::tiny_path()); }

void bad_grid(const std::string& set, const std::string& expect) {
  CAPTURE(set);
  const auto r = test::run_cli("validate " + tiny() + " --set " + test::shell_quote(set));
  CAPTURE(r.out);
  CHECK(r.code == 2);
  CHECK(r.out.find(expect) != std::string::npos);
  CHECK(r.out.find("internal error") == std::string::npos);
}

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::istringstream ls(line);
    for (std::string c; std::getline(ls, c, ',');) cells.push_back(c);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    rows.push_back(cells);
  }
  return rows;
}

}  // namespace

TEST_CASE("grid input: bad events and equipment exit 2 with the JSON path") {
  bad_grid("grid={\"events\": [{\"kind\": \"brownout\", \"at_s\": 1, \"duration_s\": 1}]}", "$.grid.events[0].kind");
  bad_grid("grid={\"events\": [{\"kind\": \"voltage_sag\", \"at_s\": 1, \"duration_s\": 1}]}", "$.grid.events[0].remaining_pu");
  bad_grid("grid={\"events\": [{\"kind\": \"voltage_sag\", \"at_s\": 1, \"duration_s\": 1, \"remaining_pu\": 1.5}]}",
           "$.grid.events[0].remaining_pu");
  bad_grid("grid={\"events\": [{\"kind\": \"outage\", \"at_s\": 1e9, \"duration_s\": 1}]}", "$.grid.events[0].at_s");
  bad_grid("grid={\"events\": [{\"kind\": \"outage\", \"at_s\": 1, \"duration_s\": -1}]}", "$.grid.events[0].duration_s");
  bad_grid("grid={\"events\": [{\"kind\": \"outage\", \"at_s\": 5, \"duration_s\": 1}, {\"kind\": \"outage\", \"at_s\": 5.5, \"duration_s\": 1}]}",
           "$.grid.events[1].at_s");
  bad_grid("grid={\"events\": [{\"kind\": \"outage\", \"at_s\": 1, \"duration_s\": 1, \"remaining_pu\": 0}]}",
           "$.grid.events[0].remaining_pu");
  bad_grid("grid={\"events\": [{\"kind\": \"frequency_deviation\", \"at_s\": 1, \"duration_s\": 1, \"frequency_hz\": 600}]}",
           "$.grid.events[0].frequency_hz");
  bad_grid("grid={\"event\": []}", "$.grid.event");
  bad_grid("grid={\"equipment\": {\"ups\": {\"counter_n\": 0}}}", "$.grid.equipment.ups.counter_n");
  bad_grid("grid={\"equipment\": {\"nominal_frequency_hz\": 55}}", "$.grid.equipment.nominal_frequency_hz");
  bad_grid("grid={\"equipment\": {\"generator\": {}}}", "$.grid.equipment.generator.capacity_mw");
  bad_grid("grid={\"events\": 7}", "$.grid.events");
  // A valid object passes.
  const auto ok = test::run_cli("validate " + tiny() + " --set " +
                                test::shell_quote("grid={\"events\": [{\"kind\": \"outage\", \"at_s\": 1, \"duration_s\": 0.3}]}"));
  CHECK(ok.code == 0);
}

TEST_CASE("grid run: --set grid.events gives grid_events in summary.json and a 1 ms grid_events.csv") {
  test::TempDir dir("grid-run");
  const std::string args =
      "run " + tiny() + " --set simulation.duration_s=120 --set grid={} --set " +
      test::shell_quote("grid.events=[{\"kind\": \"voltage_sag\", \"at_s\": 5, \"duration_s\": 0.1, \"remaining_pu\": 0.9}, "
                        "{\"kind\": \"outage\", \"at_s\": 10, \"duration_s\": 0.3}]") +
      " --no-report -o " + test::shell_quote(dir.str());
  const auto r = test::run_cli(args);
  CAPTURE(r.out);
  REQUIRE(r.code == 0);
  const json s = json::parse(test::read_file(dir.file("summary.json")));
  REQUIRE(s["grid_events"].is_array());
  REQUIRE(s["grid_events"].size() == 2);
  const json& sag = s["grid_events"][0];
  CHECK(sag["kind"] == "voltage_sag");
  CHECK(sag["load_lost_mw"].get<double>() == 0.0);
  CHECK(sag["it_power_lost"] == false);
  CHECK(sag["time_to_restore_s"].get<double>() == 0.0);  // it caused no drop (the outage after it did)
  const json& out = s["grid_events"][1];
  CHECK(out["kind"] == "outage");
  CHECK(out["load_lost_mw"].get<double>() == doctest::Approx(out["load_before_mw"].get<double>()));
  CHECK(out["ups_energy_mwh"].get<double>() > 0);
  CHECK(out["it_power_lost"] == false);
  CHECK(out["generator_energy_mwh"].is_null());  // no generator in the scenario
  CHECK(out["first_cooling_alarm"].is_null());
  const auto rows = csv_rows(test::read_file(dir.file("grid_events.csv")));
  REQUIRE(rows.size() > 1000);
  CHECK(rows[0][0] == "t_s");
  CHECK(std::stod(rows[2][0]) - std::stod(rows[1][0]) <= 1e-3 + 1e-9);
}

TEST_CASE("ride-through: the map is monotone (a deeper or longer sag never loses less)") {
  test::TempDir dir("ride-through");
  const auto r = test::run_cli("ride-through " + tiny() + " --depths 4 --durations 8 --jobs 2 -o " + test::shell_quote(dir.str()));
  CAPTURE(r.out);
  REQUIRE(r.code == 0);
  const auto rows = csv_rows(test::read_file(dir.file("ride_through.csv")));
  REQUIRE(rows.size() == 1 + 4 * 8);
  CHECK(rows[0][0] == "remaining_pu");
  auto lost = [&](int d, int t) { return std::stod(rows[static_cast<std::size_t>(1 + d * 8 + t)][3]); };
  auto restore = [&](int d, int t) {
    const std::string& c = rows[static_cast<std::size_t>(1 + d * 8 + t)][4];
    return c.empty() ? INFINITY : std::stod(c);
  };
  int losing = 0;
  for (int d = 0; d < 4; ++d)
    for (int t = 0; t < 8; ++t) {
      CAPTURE(d);
      CAPTURE(t);
      if (lost(d, t) > 0) ++losing;
      if (t > 0) CHECK(lost(d, t) >= lost(d, t - 1));
      if (t > 0) CHECK(restore(d, t) >= restore(d, t - 1) - 1e-9);
      if (d > 0) CHECK(lost(d, t) <= lost(d - 1, t));  // d larger: more voltage remains
      if (d > 0) CHECK(restore(d, t) <= restore(d - 1, t) + 1e-9);
    }
  CHECK(losing > 0);
  CHECK(losing < 32);
  // The PERC1 fit beside it: parameters, the error, and no .dyr (its layout is not public).
  Problems problems;
  const json fit = parse_json(test::read_file(dir.file("perc1.json")), "perc1.json", problems);
  REQUIRE(problems.empty());
  CHECK(fit["model"] == "PERC1");
  CHECK(fit["fit_error_pct"].is_number());
  CHECK(fit["fitted_events"].get<int>() == 4 * 5);
  CHECK(fit["parameters"]["Fcease"].is_number());
  CHECK(fit["dyr"].is_null());
  CHECK_FALSE(std::filesystem::exists(dir.file("perc1.dyr")));
}

TEST_CASE("grid report: the utility report's grid section reads the run's events and its ride-through map") {
  test::TempDir dir("grid-report");
  const std::string run = "run " + tiny() + " --set simulation.duration_s=60 --set " +
                          test::shell_quote("grid={\"events\": [{\"kind\": \"outage\", \"at_s\": 10, \"duration_s\": 0.3}]}") +
                          " --no-report -o " + test::shell_quote(dir.str());
  REQUIRE(test::run_cli(run).code == 0);
  const std::string html = dir.file("r.html");
  const auto no_map = test::run_cli("report " + test::shell_quote(dir.str()) + " -o " + test::shell_quote(html));
  CAPTURE(no_map.out);
  REQUIRE(no_map.code == 0);
  std::string page = test::read_file(html);
  CHECK(page.find("Grid disturbances") != std::string::npos);
  CHECK(page.find("chart-grid-event-1") != std::string::npos);
  CHECK(page.find("Ride-through map: not in this run") != std::string::npos);
  REQUIRE(test::run_cli("ride-through " + tiny() + " --depths 3 --durations 4 -o " + test::shell_quote(dir.str())).code == 0);
  REQUIRE(test::run_cli("report " + test::shell_quote(dir.str()) + " -o " + test::shell_quote(html)).code == 0);
  page = test::read_file(html);
  CHECK(page.find("chart-ride-through") != std::string::npos);
  CHECK(page.find("ITIC envelope") != std::string::npos);
  CHECK(page.find("PERC1 parameter") != std::string::npos);
  CHECK(page.find("PERC1 dynamic load model: not fitted") == std::string::npos);
  // A malformed perc1.json: exit 2, naming the file and the key.
  const std::string good_fit = test::read_file(dir.file("perc1.json"));
  test::write_file(dir.file("perc1.json"), "{\"model\": \"PERC1\", \"parameters\": {}, \"fit_error_pct\": \"x\", \"fitted_events\": 4}");
  const auto bad_fit = test::run_cli("report " + test::shell_quote(dir.str()) + " -o " + test::shell_quote(html));
  CAPTURE(bad_fit.out);
  CHECK(bad_fit.code == 2);
  CHECK(bad_fit.out.find("perc1.json") != std::string::npos);
  CHECK(bad_fit.out.find("fit_error_pct") != std::string::npos);
  test::write_file(dir.file("perc1.json"), good_fit);
  // A malformed map in the folder: exit 2, naming the file and the line.
  test::write_file(dir.file("ride_through.csv"), "remaining_pu,duration_s,load_lost_mw,time_to_restore_s,it_power_lost\n0,0.001,x,1,false\n");
  const auto bad = test::run_cli("report " + test::shell_quote(dir.str()) + " -o " + test::shell_quote(html));
  CAPTURE(bad.out);
  CHECK(bad.code == 2);
  CHECK(bad.out.find("ride_through.csv") != std::string::npos);
  CHECK(bad.out.find("line 2") != std::string::npos);
}

}  // namespace dctwin
