#include "viz/key_figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "viz/format.h"
#include "viz/json_fields.h"
#include "viz/report_page.h"

namespace dctwin::viz {

namespace {

// Seconds after midnight as HH:MM (HH:MM:SS when not whole minutes).
std::string hhmm(double t_s) {
  const long long s = std::llround(t_s);
  char buf[32];
  if (s % 60 == 0)
    std::snprintf(buf, sizeof buf, "%02lld:%02lld", s / 3600, (s / 60) % 60);
  else
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

// One tile of the card: a label, the figure, and a line that says what it is.
void tile(Doc& d, const std::string& id, const std::string& label, const std::string& value, const std::string& note,
          const std::string& cls = "") {
  d.raw("<div class=\"kf" + (cls.empty() ? std::string() : " " + cls) + "\" id=\"" + id + "\"><div class=\"kf-label\">");
  d.text(label);
  d.raw("</div><div class=\"kf-value\">");
  d.text(value);
  d.raw("</div><div class=\"kf-note\">");
  d.text(note);
  d.raw("</div></div>\n");
}

// The instantaneous peak against the contracted capacity, with the excursions above it.
void peak_tile(Doc& d, const Ctx& x, const std::optional<double>& cap) {
  const auto peak = num(x.s, "peak_facility_mw");
  if (!peak) {
    tile(d, "kf-peak", "Instantaneous peak", "not available", "summary.json has no peak_facility_mw", "missing");
    return;
  }
  const std::string value = fmt(*peak, 2) + " MW";
  const std::string at = "first at " + fmt_t(num(x.s, "peak_facility_t_s").value_or(0));
  if (!cap) {
    tile(d, "kf-peak", "Instantaneous peak", value, at + "; no contracted capacity to compare it with (no complete 15-minute interval)");
    return;
  }
  if (*peak <= *cap) {
    tile(d, "kf-peak", "Instantaneous peak", value, "within the contracted capacity (" + fmt(*cap, 2) + " MW); " + at, "ok");
    return;
  }
  const Excursions ex = excursions_above(*x.facility, *cap, x.rd.t0_s, x.dt);
  std::string note = "ABOVE the contracted capacity (" + fmt(*cap, 2) + " MW) by " + fmt(*peak - *cap, 2) + " MW; ";
  if (ex.count == 0)
    note += "only within an output step: no " + interval_label(x.dt) + " mean of the meter power exceeds it";
  else
    note += fmt(static_cast<double>(ex.count), 0) + (ex.count == 1 ? " excursion" : " excursions") + ", " +
            (ex.share * 100 >= 0.1 ? fmt(ex.share * 100, 1) : fmt_g(ex.share * 100)) + " % of the time (" +
            fmt_duration(static_cast<double>(ex.samples) * x.dt) + "), the longest " + fmt_duration(ex.longest_s) + ", at the " +
            interval_label(x.dt) + " output step";
  tile(d, "kf-peak", "Instantaneous peak", value, note, "bad");
}

void n1_tile(Doc& d, const Ctx& x) {
  const auto h = n1_headroom(x.s);
  if (!h) {
    tile(d, "kf-n1", "N-1 headroom", "not modelled", "summary.json has no capacity[] list of rated elements", "missing");
    return;
  }
  std::string extra;
  if (h->no_redundancy)
    extra = "; " + std::to_string(h->no_redundancy) + " of " + std::to_string(h->groups) +
            " element groups have no redundancy (N): losing one of their units drops load";
  if (!h->margin_pct) {
    tile(d, "kf-n1", "N-1 headroom", "none", "no rated element group has redundancy" + extra, "bad");
    return;
  }
  const bool over = *h->margin_pct < 0;
  std::string note = "the tightest element group after the loss of one unit: " + h->name +
                     (h->margin_kw ? " (" + fmt(*h->margin_kw, 0) + " kW per unit)" : std::string()) +
                     (over ? "; " + std::to_string(h->overloaded) + " group(s) overload after losing one unit" : std::string()) + extra;
  tile(d, "kf-n1", "N-1 headroom", fmt(*h->margin_pct, 1) + " % of rating", note, over ? "bad" : (h->no_redundancy ? "warn" : "ok"));
}

}  // namespace

std::optional<double> contracted_capacity_mw(const std::optional<Peak>& peak_15min, double margin_pct) {
  if (!peak_15min) return std::nullopt;
  return peak_15min->value * (1 + margin_pct / 100);
}

WeatherWindow weather_window(const json& summary, double duration_s) {
  WeatherWindow w;
  if (!summary.is_object() || !summary.contains("cooling") || !summary["cooling"].is_object()) return w;
  w.weather = str(summary["cooling"], "weather");
  const std::string span = fmt_duration(duration_s);
  if (w.weather.rfind("design day", 0) == 0) {
    w.window = duration_s <= 86400 + 1e-9 ? hhmm(0) + "–" + hhmm(duration_s) + " of the design day"
                                           : span + " of the design day, repeated each day";
  } else if (w.weather.rfind("EPW ", 0) == 0) {
    const std::string rest = w.weather.substr(4);
    const std::size_t from = rest.rfind(" from day ");
    std::string file = from == std::string::npos ? rest : rest.substr(0, from);
    if (const std::size_t slash = file.find_last_of('/'); slash != std::string::npos) file = file.substr(slash + 1);
    const std::string day = from == std::string::npos ? std::string() : rest.substr(from + 10);
    const bool year = std::abs(duration_s - 365 * 86400.0) < 1 || std::abs(duration_s - 366 * 86400.0) < 1;
    w.window = (year ? std::string("a year") : span) + " of " + file + (day.empty() ? std::string() : " from 00:00 of day " + day);
  } else {
    w.window = span + " of the run's weather";
  }
  return w;
}

std::string pue_with_window(const json& summary, double duration_s) {
  const auto pue = num(summary, "pue");
  if (!pue) return "PUE not modelled (cooling is not modelled in this run)";
  const WeatherWindow w = weather_window(summary, duration_s);
  return "PUE " + fmt(*pue, 3) + (w.window.empty() ? std::string() : " (" + w.window + ")");
}

std::optional<N1Headroom> n1_headroom(const json& summary) {
  const json cap = capacity_list(summary);
  if (cap.empty()) return std::nullopt;
  N1Headroom h;
  h.groups = cap.size();
  for (const auto& e : cap) {
    const auto pct = num(e, "failover_margin_pct");
    if (!pct) {
      ++h.no_redundancy;
      continue;
    }
    if (*pct < 0) ++h.overloaded;
    if (!h.margin_pct || *pct < *h.margin_pct) {
      h.margin_pct = pct;
      h.margin_kw = num(e, "failover_margin_kw");
      h.name = str(e, "name", str(e, "element"));
    }
  }
  return h;
}

void key_figures_card(Doc& d, const Ctx& x, const std::optional<Peak>& peak_15min, const std::string& why_not) {
  const auto cap = contracted_capacity_mw(peak_15min, x.o.margin_pct);
  d.raw("<section id=\"key-figures\" class=\"keyfig\" aria-label=\"Key figures\">\n");
  if (cap)
    tile(d, "kf-capacity", "Recommended contracted capacity", fmt(*cap, 2) + " MW",
         "highest 15-minute demand " + fmt(peak_15min->value, 2) + " MW + " + fmt_g(x.o.margin_pct) + " % margin" +
             (x.cooling_modelled ? "" : "; cooling not included (not modelled)"));
  else
    tile(d, "kf-capacity", "Recommended contracted capacity", "not available", why_not + "; run at least 900 s", "missing");
  peak_tile(d, x, cap);
  const auto pue = num(x.s, "pue");
  if (pue) {
    const WeatherWindow w = weather_window(x.s, x.duration);
    tile(d, "kf-pue", "PUE", fmt(*pue, 3), "over " + (w.window.empty() ? "the run" : w.window) +
                                              (w.weather.empty() ? std::string() : " (" + w.weather + ")") + ": meter energy / IT energy" +
                                              (x.duration < 365 * 86400.0 - 1 ? "; not a yearly figure" : ""));
  } else {
    tile(d, "kf-pue", "PUE", "not modelled", "cooling is not modelled in this run (summary.json pue is null)", "missing");
  }
  n1_tile(d, x);
  d.raw("</section>\n");
}

}  // namespace dctwin::viz
