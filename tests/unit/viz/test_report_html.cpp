// The HTML report: escaping of scenario strings in every kind, input problems, and what a report
// says about what the run lacks (cooling, storage, a tariff) instead of showing invented numbers.
// The HTML kit and number formats: test_report_kit.cpp; step causes: test_report_step_causes.cpp.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "viz/report.h"
#include "viz/report_assets.h"
#include "viz/report_page.h"

using namespace dctwin;
using namespace dctwin::viz;

namespace {
const std::string kHostile = "<script>alert(1)</script>";

// A 1-hour, 100 ms run: 10 MW with a 2.5 s step (1.8 s at 18 MW), one job named kHostile.
std::string summary_text(const std::string& name = kHostile) {
  json s = {{"dctwin_version", "0.1.0"},
            {"scenario", name},
            {"scenario_source", "</script><b>x</b>"},
            {"seed", 7},
            {"duration_s", 3600.0},
            {"output_step_s", 0.1},
            {"facility_energy_mwh", 15.76},
            {"peak_facility_mw", 18.0},
            {"peak_facility_t_s", 0.0},
            {"load_factor", 15.76 / 18.0},
            {"cooling_modelled", false},
            {"cooling_energy_mwh", nullptr},
            {"pue", nullptr},
            {"mitigation_energy_mwh", 0.0},
            {"step_period_s", 2.5},
            {"not_modelled", {"cooling " + kHostile}},
            {"capacity",
             {{{"element", "$.campus.utility.feeds"}, {"name", "feeds " + kHostile}, {"stage", "feed"}, {"redundancy", "2N"},
               {"units_needed", 1}, {"units_installed", 2}, {"groups", 1}, {"rating_kw", 12000.0}, {"peak_unit_load_kw", 9000.0},
               {"margin_kw", 3000.0}, {"margin_pct", 25.0}, {"failover_unit_load_kw", 18000.0}, {"failover_margin_kw", -6000.0},
               {"failover_margin_pct", -50.0}}}},
            {"overloads", json::array()},
            {"jobs",
             {{{"name", kHostile}, {"kind", "training"}, {"start_s", 0.0}, {"stop_s", nullptr}, {"step_period_s", 2.5},
               {"step_phases", {{{"phase", "compute"}, {"duration_s", 1.8}}, {{"phase", "communication"}, {"duration_s", 0.7}}}},
               {"failure_times_s", json::array()}, {"checkpoint_count", 0}}}}};
  return s.dump();
}

std::string csv_text() {
  std::string c = "t_s,facility_mw,it_mw\n";
  char buf[96];
  for (int i = 0; i < 36000; ++i) {
    const double p = (i % 25) < 18 ? 18.0 : 8.0;
    std::snprintf(buf, sizeof buf, "%.3f,%.6f,%.6f\n", i * 0.1, p, p * 0.9);
    c += buf;
  }
  return c;
}

ReportOptions opts(ReportKind k = ReportKind::Utility) {
  ReportOptions o;
  o.kind = k;
  o.generated = "2025-01-01 00:00 UTC";
  return o;
}
}  // namespace

TEST_CASE("report html: a hostile scenario name renders as text in every kind") {
  const RunData rd = parse_run(summary_text(), csv_text());
  for (auto k : {ReportKind::Utility, ReportKind::Cooling, ReportKind::Capacity}) {
    const std::string html = render_report(rd, opts(k));
    CAPTURE(to_string(k));
    CHECK(html.find(kHostile) == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("<b>x</b>") == std::string::npos);
    // Exactly the script elements the report itself opens: the data island and the renderer
    // (no chart library in this test).
    std::size_t opens = 0;
    for (std::size_t p = html.find("<script"); p != std::string::npos; p = html.find("<script", p + 1)) ++opens;
    CHECK(opens == 2);
    std::size_t closes = 0;
    for (std::size_t p = html.find("</script"); p != std::string::npos; p = html.find("</script", p + 1)) ++closes;
    CHECK(closes == 2);
  }
}

