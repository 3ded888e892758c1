#include "sim/output/summary_figures.h"

namespace dctwin {

namespace {

// A figure that may be null or absent.
std::optional<double> maybe(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

double figure(const json& j, const char* key) { return j.at(key).get<double>(); }

}  // namespace

SummaryFigures read_summary_figures(const json& s) {
  SummaryFigures f;
  f.gpus = s.at("gpus").get<std::int64_t>();
  f.gpus_in_jobs = s.at("gpus_in_jobs").get<std::int64_t>();
  f.peak_it_mw = figure(s, "peak_it_mw");
  f.mean_it_mw = figure(s, "mean_it_mw");
  f.peak_facility_mw = figure(s, "peak_facility_mw");
  f.mean_facility_mw = figure(s, "mean_facility_mw");
  f.it_energy_mwh = figure(s, "it_energy_mwh");
  f.losses_energy_mwh = figure(s, "losses_energy_mwh");
  f.max_ramp_up_mw_per_s = figure(s, "max_ramp_up_mw_per_s");
  f.max_ramp_down_mw_per_s = figure(s, "max_ramp_down_mw_per_s");
  f.ramp_window_s = figure(s, "ramp_window_s");
  for (const auto& o : s.at("overloads"))
    f.overloads.push_back({o.at("element").get<std::string>(), o.at("condition").get<std::string>(), figure(o, "load_kw"),
                           figure(o, "rating_kw"), figure(o, "margin_kw")});

  f.cooling_modelled = s.value("cooling_modelled", false);
  f.cooling_energy_mwh = maybe(s, "cooling_energy_mwh");
  f.pue = maybe(s, "pue");
  f.wue_l_per_kwh = maybe(s, "wue_l_per_kwh");
  if (const auto fc = s.find("free_cooling_hours"); fc != s.end() && fc->is_object()) {
    f.free_cooling_full_h = maybe(*fc, "full");
    f.free_cooling_partial_h = maybe(*fc, "partial");
  }
  f.chiller_hours = maybe(s, "chiller_hours");
  f.max_facility_water_c = maybe(s, "max_facility_water_c");
  f.max_junction_c = maybe(s, "max_junction_c");
  f.throttled_gpu_hours = maybe(s, "throttled_gpu_hours");
  f.energy_cost_usd = maybe(s, "energy_cost_usd");
  f.emissions_t_co2 = maybe(s, "emissions_t_co2");
  if (const auto a = s.find("alarms"); a != s.end() && a->is_array()) f.alarms = a->size();
  if (const auto pf = s.find("plant_failures"); pf != s.end()) {
    f.plant_failures = *pf;
    if (pf->is_array() && !pf->empty()) f.time_to_first_alarm_s = maybe((*pf)[0], "time_to_first_alarm_s");
  }
  return f;
}

}  // namespace dctwin
