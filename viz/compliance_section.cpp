#include "viz/compliance_section.h"

#include <map>

#include "viz/format.h"

namespace dctwin::viz {

namespace {

// A field of a compliance.json object read leniently: the file is dctwin's own output, but a field of
// the wrong type shows as "?" (or is skipped) rather than stopping the report.
std::string str(const json& o, const char* key, const std::string& fallback = "?") {
  return o.is_object() && o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : fallback;
}
const json& field(const json& o, const char* key) {
  static const json none;
  return o.is_object() && o.contains(key) ? o[key] : none;
}
bool is_true(const json& o, const char* key) { return field(o, key).is_boolean() && field(o, key).get<bool>(); }

std::string text_of(const json& v, int decimals) {
  if (v.is_number()) return fmt(v.get<double>(), decimals);
  if (v.is_string()) return v.get<std::string>();
  return "n/a";
}

void checks_table(Doc& d, const json& q) {
  std::vector<std::vector<Cell>> rows;
  for (const json& ch : q["checks"]) {
    if (!ch.is_object()) continue;
    const std::string unit = str(ch, "unit", "");
    const bool evaluated = field(ch, "pass").is_boolean();
    const std::string verdict = !evaluated ? "not evaluated" : (is_true(ch, "pass") ? "pass" : "FAIL");
    std::string when = field(ch, "at_t_s").is_number() ? "t = " + fmt(ch["at_t_s"].get<double>(), 2) + " s, " : "";
    when += str(ch, "where", "");
    const std::string note = str(ch, "note", "");
    if (!note.empty()) when += (when.empty() ? "" : "; ") + note;
    rows.push_back({c(str(ch, "name")), cnum(text_of(field(ch, "limit"), 4) + " " + unit),
                    field(ch, "value").is_number() ? cnum(text_of(ch["value"], 4) + " " + unit) : c("n/a", "missing"),
                    field(ch, "margin").is_number() ? cnum(text_of(ch["margin"], 4)) : c("n/a", "missing"),
                    c(verdict, evaluated ? "" : "missing"), c(when)});
  }
  d.table({"check", "limit", "value (worst case)", "margin", "verdict", "when and where"}, rows);
}

void frontier_chart(Doc& d, Ctx& x, const json& fr) {
  // One scatter series per lever: extra energy per year (x) vs the worst relative margin (y).
  std::vector<double> xs;
  std::map<std::string, std::vector<std::size_t>> by_lever;
  std::vector<double> ys;
  for (const json& f : fr) {
    if (!field(f, "worst_margin").is_number() || !field(f, "extra_energy_mwh_per_year").is_number()) continue;
    by_lever[str(f, "lever")].push_back(xs.size());
    xs.push_back(f["extra_energy_mwh_per_year"].get<double>());
    ys.push_back(f["worst_margin"].get<double>());
  }
  if (xs.empty()) {
    d.missing("Frontier: not charted, no option tried has both a cost and a margin.");
    return;
  }
  json spec = chart_base(x, "chart-frontier", "xy", "Mitigation options tried: extra energy (MWh/year) vs worst margin (fraction of the limit)");
  spec["xName"] = "extra energy (MWh/year)";
  spec["yName"] = "worst margin / limit";
  spec["x"] = round_series(xs, 6);
  json series = json::array();
  for (const auto& [lever, idx] : by_lever) {
    json y = json::array();
    for (std::size_t i = 0; i < xs.size(); ++i) y.push_back(nullptr);
    for (std::size_t i : idx) y[i] = ys[i];
    series.push_back({{"name", lever}, {"y", y}, {"scatter", true}});
  }
  spec["series"] = series;
  x.charts.push_back(spec);
  d.chart("chart-frontier", 320);
  d.src("Every option --mitigate simulated: a point at or above 0 meets every evaluated check (the worst margin over "
        "the checks, each as a fraction of its limit). Extra energy: the meter's, net of the charge left in storage, "
        "extrapolated to a year.");
}

void mitigation_part(Doc& d, Ctx& x, const json& m) {
  std::vector<std::vector<Cell>> rows;
  auto opt = [](const json& v, int dec, const std::string& unit) { return v.is_number() ? cnum(fmt(v.get<double>(), dec) + unit) : c("null (not priced)", "missing"); };
  rows.push_back({c("found"), c(is_true(m, "found") ? "yes" : "no")});
  rows.push_back({c("description"), c(str(m, "description", ""))});
  std::string sets;
  if (field(m, "sets").is_array())
    for (const json& s : m["sets"])
      if (s.is_string()) sets += (sets.empty() ? "" : "  ") + ("--set '" + s.get<std::string>() + "'");
  rows.push_back({c("sets"), c(sets.empty() ? "none" : sets)});
  if (m.contains("extra_energy_mwh_per_year")) {
    rows.push_back({c("extra energy"), opt(field(m, "extra_energy_mwh_per_year"), 1, " MWh/year")});
    rows.push_back({c("its cost"), opt(field(m, "extra_energy_usd_per_year"), 0, " $/year")});
    rows.push_back({c("battery"), opt(field(m, "battery_kwh"), 0, " kWh")});
    rows.push_back({c("battery capital"), opt(field(m, "battery_capital_usd"), 0, " $")});
    rows.push_back({c("goodput lost"), opt(field(m, "goodput_lost_gpu_hours_per_year"), 1, " GPU-hours/year")});
  }
  rows.push_back({c("ranking"), c(str(m, "ranking", ""))});
  d.table({"mitigation (--mitigate)", ""}, rows);
  if (field(m, "unmet").is_array())
    for (const json& u : m["unmet"]) d.missing("Not met: " + str(u, "check") + ": " + str(u, "why", ""));
  if (field(m, "frontier").is_array()) frontier_chart(d, x, m["frontier"]);
}

}  // namespace

void compliance_section(Doc& d, Ctx& x) {
  d.h2("compliance", "Interconnection compliance");
  const json& q = x.rd.compliance;
  if (!q.is_object()) {
    d.missing("No compliance check in this run's folder: run dctwin comply SCENARIO --requirements REQ.json -o " +
              (x.rd.dir.empty() ? std::string("RUN_DIR") : x.rd.dir) + " (add --mitigate for the least costly mitigation), then this report again.");
    return;
  }
  d.p("Requirements: " + str(q, "requirements") + " (" + str(q, "requirements_source") + "). Verdict: " + str(q, "verdict") + ".");
  checks_table(d, q);
  d.src("From compliance.json written by dctwin comply (its own run of the scenario at the resolution the requirements "
        "need; it may differ from this run's step and duration). A check not evaluated (value n/a) is not modelled, not passed.");
  if (q.contains("mitigation") && q["mitigation"].is_object())
    mitigation_part(d, x, q["mitigation"]);
  else
    d.missing("No mitigation search in compliance.json: run dctwin comply with --mitigate.");
}

}  // namespace dctwin::viz
