// `dctwin compare`: the difference table (hand-computed), its text, the per-column envelopes, the
// study tables (whatif.json, sweep.json) with their problems, the folders' problems, and the page.
// The command itself: tests/cli/test_compare_cli.cpp; the page in a browser: tests/browser/.
#include <doctest/doctest.h>

#include <cmath>
#include <regex>
#include <string>

#include "../../support.h"
#include "viz/compare_figures.h"
#include "viz/compare_report.h"
#include "viz/envelope.h"
#include "viz/study_table.h"

using namespace dctwin;
using namespace dctwin::viz;

namespace {

const DiffRow* row_of(const std::vector<DiffRow>& rows, const std::string& key) {
  for (const auto& r : rows)
    if (r.figure.key == key) return &r;
  return nullptr;
}

// Two summaries with the figures worked by hand below.
std::vector<json> two_summaries() {
  json a = {{"peak_facility_mw", 40.0},
            {"pue", 1.25},
            {"wue_l_per_kwh", nullptr},
            {"goodput", 0.0},
            {"swing_mw", 8.0},
            {"overloads", json::array()},
            {"capacity",
             {{{"redundancy", "N+1"}, {"failover_margin_pct", 12.5}},
              {{"redundancy", "2N"}, {"failover_margin_pct", -3.0}},
              {{"redundancy", "N"}, {"failover_margin_pct", nullptr}}}}};
  json b = {{"peak_facility_mw", 42.0},
            {"pue", 1.2},
            {"wue_l_per_kwh", 0.5},
            {"goodput", 0.9},
            {"overloads", json::array({json::object(), json::object()})},
            {"capacity", {{{"redundancy", "N+1"}, {"failover_margin_pct", 20.0}}}}};
  return {a, b};
}

}  // namespace

TEST_CASE("compare: difference table against the first summary, by hand") {
  const auto rows = difference_table(two_summaries(), run_compare_figures());
  // peak 40 -> 42 MW: +2 MW, +5 %.
  const DiffRow* peak = row_of(rows, "peak_facility_mw");
  REQUIRE(peak);
  CHECK(*peak->values[0].v == 40.0);
  CHECK(*peak->diff[1] == doctest::Approx(2.0));
  CHECK(*peak->pct[1] == doctest::Approx(5.0));
  CHECK_FALSE(peak->diff[0]);
  // PUE 1.25 -> 1.2: -0.05, -4 %.
  const DiffRow* pue = row_of(rows, "pue");
  REQUIRE(pue);
  CHECK(*pue->diff[1] == doctest::Approx(-0.05));
  CHECK(*pue->pct[1] == doctest::Approx(-4.0));
  // WUE null in the first: not modelled, no difference (never 0).
  const DiffRow* wue = row_of(rows, "wue_l_per_kwh");
  REQUIRE(wue);
  CHECK_FALSE(wue->values[0].v);
  CHECK_FALSE(wue->values[0].absent);
  CHECK(figure_text(wue->values[0]) == "not modelled");
  CHECK_FALSE(wue->diff[1]);
  // goodput 0 -> 0.9: +0.9, no % of a zero.
  const DiffRow* good = row_of(rows, "goodput");
  REQUIRE(good);
  CHECK(*good->diff[1] == doctest::Approx(0.9));
  CHECK_FALSE(good->pct[1]);
  // swing only in the first: the second has no such key.
  const DiffRow* swing = row_of(rows, "swing_mw");
  REQUIRE(swing);
  CHECK(swing->values[1].absent);
  CHECK(figure_text(swing->values[1]) == "not in the file");
  // Lists count their entries: 0 -> 2 overloads.
  const DiffRow* ovl = row_of(rows, "overloads");
  REQUIRE(ovl);
  CHECK(*ovl->values[0].v == 0);
  CHECK(*ovl->diff[1] == 2);
  // N-1 headroom: the smallest failover margin of a redundant group: -3 % (2N), then 20 %.
  const DiffRow* n1 = row_of(rows, "n1_headroom_pct");
  REQUIRE(n1);
  CHECK(*n1->values[0].v == -3.0);
  CHECK(*n1->values[1].v == 20.0);
  CHECK(*n1->diff[1] == doctest::Approx(23.0));
  CHECK(*n1->pct[1] == doctest::Approx(100.0 * 23.0 / 3.0));
  const DiffRow* nred = row_of(rows, "groups_without_redundancy");
  REQUIRE(nred);
  CHECK(*nred->values[0].v == 1);
  CHECK(*nred->values[1].v == 0);
  // A figure neither summary has is not a row.
  CHECK_FALSE(row_of(rows, "max_junction_c"));
  CHECK_FALSE(row_of(rows, "facility_energy_mwh"));
}

TEST_CASE("compare: N-1 headroom without a redundant group says so") {
  const json s = {{"capacity", {{{"redundancy", "N"}, {"failover_margin_pct", nullptr}}}}};
  const FigureValue v = figure_value(s, "n1_headroom_pct");
  CHECK_FALSE(v.v);
  CHECK(figure_text(v) == "no redundant group");
  CHECK(figure_value(json::object(), "n1_headroom_pct").absent);
}

