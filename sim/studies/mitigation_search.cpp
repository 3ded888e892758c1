#include "sim/studies/mitigation_search.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <mutex>

#include "sim/studies/sweep.h"

namespace dctwin {

namespace {

constexpr double kHoursPerYear = 8760;


// The tightest rate of change of meter power (MW/s) the requirements allow; nullopt when none
// limits a rate.
std::optional<double> tightest_rate_mw_per_s(const Requirements& q, double peak_mw) {
  std::optional<double> r;
  auto take = [&r](double v) {
    if (v > 0 && (!r || v < *r)) r = v;
  };
  for (const auto& l : q.ramp) {
    take(l.max_up_mw_per_s);
    take(l.max_down_mw_per_s);
  }
  if (q.step_change) take(q.step_change->max / q.step_change->window_s);
  if (q.dynamic_range) take(q.dynamic_range->max / 100 * peak_mw / q.dynamic_range->window_s);
  // A ramp-limited swing at R has a fundamental of amplitude about R / (4 f): R = 4 f_lo A keeps the
  // band's lowest frequency under its cap.
  for (const auto& b : q.oscillation) take(4 * b.lo_hz * b.max_component_mw);
  return r;
}

double rate_or_default(const Requirements& q, double peak_mw) {
  // Without a rate requirement: 1 % of the peak per second (assumption: a gentle ramp).
  return tightest_rate_mw_per_s(q, peak_mw).value_or(0.01 * peak_mw);
}

std::int64_t gpus_in_jobs(const Scenario& sc) {
  std::int64_t n = 0;
  for (const auto& j : sc.jobs) n += j.gpus;
  return std::max<std::int64_t>(1, n);
}

void battery_sets(std::vector<std::string>& out, const std::string& path, double power_w, double ramp_w_per_s, bool rack) {
  json b;
  if (rack) {
    b["energy_j"] = power_w * 900;
    b["power_w"] = power_w;
    b["round_trip_efficiency"] = 0.95;
    b["recovery_s"] = 30;
    b["grid_ramp_limit_w_per_s"] = ramp_w_per_s;
  } else {
    b["power_mw"] = power_w / 1e6;
    b["energy_mwh"] = power_w / 1e6 * 0.25;
    b["round_trip_efficiency"] = 0.85;
    b["grid_ramp_limit_mw_per_s"] = ramp_w_per_s / 1e6;
  }
  b["soc_min_pct"] = 10;
  b["soc_max_pct"] = 90;
  out.push_back(override_text(path, b));
}

}  // namespace

const std::vector<std::string>& mitigation_levers() {
  static const std::vector<std::string> v{"gpu_smoothing", "facility_battery", "rack_storage", "power_cap", "smoothing+battery"};
  return v;
}

std::vector<std::string> lever_sets(const std::string& lever, double s, const Scenario& sc, const Requirements& q,
                                    double peak_meter_mw) {
  std::vector<std::string> out;
  const double rate_w = rate_or_default(q, peak_meter_mw) * 1e6;
  const double soften = 1 - 0.75 * s;
  if (lever == "gpu_smoothing") {
    const double r = rate_w / static_cast<double>(gpus_in_jobs(sc)) * soften;
    for (std::size_t i = 0; i < sc.jobs.size(); ++i)
      out.push_back(override_text("jobs." + std::to_string(i) + ".smoothing",
                                  json{{"floor_pct_tdp", 20 + 70 * s}, {"ramp_up_w_per_s", r}, {"ramp_down_w_per_s", r}}));
  }
  if (lever == "smoothing+battery")  // a power floor alone (ramps unlimited: 0) lightens the battery's work
    for (std::size_t i = 0; i < sc.jobs.size(); ++i)
      out.push_back(override_text("jobs." + std::to_string(i) + ".smoothing",
                                  json{{"floor_pct_tdp", 55}, {"ramp_up_w_per_s", 0}, {"ramp_down_w_per_s", 0}}));
  if (lever == "facility_battery" || lever == "smoothing+battery")
    battery_sets(out, "campus.storage", s * peak_meter_mw * 1e6, rate_w * soften, false);
  if (lever == "rack_storage") {
    const double racks = static_cast<double>(std::max<std::int64_t>(1, sc.total_racks()));
    for (const auto& rt : sc.rack_types) {
      const std::string path = "rack_types." + rt.name + ".storage";
      battery_sets(out, path, s * peak_meter_mw * 1e6 / racks, rate_w * soften / racks, true);
    }
  }
  if (lever == "power_cap") {
    double tdp = std::numeric_limits<double>::infinity();
    for (const auto& p : sc.profiles) tdp = std::min(tdp, p.tdp_w);
    for (std::size_t i = 0; i < sc.jobs.size(); ++i)
      out.push_back(override_text("jobs." + std::to_string(i) + ".power_cap", json{{"gpu_w", std::round((1 - 0.5 * s) * tdp)}}));
  }
  return out;
}

std::optional<double> worst_relative_margin(const json& checks, std::string* which) {
  std::optional<double> worst;
  for (const json& c : checks) {
    if (c["margin"].is_null()) continue;
    const double lim = std::abs(c["limit"].get<double>());
    const double m = c["margin"].get<double>() / (lim > 0 ? lim : 1.0);
    if (!worst || m < *worst) {
      worst = m;
      if (which) *which = c["name"].get<std::string>();
    }
  }
  return worst;
}

namespace {

bool evaluated_pass(const json& doc, std::vector<std::string>& failed) {
  for (const json& c : doc["checks"])
    if (!c["pass"].is_null() && !c["pass"].get<bool>()) failed.push_back(c["name"].get<std::string>());
  return failed.empty();
}

std::optional<double> opt_number(const json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? std::optional<double>(j[key].get<double>()) : std::nullopt;
}

// The meter's energy net of the charge the storage holds at the end over its start (returned
// later, not spent).
double net_meter_mwh(const json& doc, const json& summary) {
  double stored = 0;
  for (const char* key : {"storage", "rack_storage"})
    if (summary.contains(key) && summary[key].is_object()) stored += summary[key].value("stored_change_mwh", 0.0);
  return doc["run"]["meter_energy_mwh"].get<double>() - stored;
}

MitigationCase run_case(const Requirements& q, const ComplyRequest& req, const std::string& lever, double s,
                        std::vector<std::string> sets) {
  MitigationCase c;
  c.lever = lever;
  c.strength = s;
  c.sets = sets;
  ComplyRequest r = req;
  r.sets.insert(r.sets.end(), sets.begin(), sets.end());
  try {
    json summary;
    const json doc = run_compliance(q, r, {}, &summary);
    c.pass = evaluated_pass(doc, c.failed);
    c.worst_margin = worst_relative_margin(doc["checks"], &c.worst_check);
    c.meter_energy_mwh = net_meter_mwh(doc, summary);
    c.goodput = opt_number(summary, "goodput");
    c.energy_cost_usd = opt_number(summary, "energy_cost_usd");
  } catch (const std::exception& e) {
    c.error = e.what();
    c.pass = false;
  }
  for (const auto& set : sets) {
    const auto eq = set.find('=');
    const json v = json::parse(set.substr(eq + 1), nullptr, false);
    if (!v.is_object()) continue;
    if (v.contains("energy_mwh")) {
      c.battery_mwh += v["energy_mwh"].get<double>();
      c.battery_mw += v["power_mw"].get<double>();
    }
  }
  return c;
}

struct Pricing {
  std::optional<double> usd_per_mwh;
  std::string tariff_source;
};

struct CaseCosts {
  double extra_mwh_y = 0;
  std::optional<double> extra_usd_y, capital_usd, goodput_lost_h_y, total_usd;
};

CaseCosts costs_of(const MitigationCase& c, const MitigationCase& base, double year_factor, const Pricing& pr,
                   const MitigationOptions& o, double gpus, double rack_count) {
  CaseCosts k;
  k.extra_mwh_y = (c.meter_energy_mwh - base.meter_energy_mwh) * year_factor;
  if (pr.usd_per_mwh) k.extra_usd_y = k.extra_mwh_y * *pr.usd_per_mwh;
  double kwh = c.battery_mwh * 1e3, kw = c.battery_mw * 1e3;
  for (const auto& set : c.sets) {  // rack storage: per rack, x racks
    const auto eq = set.find('=');
    const json v = json::parse(set.substr(eq + 1), nullptr, false);
    if (v.is_object() && v.contains("energy_j")) {
      kwh += v["energy_j"].get<double>() / 3.6e6 * rack_count;
      kw += v["power_w"].get<double>() / 1e3 * rack_count;
    }
  }
  if (kwh > 0 && (o.battery_usd_per_kwh || o.battery_usd_per_kw))
    k.capital_usd = kwh * o.battery_usd_per_kwh.value_or(0) + kw * o.battery_usd_per_kw.value_or(0);
  else if (kwh == 0)
    k.capital_usd = 0.0;  // no battery in this option: no battery capital (priced exactly)
  // Goodput is a ratio of sums: differences below 1e-9 are rounding, not a loss.
  if (c.goodput && base.goodput)
    k.goodput_lost_h_y = std::abs(*base.goodput - *c.goodput) < 1e-9 ? 0.0 : (*base.goodput - *c.goodput) * gpus * kHoursPerYear;
  if (k.extra_usd_y && k.capital_usd) k.total_usd = *k.extra_usd_y * o.horizon_years + *k.capital_usd;
  return k;
}

double battery_kwh(const MitigationCase& c, double rack_count) {
  double kwh = c.battery_mwh * 1e3;
  for (const auto& set : c.sets) {
    const json v = json::parse(set.substr(set.find('=') + 1), nullptr, false);
    if (v.is_object() && v.contains("energy_j")) kwh += v["energy_j"].get<double>() / 3.6e6 * rack_count;
  }
  return kwh;
}

// Every lever at full strength, then coarse-to-fine bisection of the strength of those that pass;
// every case run, in order.
std::vector<MitigationCase> search_levers(const Requirements& q, const ComplyRequest& req, const Scenario& sc, double peak_mw,
                                          const MitigationOptions& o) {
  std::vector<MitigationCase> tried;
  std::mutex mu;
  std::size_t done = 0;
  auto run_batch = [&](const std::vector<std::pair<std::string, double>>& batch) {
    std::vector<MitigationCase> res(batch.size());
    run_in_threads(batch.size(), std::max(1u, o.threads), [&](std::size_t i) {
      res[i] = run_case(q, req, batch[i].first, batch[i].second, lever_sets(batch[i].first, batch[i].second, sc, q, peak_mw));
      if (o.on_case) {
        std::lock_guard<std::mutex> lock(mu);
        o.on_case(++done);
      }
    });
    tried.insert(tried.end(), res.begin(), res.end());
    return res;
  };
  std::vector<std::pair<std::string, double>> batch;
  for (const auto& l : mitigation_levers()) batch.emplace_back(l, 1.0);
  const std::vector<MitigationCase> full = run_batch(batch);
  struct Bracket {
    std::string lever;
    double lo = 0, hi = 1;
  };
  std::vector<Bracket> open;
  for (const auto& c : full)
    if (c.pass) open.push_back({c.lever, 0, 1});
  const unsigned k = std::max(1u, o.threads);
  for (int round = 0; round < o.rounds && !open.empty(); ++round) {
    batch.clear();
    for (const auto& b : open)
      for (unsigned i = 1; i <= k; ++i) batch.emplace_back(b.lever, b.lo + (b.hi - b.lo) * i / (k + 1));
    const std::vector<MitigationCase> res = run_batch(batch);
    for (auto& b : open) {
      for (const auto& c : res)
        if (c.lever == b.lever && c.pass) b.hi = std::min(b.hi, c.strength);
      for (const auto& c : res)
        if (c.lever == b.lever && !c.pass && c.strength < b.hi) b.lo = std::max(b.lo, c.strength);
    }
  }
  return tried;
}

json opt_json(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

json search_mitigation(const Requirements& q, const ComplyRequest& req, const json& base_doc, const json& base_summary,
                       const MitigationOptions& o) {
  std::string reason;
  const Scenario sc = compliance_scenario(q, req, reason);
  const double peak_mw = opt_number(base_summary, "peak_facility_mw").value_or(0);
  MitigationCase base;
  base.lever = "none";
  base.pass = evaluated_pass(base_doc, base.failed);
  base.worst_margin = worst_relative_margin(base_doc["checks"], &base.worst_check);
  base.meter_energy_mwh = net_meter_mwh(base_doc, base_summary);
  base.goodput = opt_number(base_summary, "goodput");
  base.energy_cost_usd = opt_number(base_summary, "energy_cost_usd");

  json out;
  out["levers"] = mitigation_levers();
  const double year_factor = kHoursPerYear * 3600 / sc.duration_s;
  Pricing pr;
  const auto fe = opt_number(base_summary, "facility_energy_mwh");
  if (base.energy_cost_usd && fe && *fe > 0) {
    pr.usd_per_mwh = *base.energy_cost_usd / *fe;
    pr.tariff_source = "the mean price of the scenario's grid.price_carbon_file over the run";
  } else if (o.usd_per_mwh) {
    pr.usd_per_mwh = o.usd_per_mwh;
    pr.tariff_source = "--usd-per-mwh";
  }

  out["needed"] = !base.pass;
  const std::vector<MitigationCase> tried =
      base.pass ? std::vector<MitigationCase>{} : search_levers(q, req, sc, peak_mw, o);

  const double gpus = static_cast<double>(gpus_in_jobs(sc));
  const double racks = static_cast<double>(std::max<std::int64_t>(1, sc.total_racks()));
  std::vector<CaseCosts> costs;
  for (const auto& c : tried) costs.push_back(costs_of(c, base, year_factor, pr, o, gpus, racks));
  bool all_priced = true;
  for (std::size_t i = 0; i < tried.size(); ++i)
    if (tried[i].pass && !costs[i].total_usd) all_priced = false;
  std::optional<std::size_t> best;
  auto better = [&](std::size_t a, std::size_t b) {
    const double ga = costs[a].goodput_lost_h_y.value_or(0), gb = costs[b].goodput_lost_h_y.value_or(0);
    if (std::abs(ga - gb) > 1e-6 * std::max(1.0, std::abs(gb))) return ga < gb;
    if (all_priced) return *costs[a].total_usd < *costs[b].total_usd;
    // Unpriced: extra energy is the one cost every option has in the same unit; battery capital is
    // not priced (said in "ranking"), the smaller battery breaks a tie.
    if (costs[a].extra_mwh_y != costs[b].extra_mwh_y) return costs[a].extra_mwh_y < costs[b].extra_mwh_y;
    return battery_kwh(tried[a], racks) < battery_kwh(tried[b], racks);
  };
  for (std::size_t i = 0; i < tried.size(); ++i)
    if (tried[i].pass && (!best || better(i, *best))) best = i;

  // The best passing option of each lever, by the same rule: what the choice was made among.
  json alternatives = json::array();
  for (const auto& l : mitigation_levers()) {
    std::optional<std::size_t> b;
    for (std::size_t i = 0; i < tried.size(); ++i)
      if (tried[i].pass && tried[i].lever == l && (!b || better(i, *b))) b = i;
    if (b) alternatives.push_back(*b);
  }
  json frontier = json::array();
  for (std::size_t i = 0; i < tried.size(); ++i) {
    const auto& c = tried[i];
    frontier.push_back({{"lever", c.lever},
                        {"strength", c.strength},
                        {"sets", c.sets},
                        {"pass", c.pass},
                        {"worst_margin", opt_json(c.worst_margin)},
                        {"worst_check", c.worst_check.empty() ? json(nullptr) : json(c.worst_check)},
                        {"failed", c.failed},
                        {"extra_energy_mwh_per_year", costs[i].extra_mwh_y},
                        {"extra_energy_usd_per_year", opt_json(costs[i].extra_usd_y)},
                        {"battery_capital_usd", battery_kwh(c, racks) > 0 ? opt_json(costs[i].capital_usd) : json(nullptr)},
                        {"battery_kwh", battery_kwh(c, racks)},
                        {"goodput_lost_gpu_hours_per_year", opt_json(costs[i].goodput_lost_h_y)},
                        {"error", c.error.empty() ? json(nullptr) : json(c.error)}});
  }
  json alt = json::array();
  for (const json& i : alternatives) alt.push_back(frontier[i.get<std::size_t>()]);
  out["alternatives"] = alt;
  out["frontier"] = frontier;
  out["cases_run"] = tried.size();
  out["tariff_usd_per_mwh"] = opt_json(pr.usd_per_mwh);
  out["tariff_source"] = pr.tariff_source.empty() ? json(nullptr) : json(pr.tariff_source);
  out["ranking"] = all_priced && best ? "least goodput lost, then least money (energy over " + six_digits(o.horizon_years) + " years + battery capital)"
                                      : "least goodput lost, then least extra energy per year, then the smaller battery (battery capital not priced: give "
                                        "--battery-usd-per-kwh / --battery-usd-per-kw and a tariff to rank by money)";
  out["not_evaluated"] = base_doc.value("not_evaluated", json::array());
  if (!out["needed"].get<bool>()) {
    out["found"] = true;
    out["sets"] = json::array();
    out["description"] = "every evaluated check passes without mitigation";
    return out;
  }
  out["found"] = best.has_value();
  if (best) {
    const auto& c = tried[*best];
    const auto& k = costs[*best];
    out["lever"] = c.lever;
    out["sets"] = c.sets;
    out["worst_margin"] = opt_json(c.worst_margin);
    out["extra_energy_mwh_per_year"] = k.extra_mwh_y;
    out["extra_energy_usd_per_year"] = opt_json(k.extra_usd_y);
    out["battery_kwh"] = battery_kwh(c, racks);
    out["battery_capital_usd"] = battery_kwh(c, racks) > 0 ? opt_json(k.capital_usd) : json(nullptr);
    out["goodput_lost_gpu_hours_per_year"] = opt_json(k.goodput_lost_h_y);
    out["description"] = c.lever + " at strength " + six_digits(c.strength) + ": " + six_digits(k.extra_mwh_y) + " MWh/year extra energy" +
                         (battery_kwh(c, racks) > 0 ? ", " + six_digits(battery_kwh(c, racks)) + " kWh of battery" : std::string()) +
                         (k.goodput_lost_h_y && *k.goodput_lost_h_y > 0 ? ", " + six_digits(*k.goodput_lost_h_y) + " GPU-hours/year of goodput lost"
                                                                       : std::string());
    out["unmet"] = json::array();
  } else {
    // Which checks no option met, and the best each reached.
    json unmet = json::array();
    for (const auto& name : base.failed) {
      bool met = false;
      for (const auto& c : tried)
        if (c.error.empty() && std::find(c.failed.begin(), c.failed.end(), name) == c.failed.end()) met = true;
      unmet.push_back({{"check", name},
                       {"met_by_some_option", met},
                       {"why", met ? "met by some lever alone, but no option tried met every check at once"
                                   : "no option tried (every lever at full strength and the combination) brought it within its limit"}});
    }
    out["unmet"] = unmet;
    out["sets"] = json::array();
    out["description"] = "no option tried met every evaluated check";
  }
  return out;
}

}  // namespace dctwin
