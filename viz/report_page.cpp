#include "viz/report_page.h"

#include <cmath>
#include <cstdio>

#include "viz/demand.h"
#include "viz/format.h"
#include "viz/json_fields.h"

namespace dctwin::viz {

json round_series(const std::vector<double>& v, int sig) {
  json a = json::array();
  char buf[40];
  for (double x : v) {
    if (!std::isfinite(x)) {  // a gap (no value in that interval)
      a.push_back(nullptr);
      continue;
    }
    std::snprintf(buf, sizeof buf, "%.*g", sig, x);
    a.push_back(json::parse(buf));
  }
  return a;
}

json envelope_series(const std::string& name, const std::vector<double>& v, double t0_s, double dt_s, std::size_t columns) {
  const Envelope e = envelope(v, t0_s, dt_s, columns == 0 ? v.size() : columns);
  json s = {{"name", name}, {"env", true}, {"t", round_series(e.t, 10)}, {"tEnd", e.t_end}};
  if (e.t.size() == v.size()) {
    s["v"] = round_series(e.mean, 8);
  } else {
    s["min"] = round_series(e.min, 8);
    s["mean"] = round_series(e.mean, 8);
    s["max"] = round_series(e.max, 8);
  }
  return s;
}

json chart_base(const Ctx& x, const std::string& id, const std::string& kind, const std::string& title) {
  return {{"id", id}, {"kind", kind}, {"title", title}, {"provenance", x.provenance}};
}

json capacity_list(const json& s) {
  return s.contains("capacity") && s["capacity"].is_array() ? s["capacity"] : json::array();
}

Cell number_cell(const json& e, const char* key, int decimals) {
  const auto v = num(e, key);
  return v ? cnum(fmt(*v, decimals)) : c("—");
}

Cell units_cell(const json& e) { return cnum(str(e, "units_installed") + " / " + str(e, "units_needed") + " x " + str(e, "groups")); }

json tenth(const std::optional<double>& v) { return v ? json(std::round(*v * 10) / 10) : json(nullptr); }

void header(Doc& d, Ctx& x, const std::string& title) {
  d.raw("<header><h1>");
  d.text(title + " — " + x.scenario);
  d.raw("</h1>\n<table class=\"prov\"><tbody>");
  auto row = [&](const std::string& k, const std::string& v) {
    d.raw("<tr><th>" + html_escape(k) + "</th><td>" + html_escape(v) + "</td></tr>");
  };
  const bool sizing_only = x.s.empty() && x.rd.sizing.is_object();  // dctwin size alone wrote this folder
  row("scenario", x.scenario);
  row("scenario source", str(sizing_only ? x.rd.sizing : x.s, "scenario_source", "not in summary.json"));
  if (!sizing_only) row("seed", x.seed);
  row("dctwin version", x.version);
  if (sizing_only)
    row("simulated", "no run in this folder: sizing.json only");
  else
    row("simulated", fmt_duration(x.duration) + " at " + interval_label(x.dt) + " output resolution (" +
                         fmt(static_cast<double>(x.facility->size()), 0) + " samples)");
  if (auto g = num(x.s, "gpus")) row("GPUs", fmt(*g, 0) + (num(x.s, "gpus_in_jobs") ? " (" + fmt(*num(x.s, "gpus_in_jobs"), 0) + " in jobs)" : ""));
  row("report generated", x.o.generated);
  row("data", (x.rd.dir.empty() ? std::string("") : x.rd.dir + "/") +
                  (sizing_only ? std::string("sizing.json") : std::string("summary.json and timeseries.csv (the full series)")));
  d.raw("</tbody></table>\n");
  if (x.s.contains("not_modelled") && x.s["not_modelled"].is_array() && !x.s["not_modelled"].empty()) {
    d.raw("<div class=\"notice\"><strong>Not modelled in this run</strong> (so not in any figure below):<ul>");
    for (const auto& n : x.s["not_modelled"]) d.raw("<li>" + html_escape(n.is_string() ? n.get<std::string>() : n.dump()) + "</li>");
    d.raw("</ul></div>\n");
  }
  d.raw("</header>\n");
}

void margin_chart(Doc& d, Ctx& x, const std::string& id, const std::string& title, const json& categories, const json& series,
                  int height_px) {
  json spec = chart_base(x, id, "hbar", title);
  spec["categories"] = categories;
  spec["xName"] = "margin (% of rating)";
  spec["series"] = series;
  x.charts.push_back(spec);
  d.chart(id, height_px);
}

bool timeseries_chart(Doc& d, Ctx& x, const std::string& id, const std::string& title,
                      const std::vector<std::pair<std::string, std::string>>& cols,
                      const std::vector<double>* step_overlay, double step_interval) {
  json spec = chart_base(x, id, "timeseries", title);
  spec["yName"] = "power (MW)";
  spec["clock"] = x.duration >= 3600;
  spec["series"] = json::array();
  std::size_t total = 0, shown = 0;
  std::string names;
  for (const auto& [col, label] : cols) {
    names += (names.empty() ? "" : ", ") + col;
    const auto* v = x.rd.column(col);
    if (!v || v->empty()) continue;
    json s = envelope_series(label, *v, x.rd.t0_s, x.dt, x.o.display_buckets);
    total = v->size();
    shown = s["t"].size();
    spec["series"].push_back(std::move(s));
  }
  if (spec["series"].empty()) {
    d.missing(title + ": not drawn, timeseries.csv has no " + names + " column.");
    return false;
  }
  if (step_overlay && !step_overlay->empty()) {
    std::vector<double> t, v;
    for (std::size_t i = 0; i < step_overlay->size(); ++i) {
      t.push_back(x.rd.t0_s + static_cast<double>(i) * step_interval);
      v.push_back((*step_overlay)[i]);
    }
    t.push_back(x.rd.t0_s + static_cast<double>(step_overlay->size()) * step_interval);
    v.push_back(step_overlay->back());
    spec["series"].push_back({{"name", interval_label(step_interval) + " demand"}, {"t", round_series(t, 10)},
                              {"v", round_series(v, 8)}, {"step", true}});
  }
  x.charts.push_back(spec);
  d.chart(id, 380);
  d.src("Drawn per pixel column: the mean of the samples in each column as a line, their smallest to largest as a band" +
        (shown < total ? " (" + fmt(static_cast<double>(total), 0) + " samples reduced to the min, mean and max of each of " +
                             fmt(static_cast<double>(shown), 0) + " equal time columns, then to the plot's width)"
                       : std::string(" (every one of the ") + fmt(static_cast<double>(total), 0) + " samples of timeseries.csv is embedded)") +
        "; zoom in (drag the slider or scroll) for finer columns. The full series is in timeseries.csv.");
  return true;
}

}  // namespace dctwin::viz