TEST_CASE("report html: utility report figures and what it says is missing") {
  const RunData rd = parse_run(summary_text("plain"), csv_text());
  CHECK(rd.dt_s == doctest::Approx(0.1));
  CHECK(rd.column("facility_mw")->size() == 36000);
  const std::string html = render_report(rd, opts());
  // Mean 18 * 18/25 + 8 * 7/25 = 15.2 MW = the highest 15-min demand; +10 % = 16.72 MW.
  CHECK(html.find("16.72 MW") != std::string::npos);
  CHECK(html.find("15.200 MW") != std::string::npos);
  CHECK(html.find("no tariff given") != std::string::npos);
  CHECK(html.find("Firm vs flexible load") != std::string::npos);
  CHECK(html.find("summary.json storage is null") != std::string::npos);  // no battery
  CHECK(html.find("Cooling is not modelled") != std::string::npos);
  CHECK(html.find("an extrapolation, not a simulation of a year") != std::string::npos);
  CHECK(html.find("the band above 5 Hz is not seen by this run") != std::string::npos);
  CHECK(html.find("overloads") != std::string::npos);  // the feed's -50 % failover margin
  CHECK(html.find("step phase change: &lt;script&gt;") != std::string::npos);
  for (const char* id : {"chart-series", "chart-detail", "chart-ldc", "chart-ramps", "chart-psd", "chart-contingency"})
    CHECK(html.find(std::string("id=\"") + id + "\"") != std::string::npos);
  // With a tariff: energy 15.76 MWh/h * 8760 h * 1000 * $0.05 = $6,902,880/yr.
  ReportOptions o = opts();
  o.energy_usd_per_kwh = 0.05;
  o.demand_usd_per_kw_month = 10;
  const std::string priced = render_report(rd, o);
  CHECK(priced.find("$6,902,880/yr") != std::string::npos);
  CHECK(priced.find("$1,824,000/yr") != std::string::npos);  // 15,200 kW * $10 * 12
  CHECK(priced.find("no tariff given") == std::string::npos);
}

TEST_CASE("report html: cooling and capacity reports say what is not modelled") {
  const RunData rd = parse_run(summary_text("plain"), csv_text());
  const std::string cooling = render_report(rd, opts(ReportKind::Cooling));
  CHECK(cooling.find("Cooling is not modelled in this run") != std::string::npos);
  CHECK(cooling.find("PUE over time") != std::string::npos);
  const std::string cap = render_report(rd, opts(ReportKind::Capacity));
  // No sizing.json: how to get one, for the scenario the run read (quoted for the shell, escaped for HTML).
  CHECK(cap.find("no sizing command") == std::string::npos);
  CHECK(cap.find("run: dctwin size &#39;&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;&#39; -o DIR") != std::string::npos);
  CHECK(size_command("scenarios/my site.json", "results/run") == "dctwin size 'scenarios/my site.json' -o results/run");
  CHECK(size_command("<embedded default scenarios/mai1-15k-h100.json>", "results/run") == "dctwin size -o results/run");
  CHECK(cap.find("-50.0") != std::string::npos);
}

TEST_CASE("report html: a short run has no 15-minute demand and says so") {
  std::string s = summary_text("short");
  json j = json::parse(s);
  j["duration_s"] = 60.0;
  std::string c = "t_s,facility_mw\n";
  for (int i = 0; i < 600; ++i) c += std::to_string(i * 0.1) + ",5\n";
  const std::string html = render_report(parse_run(j.dump(), c), opts());
  CHECK(html.find("shorter than one interval") != std::string::npos);
  CHECK(html.find("Recommended contracted capacity</td><td class=\"missing\">not available") != std::string::npos);
}

TEST_CASE("report html: malformed input gives one problem per line") {
  CHECK_THROWS_AS(parse_run("{", csv_text()), InputError);
  try {
    parse_run(json{{"scenario", 3}}.dump(), "t_s,x\n0,1\n");
    FAIL("expected InputError");
  } catch (const InputError& e) {
    const std::string all = e.problems().str();
    CHECK(all.find("$.scenario") != std::string::npos);
    CHECK(all.find("$.duration_s") != std::string::npos);
    CHECK(all.find("facility_mw") != std::string::npos);
  }
  try {
    parse_run(summary_text("x"), "t_s,facility_mw\n0,1\n0.1,oops\n0.2,1,2\n");
    FAIL("expected InputError");
  } catch (const InputError& e) {
    CHECK(e.problems().size() == 2);
    CHECK(e.problems().list()[0].where == "line 3");
  }
  CHECK_THROWS_AS(parse_run(summary_text("x"), "t_s,facility_mw\n0,1\n0.5,1\n"), InputError);  // rows not every 0.1 s
  CHECK_THROWS_AS(load_run("/nonexistent/dctwin/run"), InputError);
}

