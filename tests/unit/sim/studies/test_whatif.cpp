// sim/studies/whatif.h: axes and their cases (the first axis varying slowest), the overrides every
// case gets, the checks before running, and the table's rows, CSV and JSON from figures given by
// hand; one small run of tests/data/tiny.json in two threads.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/studies/whatif.h"
#include "tests/support.h"

using namespace dctwin;

namespace {

WhatifOptions tiny_options(std::vector<std::string> vary) {
  WhatifOptions o;
  o.scenario_path = test::tiny_path();
  o.vary = std::move(vary);
  return o;
}

std::vector<std::string> problem_wheres(const InputError& e) {
  std::vector<std::string> out;
  for (const auto& p : e.problems().list()) out.push_back(p.file + " " + p.where);
  return out;
}

// The figures of a cooled run with one plant failure.
SummaryFigures cooled_figures() {
  SummaryFigures s;
  s.peak_facility_mw = 2.5;
  s.cooling_modelled = true;
  s.pue = 1.25;
  s.wue_l_per_kwh = 0.5;
  s.cooling_energy_mwh = 10;
  s.free_cooling_full_h = 3;
  s.free_cooling_partial_h = 1.5;
  s.chiller_hours = 20;
  s.max_facility_water_c = 30.25;
  s.alarms = 2;
  s.time_to_first_alarm_s = 12.5;
  s.plant_failures = json::array({json{{"unit", "chiller"}}});
  return s;
}

}  // namespace

TEST_CASE("whatif: the cases are every combination, the first axis varying slowest") {
  const WhatifStudy st = prepare_whatif(tiny_options({"simulation.seed=1,2,3", "jobs.0.start_s=0,5"}));
  REQUIRE(st.axes.size() == 2);
  CHECK(st.axes[0].path == "simulation.seed");
  CHECK(st.axes[1].values == std::vector<std::string>{"0", "5"});
  CHECK(st.cases == 6);
  CHECK(whatif_case_values(st, 0) == std::vector<std::string>{"1", "0"});
  CHECK(whatif_case_values(st, 1) == std::vector<std::string>{"1", "5"});
  CHECK(whatif_case_values(st, 2) == std::vector<std::string>{"2", "0"});
  CHECK(whatif_case_values(st, 5) == std::vector<std::string>{"3", "5"});
  const Scenario sc = load_whatif_case(st, 5);
  CHECK(sc.seed == 3);
  CHECK(sc.jobs[0].start_s == 5.0);
  CHECK(st.period.empty());
}

TEST_CASE("whatif: overrides of every case: --set, weather, duration, in that order") {
  WhatifOptions o = tiny_options({"simulation.seed=1"});
  o.sets = {"simulation.output_step_s=1"};
  const std::string epw = test::source_path("data/weather/chicago.epw");
  o.weather_epw = epw;
  o.duration_s = 0.1;
  o.dt_s = 0.05;
  o.thermal_step_s = 0.5;
  const WhatifStudy st = prepare_whatif(o);
  CHECK(st.sets == std::vector<std::string>{"simulation.output_step_s=1", "cooling.weather=" + json{{"epw_file", epw}}.dump(),
                                            "simulation.duration_s=0.10000000000000001", "simulation.output_step_s=0.050000000000000003",
                                            "simulation.thermal_step_s=0.5"});
  // A weather file that is not there is the option's problem, named with the option.
  o.weather_epw = "/data/x.epw";
  try {
    (void)prepare_whatif(o);
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(problem_wheres(e) == std::vector<std::string>{"--weather /data/x.epw file"});
  }
}

