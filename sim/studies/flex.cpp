#include "sim/studies/flex.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "core/units.h"
#include "sim/facility/curtailment.h"
#include "sim/facility/facility_storage.h"
#include "sim/run.h"
#include "sim/studies/sweep.h"

namespace dctwin {

namespace {

double price_at(const grid::PriceCarbonSeries& p, double t) {
  const auto it = std::upper_bound(p.t_s.begin(), p.t_s.end(), t);
  return p.usd_per_mwh[it == p.t_s.begin() ? 0 : static_cast<std::size_t>(it - p.t_s.begin()) - 1];
}

// The energy cost change of a case: the window's reduction at its prices, the energy moved after
// it and the extra energy at the price after the window.
double case_cost_usd(const grid::PriceCarbonSeries& p, const CurtailmentResult& r, double step_s) {
  double usd = 0;
  for (std::size_t i = 0; i < r.curtailed_w.size(); ++i) {
    const double t = r.spec.at_s + static_cast<double>(i) * step_s;
    usd -= r.achieved_w * step_s / units::kJPerMWh * price_at(p, t);
  }
  const double after = price_at(p, r.spec.at_s + r.spec.duration_s);
  return usd + (r.energy_shifted_j + r.extra_energy_j) / units::kJPerMWh * after;
}

std::vector<FlexOffer> offers(const FlexMap& m, const grid::PriceCarbonSeries& p) {
  std::vector<FlexOffer> out;
  if (p.t_s.empty()) return out;
  // The deepest reduction held for one hour with no notice.
  const FlexCase* best = nullptr;
  for (const FlexCase& c : m.cases)
    if (c.feasible && c.duration_s == 3600 && c.notice_s == 0 && (!best || c.achieved_w > best->achieved_w)) best = &c;
  // Hourly prices over the series' span (its last row holds for one hour).
  const double span = p.t_s.back() - p.t_s.front() + 3600;
  const std::size_t hours = static_cast<std::size_t>(std::floor(span / 3600));
  std::vector<double> price(hours);
  for (std::size_t h = 0; h < hours; ++h) price[h] = price_at(p, p.t_s.front() + 3600.0 * static_cast<double>(h));
  const double mean = hours > 0 ? std::accumulate(price.begin(), price.end(), 0.0) / static_cast<double>(hours) : 0.0;
  std::sort(price.begin(), price.end(), std::greater<double>());
  for (double pct : {0.25, 0.5, 1.0}) {
    FlexOffer o;
    o.hours_pct = pct;
    o.hours = static_cast<std::size_t>(std::ceil(static_cast<double>(hours) * pct / 100.0));
    if (best) {
      const double n = static_cast<double>(o.hours);
      o.offered_w = best->achieved_w;
      o.goodput_lost_gpu_h = best->goodput_lost_gpu_h * n;
      o.extra_energy_j = best->extra_energy_j * n;
      double avoided = 0;
      for (std::size_t h = 0; h < o.hours && h < price.size(); ++h) avoided += best->achieved_w * 3600 / units::kJPerMWh * price[h];
      o.savings_usd = avoided - (best->energy_shifted_j + best->extra_energy_j) * n / units::kJPerMWh * mean;
    }
    out.push_back(o);
  }
  return out;
}

}  // namespace

FlexMap flex_map(const Scenario& in, const FlexOptions& o) {
  Scenario sc = in;
  const double max_notice = *std::max_element(o.notices_s.begin(), o.notices_s.end());
  const double max_dur = *std::max_element(o.durations_s.begin(), o.durations_s.end());
  const double at = kSettleS + max_notice;
  sc.duration_s = at + max_dur + kReboundS;
  sc.output_step_s = kFlexOutputStepS;
  sc.rack_series_step_s = std::max(sc.rack_series_step_s, kFlexOutputStepS);
  sc.curtailments.clear();
  sc.grid.reset();  // grid disturbances are another study (dctwin ride-through)
  for (JobSpec& j : sc.jobs) j.failures.reset();
  const Facility facility(sc);
  const EngineResult e = run_engine_cooled(sc, facility, EngineOptions{});
  const std::vector<JobPlan> plans = plan_jobs(sc, facility);
  std::optional<StorageSeries> storage;
  if (sc.storage) storage = run_storage(*sc.storage, sc.storage_initial_soc, e.recorder);
  FlexMap m;
  m.run_s = sc.duration_s;
  const std::vector<std::size_t> axes = {o.depths_pct.size(), o.durations_s.size(), o.notices_s.size()};
  const std::size_t n = o.depths_pct.size() * o.durations_s.size() * o.notices_s.size();
  m.cases.resize(n);
  run_in_threads(n, o.threads, [&](std::size_t g) {
    const std::vector<std::size_t> ix = grid_point_indices(g, axes);
    CurtailmentSpec c;
    c.at_s = at;
    c.reduce_pct = o.depths_pct[ix[0]];
    c.duration_s = o.durations_s[ix[1]];
    c.notice_s = o.notices_s[ix[2]];
    c.json_path = "flex";
    const CurtailmentResult r = simulate_curtailment(sc, facility, plans, e.recorder, storage ? &*storage : nullptr, c);
    FlexCase& fc = m.cases[g];
    fc.depth_pct = *c.reduce_pct;
    fc.duration_s = c.duration_s;
    fc.notice_s = c.notice_s;
    fc.reference_w = r.reference_w;
    fc.asked_w = r.asked_w;
    fc.achieved_w = r.achieved_w;
    fc.feasible = r.held;
    for (const StrategyUse& u : r.used) fc.mix.emplace_back(to_string(u.strategy), u.reduction_w * 1e-6);
    fc.goodput_lost_gpu_h = r.goodput_lost_gpu_h;
    fc.extra_energy_j = r.extra_energy_j;
    fc.energy_shifted_j = r.energy_shifted_j;
    if (sc.price_carbon) fc.cost_usd = case_cost_usd(*sc.price_carbon, r, kFlexOutputStepS);
  });
  if (sc.price_carbon) m.offers = offers(m, *sc.price_carbon);
  return m;
}

std::string flex_csv(const FlexMap& m) {
  std::string out =
      "depth_pct,duration_s,notice_s,reference_mw,asked_mw,achieved_mw,feasible,strategies,goodput_lost_gpu_hours,"
      "extra_energy_mwh,energy_shifted_mwh,cost_usd\n";
  char buf[512];
  for (const FlexCase& c : m.cases) {
    std::string mix;
    for (const auto& s : c.mix) {
      std::snprintf(buf, sizeof buf, "%s%s:%.6g", mix.empty() ? "" : ";", s.first.c_str(), s.second);
      mix += buf;
    }
    std::string cost;
    if (c.cost_usd) {
      std::snprintf(buf, sizeof buf, "%.6g", *c.cost_usd);
      cost = buf;
    }
    std::snprintf(buf, sizeof buf, "%.6g,%.6g,%.6g,%.9g,%.9g,%.9g,%s,%s,%.9g,%.9g,%.9g,%s\n", c.depth_pct, c.duration_s, c.notice_s,
                  c.reference_w * 1e-6, c.asked_w * 1e-6, c.achieved_w * 1e-6, c.feasible ? "true" : "false", mix.c_str(),
                  c.goodput_lost_gpu_h, c.extra_energy_j / units::kJPerMWh, c.energy_shifted_j / units::kJPerMWh, cost.c_str());
    out += buf;
  }
  return out;
}

json flex_json(const FlexMap& m) {
  json cases = json::array();
  for (const FlexCase& c : m.cases) {
    json mix = json::array();
    for (const auto& s : c.mix) mix.push_back({{"name", s.first}, {"mw", s.second}});
    cases.push_back({{"depth_pct", c.depth_pct},
                     {"duration_s", c.duration_s},
                     {"notice_s", c.notice_s},
                     {"reference_mw", c.reference_w * 1e-6},
                     {"asked_mw", c.asked_w * 1e-6},
                     {"achieved_mw", c.achieved_w * 1e-6},
                     {"feasible", c.feasible},
                     {"strategies", mix},
                     {"goodput_lost_gpu_hours", c.goodput_lost_gpu_h},
                     {"extra_energy_mwh", c.extra_energy_j / units::kJPerMWh},
                     {"energy_shifted_mwh", c.energy_shifted_j / units::kJPerMWh},
                     {"cost_usd", c.cost_usd ? json(*c.cost_usd) : json(nullptr)}});
  }
  json offers = nullptr;
  if (!m.offers.empty()) {
    offers = json::array();
    for (const FlexOffer& o : m.offers)
      offers.push_back({{"hours_pct", o.hours_pct},
                        {"hours", o.hours},
                        {"offered_mw", o.offered_w * 1e-6},
                        {"goodput_lost_gpu_hours", o.goodput_lost_gpu_h},
                        {"extra_energy_mwh", o.extra_energy_j / units::kJPerMWh},
                        {"savings_usd", o.savings_usd}});
  }
  return {{"method",
           "one run of " + std::to_string(static_cast<long long>(m.run_s)) +
               " s at a 60 s output step, failures off; every case a curtailment on its series (sim/studies/flex.h)"},
          {"cases", cases},
          {"price_offers", offers}};
}

}  // namespace dctwin
