// The capacity report: the capacity plan of sizing.json when the folder has one (dctwin size), then
// every rated element's margins at the run's peak, after one loss, and at nameplate, and the
// overloads and single points of failure. One function per section of the page, in page order.
#include <algorithm>
#include <cmath>
#include <utility>

#include "viz/format.h"
#include "viz/json_fields.h"
#include "viz/report_page.h"

namespace dctwin::viz {

namespace {

// Both provisioning policies side by side (sizing.json policies): nameplate and simulated.
void policies_table(Doc& d, const json& z) {
  std::vector<std::vector<Cell>> pr;
  const json& pol = z.contains("policies") ? z["policies"] : json::object();
  for (const char* k : {"nameplate", "simulated"}) {
    if (!pol.contains(k)) continue;
    const json& p = pol[k];
    auto opt = [&](const char* key, int dec) { return num(p, key) ? cnum(fmt(*num(p, key), dec)) : c("not available", "missing"); };
    if (!p.value("available", false)) {
      pr.push_back({c(k), c("not available: " + str(p, "reason"), "missing"), c(""), c(""), c(""), c(""), c("")});
      continue;
    }
    const json& pb = p.contains("binding_constraint") ? p["binding_constraint"] : json();
    pr.push_back({c(std::string(k) + (std::string(k) == "simulated" ? " (peak + " + str(p, "margin_pct") + " %)" : "")),
                  opt("max_racks", 0), opt("max_gpus", 0), c(pb.is_object() ? str(pb, "name") + " (" + str(pb, "condition") + ")" : "none"),
                  opt("peak_facility_mw", 2), opt("heat_to_plant_mw", 2), opt("cooling_power_at_design_mw", 2)});
  }
  d.table({"policy", "max racks", "max GPUs", "binding constraint", "facility MW (meter, w/o cooling)", "heat to plant MW",
           "cooling power at design MW"}, pr);
}

// Every constraint's margin at the largest deployment: a table and a chart.
void constraints_table(Doc& d, Ctx& x, const json& z) {
  const json& cons = z.contains("constraints") && z["constraints"].is_array() ? z["constraints"] : json::array();
  std::vector<std::vector<Cell>> cr;
  json cats = json::array(), m = json::array();
  for (const auto& e : cons) {
    auto opt = [&](const char* key, int dec) { return number_cell(e, key, dec); };
    const bool ok = e.value("ok", false);
    // Where the user finds it: the entry's JSON path and which of its instances (sizing.json from
    // an older dctwin has no "instances").
    const std::string where = e.contains("instances") && e["instances"].is_string() ? str(e, "instances") : std::string();
    cr.push_back({c(str(e, "name")), c(str(e, "element") + (where.empty() ? "" : " — " + where)), c(str(e, "redundancy")), opt("rating_kw", 1), opt("load_kw", 1),
                  opt("failover_load_kw", 1), opt("utilization_pct", 1),
                  num(e, "margin_pct") ? Cell{html_escape(fmt(*num(e, "margin_pct"), 1)), ok ? "num" : "num bad"} : c("—"),
                  c(str(e, "note"))});
    cats.push_back(str(e, "name") + " " + (where.empty() ? str(e, "element") : where));
    m.push_back(tenth(num(e, "margin_pct")));
  }
  if (cons.empty()) {
    d.missing("sizing.json has no constraints list.");
  } else {
    d.table({"constraint", "element", "redundancy", "rating per unit (kW)", "load per unit (kW)", "after one loss (kW)",
             "utilization (%)", "margin (%)", "note"},
            cr);
    margin_chart(d, x, "chart-sizing", "Margin per constraint at the largest deployment (% of rating)", cats,
                 json::array({json{{"name", "margin"}, {"values", m}}}), std::max(300, 40 * static_cast<int>(cons.size()) + 110));
  }
}

void bill_of_materials(Doc& d, const json& z) {
  if (z.contains("bill_of_materials") && z["bill_of_materials"].is_object()) {
    std::vector<std::vector<Cell>> br;
    for (const auto& [k, v] : z["bill_of_materials"].items()) {
      if (k.size() > 5 && k.compare(k.size() - 5, 5, "_note") == 0) continue;
      const std::string note = str(z["bill_of_materials"], (k + "_note").c_str());
      br.push_back({c(k), v.is_null() ? c(note.empty() ? "not modelled" : note, "missing") : cnum(v.dump())});
    }
    d.table({"bill of materials", "units"}, br);
  } else {
    d.missing("sizing.json has no bill of materials (infeasible or not available).");
  }
}

// Rated elements (summary.json capacity[]): their margins at peak, after one loss, and at nameplate.
void rated_elements(Doc& d, Ctx& x) {
  const json& s = x.s;
  d.h2("capacity", "Rated elements: margins at peak, after one loss, and at nameplate");
  const json cap = capacity_list(s);
  if (cap.empty()) {
    d.missing("summary.json has no capacity[] list.");
    return;
  }
  std::vector<std::vector<Cell>> cr;
  json cats = json::array(), a = json::array(), b = json::array(), n1 = json::array(), n2 = json::array();
  for (const auto& e : cap) {
    auto opt = [&](const char* k, int dec) { return number_cell(e, k, dec); };
    auto pct = [&](const char* k) {
      const auto v = num(e, k);
      return v ? Cell{html_escape(fmt(*v, 1)), *v < 0 ? "num bad" : "num"} : c("—");
    };
    cr.push_back({c(str(e, "name", str(e, "element"))), c(str(e, "redundancy")),
                  units_cell(e), opt("rating_kw", 0),
                  opt("peak_unit_load_kw", 0), pct("margin_pct"), pct("failover_margin_pct"), opt("nameplate_unit_load_kw", 0),
                  pct("nameplate_margin_pct"), pct("nameplate_failover_margin_pct")});
    cats.push_back(str(e, "name", str(e, "element")));
    a.push_back(tenth(num(e, "margin_pct")));
    b.push_back(tenth(num(e, "failover_margin_pct")));
    n1.push_back(tenth(num(e, "nameplate_margin_pct")));
    n2.push_back(tenth(num(e, "nameplate_failover_margin_pct")));
  }
  d.table({"element", "redundancy", "units installed / needed x groups", "rating per unit (kW)", "peak load per unit (kW)",
           "margin at peak (%)", "margin after one loss (%)", "nameplate load per unit (kW)", "nameplate margin (%)",
           "nameplate margin after one loss (%)"},
          cr);
  d.src("summary.json capacity[]. Peak: the simulated run's highest load; nameplate: every node at its vendor nameplate_w "
        "(a provisioning policy, apart from the run). A negative margin is an overload.");
  for (const auto& e : cap)
    if (const std::string n = str(e, "load_note"); !n.empty()) d.p(str(e, "name", str(e, "element")) + ": " + n + ".");
  margin_chart(d, x, "chart-capacity", "Margin per element (% of rating)", cats,
               json::array({json{{"name", "at peak"}, {"values", a}}, json{{"name", "peak, after one loss"}, {"values", b}},
                            json{{"name", "nameplate"}, {"values", n1}}, json{{"name", "nameplate, after one loss"}, {"values", n2}}}),
               std::max(300, 90 * static_cast<int>(cap.size()) + 110));
}

// Overloads (in the run, at nameplate) and single points of failure.
void overloads_and_single_points(Doc& d, const Ctx& x) {
  const json& s = x.s;
  d.h2("checks", "Overloads and single points of failure");
  for (const auto& [key, title] : std::vector<std::pair<const char*, std::string>>{
           {"overloads", "Overloads in the run"}, {"nameplate_overloads", "Overloads at nameplate"},
           {"single_points_of_failure", "Single points of failure (N redundancy)"}}) {
    const json& l = s.contains(key) ? s[key] : json();
    if (!l.is_array()) {
      d.missing(title + ": not in summary.json.");
    } else if (l.empty()) {
      d.p(title + ": none.", "ok");
    } else {
      std::vector<std::vector<Cell>> rows;
      for (const auto& o : l)
        rows.push_back({c(str(o, "name", str(o, "element"))), c(str(o, "condition", str(o, "redundancy"))),
                        number_cell(o, "load_kw", 0),
                        number_cell(o, "rating_kw", 0),
                        number_cell(o, "margin_pct", 1)});
      d.p(title + ": " + std::to_string(l.size()) + ".", key == std::string("single_points_of_failure") ? "warn" : "bad");
      d.table({"element", "condition", "load (kW)", "rating (kW)", "margin (%)"}, rows);
    }
  }
}

// A word of a shell command, quoted when it needs to be.
std::string shell_word(const std::string& w) {
  if (!w.empty() && w.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=+:,@") == std::string::npos)
    return w;
  std::string q = "'";
  for (char ch : w) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}

}  // namespace

std::string size_command(const std::string& scenario_source, const std::string& dir) {
  const bool embedded = scenario_source.empty() || scenario_source.rfind("<embedded", 0) == 0;  // "<embedded default ...>"
  return "dctwin size " + (embedded ? std::string() : shell_word(scenario_source) + " ") + "-o " +
         (dir.empty() ? std::string("DIR") : shell_word(dir));
}

void sizing_section(Doc& d, Ctx& x) {
  const json& z = x.rd.sizing;
  d.h2("sizing", "Capacity plan: the largest deployment and what limits it");
  const bool feasible = z.value("feasible", false);
  const json& b = z.contains("binding_constraint") ? z["binding_constraint"] : json();
  if (const json& v = z.contains("verdict") ? z["verdict"] : json(); v.is_object())
    d.p("Verdict: " + str(v, "text") + ".", str(v, "status") == "fits" ? "ok" : "bad");
  if (!feasible) {
    d.p("INFEASIBLE under the " + str(z, "policy") + " policy: not even one rack fits (failing constraints below).", "bad");
  } else {
    d.p("Largest deployment (" + str(z, "policy") + " provisioning): " + str(z, "max_racks") + " racks, " + str(z, "max_gpus") +
        " GPUs. Binding constraint: " + (b.is_object() ? str(b, "name") + " (" + str(b, "condition") + ", " + str(b, "element") +
                                                             (b.contains("instances") && b["instances"].is_string() ? ", " + str(b, "instances") : "") + ")"
                                                         : std::string("none within the search limit")) + ".");
  }
  policies_table(d, z);
  constraints_table(d, x, z);
  bill_of_materials(d, z);
  const json& dc = z.contains("design_condition") ? z["design_condition"] : json();
  d.src("sizing.json (dctwin size). Design condition: " +
        (dc.is_object() ? fmt(*num(dc, "dry_bulb_c"), 1) + " °C dry bulb, " + fmt(*num(dc, "wet_bulb_c"), 1) + " °C wet bulb, " + str(dc, "source")
                        : std::string("none (cooling not modelled)")) + ".");
  if (z.contains("assumptions") && z["assumptions"].is_array())
    for (const auto& a : z["assumptions"]) d.src("Assumption: " + (a.is_string() ? a.get<std::string>() : a.dump()));
  d.end_section();
}

void capacity_report(Doc& d, Ctx& x) {
  rated_elements(d, x);
  overloads_and_single_points(d, x);
  if (x.rd.sizing.is_object()) return;  // the capacity plan leads the page (sizing_section)
  d.h2("sizing", "Sizing and binding constraints");
  d.missing("No capacity plan in this folder (no sizing.json), so no verdict and no binding constraint yet: the margins above "
            "are for the campus as specified in the scenario. For the largest deployment the site carries and what limits it, run: " +
            size_command(str(x.s, "scenario_source"), x.rd.dir) + " (with the same --set options as the run, if it had any), "
            "then this report again.");
}

}  // namespace dctwin::viz