TEST_CASE("compare: figures and differences as the tables write them") {
  CHECK(figure_text({40.0, false, ""}) == "40");
  CHECK(figure_text({1.25, false, ""}) == "1.2500");
  CHECK(figure_text({12345.678, false, ""}) == "12,346");
  CHECK(figure_text({0.0028621930818, false, ""}) == "0.0028622");
  CHECK(difference_text(2.0, 5.0) == "+2 (+5.0 %)");
  CHECK(difference_text(-0.05, -4.0) == "-0.050000 (-4.0 %)");
  CHECK(difference_text(0.0, 0.0) == "0 (0 %)");
  CHECK(difference_text(0.9, std::nullopt) == "+0.90000");
  CHECK(difference_text(std::nullopt, std::nullopt) == "—");
  const std::string t = difference_table_text(difference_table(two_summaries(), run_compare_figures()), {"a", "b"});
  CHECK(t.find("figure") == 0);
  CHECK(t.find("b (vs a)") != std::string::npos);
  CHECK(t.find("peak facility power") != std::string::npos);
  CHECK(t.find("42  +2 (+5.0 %)") != std::string::npos);
  CHECK(t.find("not modelled") != std::string::npos);
  CHECK_FALSE(std::regex_search(t, std::regex("\\bnan\\b", std::regex::icase)));
}

TEST_CASE("compare: per-column envelope, by hand") {
  // 10 samples at t = 0..9 s over [0, 9] in 2 columns of 4.5 s: t 0..4 and t 5..9.
  const std::vector<double> t = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<double> v = {1, 3, 2, 4, 5, 10, 6, std::nan(""), 8, 4};
  const Envelope e = column_envelope(t, v, 0, 9, 2);
  CHECK(e.reduced);
  REQUIRE(e.t.size() == 2);
  CHECK(e.min[0] == 1);
  CHECK(e.max[0] == 5);
  CHECK(e.mean[0] == doctest::Approx(3.0));  // (1+3+2+4+5)/5
  CHECK(e.t[0] == doctest::Approx(2.0));
  CHECK(e.min[1] == 4);   // the NaN at t = 7 is skipped
  CHECK(e.max[1] == 10);
  CHECK(e.mean[1] == doctest::Approx(7.0));  // (10+6+8+4)/4
  CHECK(e.t[1] == doctest::Approx(7.0));     // (5+6+8+9)/4
  // No more samples than columns: every sample as it is; outside the span left out.
  const Envelope raw = column_envelope(t, v, 2, 6, 100);
  CHECK_FALSE(raw.reduced);
  CHECK(raw.t == std::vector<double>{2, 3, 4, 5, 6});
  CHECK(raw.mean == raw.min);
  // A column without samples is not written (a run shorter than the span).
  const Envelope part = column_envelope(t, v, 0, 100, 4);
  CHECK(part.reduced);
  CHECK(part.t.size() == 1);
}

TEST_CASE("compare: whatif.json and sweep.json read back as case tables") {
  const std::string whatif = R"({"cases": [
      {"case": 0, "cooling.x": "1", "pue": 1.2, "wue_l_per_kwh": null, "peak_facility_mw": 40, "alarms": 0},
      {"case": 1, "cooling.x": "2", "pue": 1.3, "wue_l_per_kwh": null, "peak_facility_mw": 41, "alarms": 2,
       "plant_failures": []}], "period": "hottest day"})";
  const StudyTable w = parse_study_table(whatif, "whatif", "w/whatif.json");
  CHECK(w.parameters == std::vector<std::string>{"cooling.x"});
  CHECK(w.labels[1] == "case 1: cooling.x=2");
  CHECK(w.period == "hottest day");
  const auto rows = difference_table(w.cases, w.figures);
  const DiffRow* pue = row_of(rows, "pue");
  REQUIRE(pue);
  CHECK(*pue->diff[1] == doctest::Approx(0.1));
  CHECK_FALSE(row_of(rows, "max_junction_c"));  // in no case

  const std::string sweep = R"({"figures": ["peak_facility_mw", "pue"], "parameters": ["a.b"], "cases": [
      {"case": 0, "grid_point": 0, "draw": 0, "parameters": {"a.b": 3}, "peak_facility_mw": 10, "pue": null, "error": null},
      {"case": 1, "grid_point": 1, "draw": 0, "parameters": {"a.b": 4}, "peak_facility_mw": null, "pue": null,
       "error": "conservation check failed: x", "exit_code": 4}]})";
  const StudyTable s = parse_study_table(sweep, "sweep", "s/sweep.json");
  CHECK(s.figures.size() == 2);
  CHECK(s.labels[0] == "case 0: a.b=3");
  CHECK(s.errors[0].empty());
  CHECK(s.errors[1] == "conservation check failed: x");
  // The page: the failed case with its error, the side-by-side table, no chart of a figure that
  // has fewer than two values.
  CompareInput in;
  in.study = s;
  CompareOptions o;
  o.generated = "2026-01-01 00:00 UTC";
  const std::string page = render_compare(in, o);
  CHECK(page.find("failed: conservation check failed: x") != std::string::npos);
  CHECK(page.find("sweep study, 2 cases") != std::string::npos);
  CHECK(page.find("case 1 − case 0") != std::string::npos);
  CHECK(page.find("No figure differs between the cases") != std::string::npos);
  CHECK(compare_terminal_table(in).find("case 1: a.b=4 (failed)") != std::string::npos);

  auto problems = [](const std::string& text) {
    try {
      parse_study_table(text, "whatif", "x/whatif.json");
    } catch (const InputError& e) {
      return e.problems().str();
    }
    return std::string();
  };
  CHECK(problems("{").find("x/whatif.json") != std::string::npos);
  CHECK(problems("[1]").find("$: expected a JSON object") != std::string::npos);
  CHECK(problems("{}").find("$.cases") != std::string::npos);
  CHECK(problems(R"({"cases": []})").find("at least one case") != std::string::npos);
  CHECK(problems(R"({"cases": [1, {}]})").find("$.cases[0]") != std::string::npos);
}