TEST_CASE("report html: report kinds parse") {
  CHECK(parse_report_kind("utility") == ReportKind::Utility);
  CHECK(parse_report_kind("cooling") == ReportKind::Cooling);
  CHECK(parse_report_kind("capacity") == ReportKind::Capacity);
  CHECK_FALSE(parse_report_kind("pue"));
  for (auto k : {ReportKind::Utility, ReportKind::Cooling, ReportKind::Capacity}) CHECK(parse_report_kind(to_string(k)) == k);
}

TEST_CASE("report html: where a report goes by default, and the embedded chart library") {
  CHECK(default_report_path("run", ReportKind::Utility) == "run/report.html");
  CHECK(default_report_path("run", ReportKind::Cooling) == "run/report-cooling.html");
  CHECK(default_report_path("/a/run", ReportKind::Capacity) == "/a/run/report-capacity.html");
  if (embedded::echarts_min_js().empty())
    CHECK_THROWS_AS(embedded_echarts(), EnvironmentError);
  else
    CHECK(embedded_echarts() == embedded::echarts_min_js());
}

TEST_CASE("report html: with cooling modelled the reports show it") {
  json s = json::parse(summary_text("cooled"));
  s["cooling_modelled"] = true;
  s["pue"] = 1.234;
  s["cooling_energy_mwh"] = 3.5;
  s["wue_l_per_kwh"] = 0.4;
  s["water_m3"] = 6.3;
  s["free_cooling_hours"] = {{"full", 0.75}, {"partial", 0.5}};
  s["chiller_hours"] = 0.25;
  s["max_facility_water_c"] = 33.5;
  s["alarms"] = {{{"kind", "facility_water_above_class"}, {"place", "water " + kHostile}, {"limit", 32.0}, {"peak", 33.5},
                  {"start_s", 10.0}, {"end_s", 20.0}}};
  std::string csv = "t_s,facility_mw,it_mw,cooling_mw\n";
  char buf[128];
  for (int i = 0; i < 36000; ++i) {
    const double p = (i % 25) < 18 ? 18.0 : 8.0;
    std::snprintf(buf, sizeof buf, "%.3f,%.6f,%.6f,%.6f\n", i * 0.1, p, p * 0.8, p * 0.1);
    csv += buf;
  }
  const RunData rd = parse_run(s.dump(), csv);
  const std::string u = render_report(rd, opts());
  CHECK(u.find("Cooling is not modelled") == std::string::npos);
  CHECK(u.find("IT + electrical losses + cooling") != std::string::npos);
  CHECK(u.find("PUE 1.234") != std::string::npos);
  const std::string cool = render_report(rd, opts(ReportKind::Cooling));
  CHECK(cool.find("Cooling is not modelled") == std::string::npos);
  for (const char* t : {"1.234", "0.400 L/kWh", "6.3 m³", "3.500 MWh", "0.75 h / 0.50 h", "0.25 h", "33.50 °C", "facility_water_above_class",
                        "water &lt;script&gt;", "id=\"chart-cooling\"", "id=\"chart-pue\"",
                        "not modelled in this run: the scenario has no cooling.gpu_thermal"})
    CHECK_MESSAGE(cool.find(t) != std::string::npos, t);
  CHECK(cool.find(kHostile) == std::string::npos);
  // With junction temperatures: the extremes and the per-cohort table.
  s["max_junction_c"] = 81.25;
  s["throttled_gpu_hours"] = 12.5;
  s["gpu_thermal"] = {{"leakage_modelled", true}, {"leakage_energy_mwh", 0.01},
                      {"cohorts", {{{"cohort", "job " + kHostile}, {"rack_type", "r1"}, {"cooling", "liquid"}, {"gpus", 72},
                                    {"r_th_k_w", 0.03}, {"max_junction_c", 81.25}, {"throttled_hours", 0.125}}}}};
  const std::string hot = render_report(parse_run(s.dump(), csv), opts(ReportKind::Cooling));
  for (const char* t : {"Highest GPU junction temperature", "81.25 °C", "12.500 GPU·h", "0.125 h", "job &lt;script&gt;"})
    CHECK_MESSAGE(hot.find(t) != std::string::npos, t);
  CHECK(hot.find("no cooling.gpu_thermal") == std::string::npos);
  CHECK(hot.find(kHostile) == std::string::npos);
}