TEST_CASE("whatif: bad axes, nothing to vary, too many cases and bad case values are input errors") {
  try {
    (void)prepare_whatif(tiny_options({"nokey", "=1", "a=1,,2", "b=1,"}));
    FAIL("expected InputError");
  } catch (const InputError& e) {
    CHECK(problem_wheres(e) == std::vector<std::string>{"--vary nokey", "--vary =1", "--vary a=1,,2", "--vary b=1,"});
  }
  CHECK_THROWS_AS(prepare_whatif(tiny_options({})), InputError);

  // 11 x 10 x 10 = 1100 combinations: over the 1000 limit.
  const std::string ten = "=1,2,3,4,5,6,7,8,9,10";
  const WhatifStudy big = prepare_whatif(tiny_options({"simulation.seed" + ten + ",11", "jobs.0.start_s" + ten, "x" + ten}));
  CHECK(big.cases == 1100);
  CHECK_THROWS_AS(check_whatif_cases(big), InputError);

  const WhatifStudy bad = prepare_whatif(tiny_options({"simulation.duration_s=10,-5"}));
  CHECK_NOTHROW(check_whatif_cases(bad));
  CHECK_THROWS_AS(validate_whatif_cases(bad), InputError);
}

TEST_CASE("whatif: --fail needs a cooling object, and becomes a cooling.failures override") {
  WhatifOptions o = tiny_options({});
  o.fail = {"chiller@5"};
  try {
    (void)prepare_whatif(o);
    FAIL("expected InputError");
  } catch (const InputError& e) {
    CHECK(problem_wheres(e) == std::vector<std::string>{"--fail "});
  }
  // Design-day weather: the hottest hour starts at 14:00 (sim/studies/analysis_period.h).
  o.scenario_path = test::source_path("tests/data/tiny-cooling.json");
  o.fail = {"chiller:2@hottest-hour/1800", "cdu@60"};
  const WhatifStudy st = prepare_whatif(o);
  CHECK(st.cases == 1);
  CHECK(st.sets.back() ==
        R"(cooling.failures=[{"count":2,"unit":"chiller","at_s":50400.0,"duration_s":1800},{"unit":"cdu","at_s":60}])");
  o.fail = {"pump", "chiller@soon"};
  try {
    (void)prepare_whatif(o);
    FAIL("expected InputError");
  } catch (const InputError& e) {
    CHECK(problem_wheres(e) == std::vector<std::string>{"--fail pump", "--fail chiller@soon"});
  }
}

TEST_CASE("whatif: a row's figures, its CSV line and its JSON, null and an empty cell where the run has none") {
  const WhatifStudy st = prepare_whatif(tiny_options({"simulation.seed=7,8", "jobs.0.start_s=1"}));
  SummaryFigures priced = cooled_figures();
  priced.energy_cost_usd = 1234.5;  // with a price-carbon file; no emissions column in this run
  const WhatifRow cooled = whatif_row(st, 1, priced);
  CHECK(cooled.values == std::vector<std::string>{"8", "1"});
  SummaryFigures uncooled;
  uncooled.peak_facility_mw = 0.75;
  uncooled.pue = std::nullopt;
  const WhatifRow plain = whatif_row(st, 0, uncooled);
  CHECK(std::isnan(plain.figures[0]));
  CHECK(plain.plant_failures.is_null());

  const std::string csv = whatif_table_csv(st, {plain, cooled});
  CHECK(csv ==
        "case,simulation.seed,jobs.0.start_s,pue,wue_l_per_kwh,peak_facility_mw,cooling_energy_mwh,free_cooling_full_h,"
        "free_cooling_partial_h,chiller_hours,max_facility_water_c,max_junction_c,throttled_gpu_hours,alarms,time_to_first_alarm_s,"
        "energy_cost_usd,emissions_t_co2\n"
        "0,7,1,,,0.750000,,,,,,,,0,,,\n"
        "1,8,1,1.250000,0.500000,2.500000,10.000000,3.0000,1.5000,20.0000,30.2500,,,2,12.500,1234.5,\n");
  const json doc = whatif_table_json(st, {plain, cooled});
  CHECK(doc["period"].is_null());
  CHECK(doc["cases"][1].dump() ==
        R"({"case":1,"simulation.seed":8,"jobs.0.start_s":1,"pue":1.25,"wue_l_per_kwh":0.5,"peak_facility_mw":2.5,)"
        R"("cooling_energy_mwh":10.0,"free_cooling_full_h":3.0,"free_cooling_partial_h":1.5,"chiller_hours":20.0,)"
        R"("max_facility_water_c":30.25,"max_junction_c":null,"throttled_gpu_hours":null,"alarms":2,)"
        R"("time_to_first_alarm_s":12.5,"energy_cost_usd":1234.5,"emissions_t_co2":null,"plant_failures":[{"unit":"chiller"}]})");
  CHECK_FALSE(doc["cases"][0].contains("plant_failures"));
  // The printed table's cells.
  CHECK(whatif_cell(whatif_columns()[0].console_format, 1.25) == " 1.2500");
  CHECK(whatif_cell(whatif_columns()[10].console_format, 2) == "     2");
  CHECK(whatif_cell(whatif_columns()[0].console_format, std::nan("")).empty());
}