TEST_CASE("compare: folders that cannot be compared are refused, one line each") {
  test::TempDir dir("compare-input");
  std::filesystem::create_directories(dir.file("empty"));
  std::filesystem::create_directories(dir.file("bad"));
  test::write_file(dir.file("bad/summary.json"), "{ not json");
  test::write_file(dir.file("bad/timeseries.csv"), "t_s,facility_mw\n0,1\n");
  try {
    load_compare_input({dir.file("missing"), dir.file("empty"), dir.file("bad")});
    FAIL("no problem reported");
  } catch (const InputError& e) {
    const std::string p = e.problems().str();
    CHECK(p.find(dir.file("missing") + ": folder: expected a run folder") != std::string::npos);
    CHECK(p.find("no such file or folder") != std::string::npos);
    CHECK(p.find(dir.file("empty") + ": folder") != std::string::npos);
    CHECK(p.find(dir.file("bad") + "/summary.json") != std::string::npos);
    CHECK(e.problems().size() == 3);
  }
  test::write_file(dir.file("bad/summary.json"),
                   R"({"scenario": "s", "duration_s": 1, "output_step_s": 1})");
  try {
    load_compare_input({dir.file("bad")});
    FAIL("a single run was accepted");
  } catch (const InputError& e) {
    CHECK(e.problems().str().find("one run folder") != std::string::npos);
  }
  test::write_file(dir.file("empty/whatif.json"), R"({"cases": [{"case": 0, "pue": 1.1}]})");
  try {
    load_compare_input({dir.file("bad"), dir.file("empty")});
    FAIL("a study folder among runs was accepted");
  } catch (const InputError& e) {
    CHECK(e.problems().str().find("one whatif/sweep folder alone") != std::string::npos);
  }
  const CompareInput st = load_compare_input({dir.file("empty")});
  REQUIRE(st.study);
  CHECK(st.study->kind == "whatif");
  CHECK(default_compare_path({dir.file("empty") + "/"}) == dir.file("empty") + "/compare.html");
  CHECK(default_compare_path({"a", "b"}) == "compare.html");
}

TEST_CASE("compare: the page of two runs of different steps, escaped, with the overlaid series") {
  const std::string hostile = "<script>alert(1)</script>";
  CompareInput in;
  std::string a_csv = "t_s,facility_mw,cooling_mw\n", b_csv = "t_s,facility_mw\n";
  for (int i = 0; i < 4000; ++i) a_csv += std::to_string(i) + "," + std::to_string(10 + i % 7) + ",1\n";
  for (int i = 0; i < 400; ++i) b_csv += std::to_string(i * 10) + ",12\n";
  in.runs.push_back(parse_run(json{{"scenario", hostile}, {"duration_s", 4000}, {"output_step_s", 1}, {"pue", 1.3}}.dump(), a_csv));
  in.runs.push_back(parse_run(json{{"scenario", "b"}, {"duration_s", 4000}, {"output_step_s", 10}, {"pue", nullptr}}.dump(), b_csv));
  in.names = {"a", "b"};
  CompareOptions o;
  o.generated = "2026-01-01 00:00 UTC";
  o.columns = 100;
  const std::string html = render_compare(in, o);
  CHECK(html.find(hostile) == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("differ in their output steps") != std::string::npos);
  CHECK(html.find("id=\"chart-facility\"") != std::string::npos);
  CHECK(html.find("id=\"chart-cooling\"") != std::string::npos);
  CHECK(html.find("id=\"chart-pue\"") == std::string::npos);  // no cooling.csv in either
  CHECK(html.find("no PUE over time") != std::string::npos);
  CHECK(html.find("\"role\":\"max\"") != std::string::npos);  // run a: 4000 samples in 100 columns
  CHECK(html.find("not modelled") != std::string::npos);      // b's PUE
  CHECK_FALSE(std::regex_search(html, std::regex("\\bnan\\b", std::regex::icase)));
  const std::string term = compare_terminal_table(in);
  CHECK(term.find("PUE") != std::string::npos);
  CHECK(term.find("not modelled") != std::string::npos);
}
