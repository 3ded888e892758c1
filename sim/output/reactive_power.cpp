#include "sim/output/reactive_power.h"

#include <algorithm>
#include <cmath>

#include "models/power/converter_power_factor.h"
#include "models/power/power_factor.h"
#include "models/power/transformer_reactive.h"

namespace dctwin {

double MeterPq::pf(std::size_t k) const {
  const double s = std::hypot(p_w[k], q_var[k]);
  return s > 0 ? std::abs(p_w[k]) / s : 1.0;
}

ReactiveElements reactive_elements(const Facility& f) {
  ReactiveElements e;
  const PowerGraph& g = f.graph();
  for (std::size_t v = 0; v < f.vertex_count(); ++v) {
    const Element& el = g[v];
    const double units = static_cast<double>(el.units());
    switch (el.stage) {
      case Stage::PowerShelf: e.front_end_rated_w += units * el.psu.rated_w; break;
      case Stage::NodePsu: {
        bool behind_shelf = false;  // a shelf is the AC front end; the node PSUs behind it are DC-DC
        for (auto [it, end] = boost::in_edges(v, g); it != end; ++it) behind_shelf |= g[boost::source(*it, g)].stage == Stage::PowerShelf;
        if (!behind_shelf) e.front_end_rated_w += units * el.psu.rated_w;
        break;
      }
      case Stage::Ups:
        e.ups_rated_w += units * el.ups.rated_w;
        if (el.ups.mode == power::UpsMode::Eco) e.ups_eco_rated_w += units * el.ups.rated_w;
        break;
      case Stage::Transformer: e.transformers.push_back({units, el.transformer.rated_kva}); break;
      default: break;
    }
  }
  return e;
}

double step_reactive_var(const ReactiveElements& e, const PowerRow& p) {
  const double p_it = p[kIt];
  const double x = e.front_end_rated_w > 0 ? std::max(0.0, p_it - p[kPsuLoss]) / e.front_end_rated_w : 0.0;
  const double q_it = p_it > 0 ? power::reactive_power_var(p_it, power::psu_power_factor(x)) : 0.0;
  const double p_ups = p_it + p[kBuswayLoss] + p[kUpsLoss];
  const double eco = e.ups_rated_w > 0 ? e.ups_eco_rated_w / e.ups_rated_w : 0.0;
  const double q_ups = (1 - eco) * power::reactive_power_var(std::max(0.0, p_ups), power::kUpsRectifierPowerFactor) + eco * q_it;
  double rated_va = 0;
  for (const auto& t : e.transformers) rated_va += t.units * t.rated_kva * 1e3;
  double q_tx = 0;
  if (rated_va > 0) {
    const double share = std::hypot(p_ups + p[kSwitchgearLoss], q_ups) / rated_va;  // S per VA of rating
    for (const auto& t : e.transformers) {
      const auto tp = power::transformer_reactive_default(t.rated_kva);
      q_tx += t.units * power::transformer_reactive_var(tp, share * t.rated_kva * 1e3);
    }
  }
  const double q_cool = p[kCooling] > 0 ? power::reactive_power_var(p[kCooling], power::kDrivePowerFactor) : 0.0;
  return q_ups + q_tx + q_cool;
}

MeterPq meter_pq(const ReactiveElements& e, const Recorder& rec, const std::vector<double>* meter_w) {
  MeterPq m;
  m.dt_s = to_seconds(rec.bin_width());
  m.p_w.reserve(rec.bin_count());
  m.q_var.reserve(rec.bin_count());
  for (std::size_t k = 0; k < rec.bin_count(); ++k) {
    PowerRow p{};
    for (int c = 0; c < kColumnCount; ++c) p[static_cast<std::size_t>(c)] = rec.bin_mean_w(k, c);
    if (!rec.has_cooling()) p[kCooling] = 0;
    m.p_w.push_back(meter_w && k < meter_w->size() ? (*meter_w)[k] : p[kUtility]);
    m.q_var.push_back(step_reactive_var(e, p));
  }
  return m;
}

PccVoltage pcc_voltage(const power::PccGrid& g, const MeterPq& m) {
  PccVoltage out;
  out.v_pu = power::pcc_voltage_pu(g, m.p_w, m.q_var);
  if (!out.v_pu.empty()) {
    const auto [lo, hi] = std::minmax_element(out.v_pu.begin(), out.v_pu.end());
    out.change_max_pct = (*hi - *lo) * 100;
  }
  return out;
}

power::PccGrid pcc_grid(const PccSpec& s) { return {s.nominal_kv * 1e3, s.short_circuit_mva * 1e6, s.x_over_r}; }

PccResult pcc_result(const PccSpec& spec, const MeterPq& m, int line_hz) {
  PccResult r;
  r.line_hz = line_hz;
  r.voltage = pcc_voltage(pcc_grid(spec), m);
  const std::size_t n = r.voltage.v_pu.size();
  if (n == 0) return r;
  std::vector<double> t(n + 1), v(n + 1);
  for (std::size_t k = 0; k < n; ++k) {
    t[k] = static_cast<double>(k) * m.dt_s;
    v[k] = r.voltage.v_pu[k];
  }
  t[n] = static_cast<double>(n) * m.dt_s;  // the last row ends the record
  v[n] = v[n - 1];
  r.flicker = power::flicker_of_rms_series(t, v, line_hz);
  return r;
}

void add_reactive_summary(json& s, const MeterPq& m, const std::optional<PccResult>& pcc) {
  double pf_min = 1, q_peak = 0;
  for (std::size_t k = 0; k < m.p_w.size(); ++k) {
    pf_min = std::min(pf_min, m.pf(k));
    q_peak = std::max(q_peak, m.q_var[k]);
  }
  s["power_factor_min"] = m.p_w.empty() ? json(nullptr) : json(pf_min);
  s["reactive_power_peak_mvar"] = m.p_w.empty() ? json(nullptr) : json(q_peak / 1e6);
  s["flicker_pst_max"] = nullptr;
  s["flicker_plt_max"] = nullptr;
  s["pcc_voltage_change_max_pct"] = nullptr;
  if (!pcc) return;
  if (!pcc->voltage.v_pu.empty()) s["pcc_voltage_change_max_pct"] = pcc->voltage.change_max_pct;
  if (!pcc->flicker.pst.empty()) s["flicker_pst_max"] = *std::max_element(pcc->flicker.pst.begin(), pcc->flicker.pst.end());
  if (!pcc->flicker.plt.empty()) s["flicker_plt_max"] = *std::max_element(pcc->flicker.plt.begin(), pcc->flicker.plt.end());
}

}  // namespace dctwin
