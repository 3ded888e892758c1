#include "sim/input/requirements.h"

#include "models/power/flickermeter.h"

#include <algorithm>

#include "core/json_input.h"

namespace dctwin {

bool Requirements::empty() const {
  return ramp.empty() && !step_change && !dynamic_range && !demand && oscillation.empty() && !power_factor_min && !flicker &&
         !voltage_change_max_pct;
}

PccSpec read_pcc(JsonReader& r) {
  PccSpec p;
  p.nominal_kv = r.number("nominal_kv", 0.1, 1000);
  p.short_circuit_mva = r.number("short_circuit_mva", 1, 1e6);
  p.x_over_r = r.number("x_over_r", 0.1, 100);
  r.finish();
  return p;
}

namespace {

WindowLimit read_window(JsonReader r, const std::string& max_key, double max_hi) {
  WindowLimit w;
  w.window_s = r.number("window_s", 1e-3, kMaxRequirementWindowS);
  w.max = r.number(max_key, 0, max_hi);
  r.finish();
  return w;
}

void read_oscillation(JsonReader& top, Requirements& q) {
  for (JsonReader o : top.array_of_objects("oscillation", 1, 64)) {
    OscillationLimit b;
    const json* band = o.raw("band_hz");
    const std::string expected = "[lo, hi] with 0 < lo < hi <= 250 Hz (the finest output step, 0.001 s, resolves 250 Hz)";
    if (band == nullptr) {
      o.problem("band_hz", expected + " (required)", "nothing (missing key)");
    } else if (!band->is_array() || band->size() != 2 || !(*band)[0].is_number() || !(*band)[1].is_number()) {
      o.problem("band_hz", expected, JsonReader::describe(band));
    } else {
      b.lo_hz = (*band)[0].get<double>();
      b.hi_hz = (*band)[1].get<double>();
      if (!(b.lo_hz > 0 && b.lo_hz < b.hi_hz && b.hi_hz <= 250)) o.problem("band_hz", expected, band->dump());
    }
    b.max_component_mw = o.number("max_component_mw", 0, 1e5);
    o.finish();
    q.oscillation.push_back(b);
  }
}

void read_flicker(JsonReader& top, Requirements& q) {
  auto f = top.optional_object("flicker");
  if (!f) return;
  FlickerLimit l;
  l.pst_max = f->optional_number("pst_max", 0, 100);
  l.plt_max = f->optional_number("plt_max", 0, 100);
  if (!l.pst_max && !l.plt_max) f->problem_here("at least one of pst_max, plt_max", "neither");
  f->finish();
  q.flicker = l;
}

}  // namespace

Requirements load_requirements_text(const std::string& text, const std::string& file) {
  Problems problems;
  const json doc = parse_json(text, file, problems);
  if (!problems.empty()) throw InputError(problems);
  Requirements q;
  q.source = file;
  JsonReader r(doc, "$", problems, file);
  q.name = r.string("name", 1, 200);
  q.description = r.optional_string("description").value_or("");
  if (const json* s = r.raw("sources")) {
    bool ok = s->is_object();
    if (ok)
      for (auto it = s->begin(); it != s->end(); ++it) ok = ok && it->is_string();
    if (ok) q.sources = *s;
    else r.problem("sources", "an object of strings (where each figure comes from)", JsonReader::describe(s));
  }
  if (r.has("ramp"))
    for (JsonReader o : r.array_of_objects("ramp", 1, 64)) {
      RampLimit l;
      l.window_s = o.number("window_s", 1e-3, kMaxRequirementWindowS);
      l.max_up_mw_per_s = o.number("max_up_mw_per_s", 0, 1e5);
      l.max_down_mw_per_s = o.number("max_down_mw_per_s", 0, 1e5);
      o.finish();
      q.ramp.push_back(l);
    }
  else
    r.allow("ramp");
  if (auto o = r.optional_object("step_change")) q.step_change = read_window(*o, "max_mw", 1e5);
  if (auto o = r.optional_object("dynamic_range")) q.dynamic_range = read_window(*o, "max_pct_of_peak", 100);
  if (auto o = r.optional_object("demand")) q.demand = read_window(*o, "max_mw", 1e5);
  if (r.has("oscillation")) read_oscillation(r, q);
  else r.allow("oscillation");
  if (auto o = r.optional_object("power_factor")) {
    q.power_factor_min = o->number("min", 0, 1);
    o->finish();
  }
  if (auto o = r.optional_object("pcc")) q.pcc = read_pcc(*o);
  read_flicker(r, q);
  if (auto o = r.optional_object("voltage_change")) {
    q.voltage_change_max_pct = o->number("max_pct", 0, 100);
    o->finish();
  }
  r.finish();
  if (problems.empty() && (q.flicker || q.voltage_change_max_pct) && !q.pcc)
    problems.add(file, "$.pcc", "the point of common coupling (nominal_kv, short_circuit_mva, x_over_r) when flicker or voltage_change is given",
                 "nothing (missing key)");
  if (problems.empty() && q.empty())
    problems.add(file, "$", "at least one requirement (ramp, step_change, dynamic_range, oscillation, power_factor, demand, flicker, voltage_change)",
                 "none");
  if (!problems.empty()) throw InputError(problems);
  return q;
}

Requirements load_requirements_file(const std::string& path) {
  Problems problems;
  const std::string text = read_text_file(path, problems);
  if (!problems.empty()) throw InputError(problems);
  return load_requirements_text(text, path);
}

std::optional<double> required_output_step_s(const Requirements& q) {
  std::optional<double> dt;
  auto need = [&dt](double v) { dt = dt ? std::min(*dt, v) : v; };
  for (const auto& l : q.ramp) need(l.window_s);
  for (const auto* w : {&q.step_change, &q.dynamic_range, &q.demand})
    if (*w) need((*w)->window_s);
  for (const auto& b : q.oscillation) need(1 / (4 * b.hi_hz));
  if (q.flicker) need(kFlickerOutputStepS);
  return dt;
}

double required_duration_s(const Requirements& q) {
  double d = 0;
  for (const auto& l : q.ramp) d = std::max(d, 2 * l.window_s);
  for (const auto* w : {&q.step_change, &q.dynamic_range, &q.demand})
    if (*w) d = std::max(d, (*w)->window_s);
  for (const auto& b : q.oscillation) d = std::max(d, 2 / b.lo_hz);
  if (q.flicker && q.flicker->pst_max) d = std::max(d, power::kPstIntervalS);
  return d;
}

}  // namespace dctwin