TEST_CASE("report html: the battery's effect in the mitigation section") {
  const RunData plain = parse_run(summary_text("plain"), csv_text());
  CHECK(render_report(plain, opts()).find("not in this run (summary.json storage is null)") != std::string::npos);
  json s = json::parse(summary_text("batt"));
  s["storage"] = {{"power_mw", 5.0}, {"energy_mwh", 2.0}, {"grid_ramp_limit_mw_per_s", 1.0}, {"peak_grid_mw", 15.5},
                  {"max_grid_ramp_up_mw_per_s", 0.9}, {"max_grid_ramp_down_mw_per_s", 0.8}, {"ramp_limit_violations", 0},
                  {"grid_energy_mwh", 15.3}, {"losses_mwh", 0.042}, {"charged_mwh", 0.5}, {"discharged_mwh", 0.45},
                  {"soc_min_pct", 40.0}, {"soc_max_pct", 60.0}, {"energy_balance_rel_error", 0.0}};
  RunData rd = parse_run(s.dump(), csv_text());
  parse_storage_csv(rd, "t_s,load_mw,grid_mw,battery_mw,stored_mwh\n0.0,18,15.2,2.8,1\n0.1,8,15.2,-7.2,1.1\n");
  REQUIRE(rd.storage_column("grid_mw"));
  CHECK(rd.storage_column("grid_mw")->size() == 2);
  const std::string html = render_report(rd, opts());
  for (const char* t : {"Effect of the facility battery", "15.500 MW", "0.900 / 0.800 MW/s", "0.042 MWh",
                        "holds the grid within its ramp limit", "id=\"chart-battery\""})
    CHECK_MESSAGE(html.find(t) != std::string::npos, t);
  CHECK(html.find("summary.json storage is null") == std::string::npos);
  CHECK_THROWS_AS(parse_storage_csv(rd, "t_s,grid_mw\n0,abc\n"), InputError);
}

TEST_CASE("report: cooling.csv with empty cells reads them as gaps, and the cooling report charts it against its limits") {
  json s = json::parse(summary_text("cool"));
  s["cooling_modelled"] = true;
  s["pue"] = 1.2;
  s["cooling"] = {{"weather", "design day"},
                  {"limits_c", {{"facility_water_supply", 32.0}, {"rack_inlet_allowable", 32.0}, {"gpu_junction_lowest", nullptr},
                                {"gpu_throttle_lowest", nullptr}}},
                  {"series", {{"file", "cooling.csv"}, {"interval_s", 1.0}}}};
  RunData rd = parse_run(s.dump(), csv_text());
  parse_cooling_csv(rd,
                    "t_s,pue,wue_l_per_kwh,water_l,outdoor_dry_bulb_c,outdoor_wet_bulb_c,facility_supply_max_c,facility_return_max_c,"
                    "rack_inlet_max_c,free_cooling_full_s,free_cooling_partial_s,chiller_on_s,chillers_running\n"
                    "0.000,1.2,0.5,1,20,15,18,24,24,0,0,1,1\n"
                    "1.000,,,0,20,15,18,24,24,0,0,1,1\n");
  REQUIRE(rd.cooling_column("pue"));
  CHECK(rd.cooling_column("pue")->at(0) == 1.2);
  CHECK(std::isnan(rd.cooling_column("pue")->at(1)));
  const std::string html = render_report(rd, opts(ReportKind::Cooling));
  for (const char* t : {"id=\"chart-pue\"", "WUE per 15 min: not charted, the run (", "id=\"chart-cooling-water\"", "id=\"chart-cooling-inlet\"",
                        "id=\"chart-cooling-mode\"", "ASHRAE allowable maximum", "not modelled in this run (the scenario has no "
                        "cooling.gpu_thermal)"})
    CHECK_MESSAGE(html.find(t) != std::string::npos, t);
  CHECK(html.find("id=\"chart-cooling-junction\"") == std::string::npos);  // no junction column: no chart
  CHECK(html.find("no cooling.csv in this run folder") == std::string::npos);
  // A bad number is an error naming the file, line and column.
  try {
    parse_cooling_csv(rd, "t_s,pue\n0,abc\n", "run/cooling.csv");
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("run/cooling.csv: line 2, pue: expected a number") != std::string::npos);
  }
}