TEST_CASE("whatif: a path on two axes shows the value applied (the later one) in both columns") {
  const WhatifStudy st = prepare_whatif(tiny_options({"simulation.seed=1,2", "simulation.seed=3"}));
  CHECK(whatif_row(st, 1, SummaryFigures{}).values == std::vector<std::string>{"3", "3"});
  CHECK(load_whatif_case(st, 1).seed == 3);
}

TEST_CASE("whatif: two threads give the rows of one, reported in case order") {
  WhatifOptions o = tiny_options({"simulation.seed=1,2,3"});
  o.duration_s = 5;
  const WhatifStudy st = prepare_whatif(o);
  std::vector<std::size_t> order;
  WhatifRunOptions threads2;
  threads2.threads = 2;
  threads2.on_row = [&](const WhatifRow& r) { order.push_back(r.index); };
  double last_progress = 0;
  bool monotonic = true;  // the study's fraction never goes back
  threads2.progress = [&](double f) {
    monotonic = monotonic && f >= last_progress;
    last_progress = f;
  };
  const auto two = run_whatif(st, threads2);
  const auto one = run_whatif(st);
  CHECK(order == std::vector<std::size_t>{0, 1, 2});
  CHECK(whatif_table_csv(st, two) == whatif_table_csv(st, one));
  CHECK(two[2].figures[2] > 0.0);  // peak facility MW
  CHECK(monotonic);
  CHECK(last_progress == doctest::Approx(1.0));
}

TEST_CASE("whatif: a varied value keeps the JSON type --set reads it as") {
  const WhatifStudy st = prepare_whatif(tiny_options({"simulation.seed=7", "jobs.0.start_s=2.5", "name=abc", "x=true"}));
  const json doc = whatif_table_json(st, {whatif_row(st, 0, SummaryFigures{})});
  CHECK(doc["cases"][0]["simulation.seed"].is_number_integer());
  CHECK(doc["cases"][0]["jobs.0.start_s"].get<double>() == 2.5);
  CHECK(doc["cases"][0]["name"] == "abc");
  CHECK(doc["cases"][0]["x"] == true);
}

TEST_CASE("whatif: a period too long for the output step names --dt-s and the step that fits") {
  WhatifOptions o = tiny_options({"simulation.seed=1"});
  o.duration_s = 2e7;
  o.dt_s = 0.1;  // 2e8 intervals
  const WhatifStudy st = prepare_whatif(o);
  try {
    validate_whatif_cases(st);
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(e.problems().list()[0].file == "--dt-s");
    CHECK(e.problems().list()[0].expected.find("--dt-s 0.5 or more") != std::string::npos);
  }
  o.dt_s = 0.5;
  CHECK_NOTHROW(validate_whatif_cases(prepare_whatif(o), 1e12));
  // Memory: a limit below the run's estimate names the round step that fits.
  o.duration_s = 36000;
  o.dt_s = 0.001;
  try {
    validate_whatif_cases(prepare_whatif(o), 256.0 * 1024 * 1024);
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(e.problems().list()[0].file == "--dt-s");
    CHECK(e.problems().list()[0].expected.find("fits in 0.25 GiB: --dt-s ") != std::string::npos);
  }
  CHECK(round_step_up(0.4) == 0.5);
  CHECK(round_step_up(0.5) == 0.5);
  CHECK(round_step_up(3) == 5);
  CHECK(round_step_up(6) == 10);
  CHECK(round_step_up(0.0011) == doctest::Approx(0.002));
}