TEST_CASE("report: rack energy storage is this run's mitigation, with its ramps, losses and balance") {
  json s = json::parse(summary_text("racks"));
  s["mitigation_energy_mwh"] = 0.024;
  s["rack_storage"] = {{"losses_mwh", 0.024}, {"max_load_ramp_w_per_s", 570495.5}, {"max_grid_ramp_w_per_s", 2000.0},
                       {"ramp_limit_violations", 0}, {"energy_balance_rel_error", 2.9e-13}};
  s["it_breakdown_mwh"] = {{"gpu", 10.0}, {"rack_storage", -0.5}};
  const std::string html = render_report(parse_run(s.dump(), csv_text()), opts());
  for (const char* t : {"rack energy storage (PSU/BBU, grid-side ramp limit, as configured)", "run the scenario without rack_types[].storage",
                        "570,495.5 W/s per rack", "2,000.0 W/s per rack", "0.0240 MWh", "2.9e-13"})
    CHECK_MESSAGE(html.find(t) != std::string::npos, std::string(t));
  CHECK(html.find("GPU power smoothing (floor, ramp limits, as configured)") == std::string::npos);
  // The heat chart of the cooling report: the storage's losses are heat, its stored energy is not.
  const std::string cool = render_report(parse_run(s.dump(), csv_text()), opts(ReportKind::Cooling));
  CHECK(cool.find("loss: rack storage") != std::string::npos);
  CHECK(cool.find("IT: rack_storage") == std::string::npos);
}

TEST_CASE("report: a baseline run fills the row none of the mitigation table, and a baseline with mitigation is refused") {
  json s = json::parse(summary_text("racks"));
  s["mitigation_energy_mwh"] = 0.024;
  s["rack_storage"] = {{"losses_mwh", 0.024}, {"max_load_ramp_w_per_s", 570495.5}, {"max_grid_ramp_w_per_s", 2000.0},
                       {"ramp_limit_violations", 0}, {"energy_balance_rel_error", 2.9e-13}};
  // This run: the storage held the meter flat at 15.2 MW; the baseline swings 18 / 8 MW (csv_text).
  std::string flat = "t_s,facility_mw,it_mw\n";
  char buf[64];
  for (int i = 0; i < 36000; ++i) {
    std::snprintf(buf, sizeof buf, "%.3f,15.2,13.7\n", i * 0.1);
    flat += buf;
  }
  const RunData run = parse_run(s.dump(), flat);
  const RunData base = parse_run(summary_text("racks"), csv_text());
  CHECK_NOTHROW(check_baseline(run, base));
  ReportOptions o = opts();
  const std::string alone = render_report(run, o);
  CHECK(alone.find("baseline run (") == std::string::npos);
  CHECK(alone.find("dctwin report --baseline") != std::string::npos);
  o.baseline = &base;
  const std::string html = render_report(run, o);
  const auto at = html.find("baseline run (");
  REQUIRE(at != std::string::npos);
  // The row "none" holds the baseline's highest power (18 MW) and its largest ramp (10 MW in 0.1 s),
  // the storage row this run's (15.2 MW, no ramp).
  const std::string none_row = html.substr(at, html.find("</tr>", at) - at);
  CHECK(none_row.find("18.000") != std::string::npos);
  CHECK(none_row.find("100.000") != std::string::npos);
  const auto st = html.find("rack energy storage (PSU/BBU, grid-side ramp limit, as configured)");
  REQUIRE(st != std::string::npos);
  const std::string st_row = html.substr(st, html.find("</tr>", st) - st);
  CHECK(st_row.find("15.200") != std::string::npos);
  CHECK(st_row.find("0.000") != std::string::npos);

  // Refused: a baseline that has rack storage itself, or mitigation energy, or another duration.
  CHECK_THROWS_AS(check_baseline(run, run), InputError);
  json other = json::parse(summary_text("racks"));
  other["duration_s"] = 1800.0;
  CHECK_THROWS_AS(check_baseline(run, parse_run(other.dump(), csv_text())), InputError);
  json smoothed = json::parse(summary_text("racks"));
  smoothed["mitigation_energy_mwh"] = 0.5;
  CHECK_THROWS_AS(check_baseline(run, parse_run(smoothed.dump(), csv_text())), InputError);
}
