#include "sim/plant/cooling_series.h"

#include <algorithm>
#include <cstdio>

#include "models/thermal/psychrometrics.h"

namespace dctwin {

CoolingSeries::CoolingSeries(SimTime duration, SimTime output_step, SimTime thermal_step, CoolingSeriesColumns columns,
                             std::function<CoolingStep()> sample)
    : duration_(duration), cols_(columns), sample_(std::move(sample)) {
  per_ = static_cast<std::size_t>(std::max<SimTime>(1, (thermal_step + output_step - 1) / output_step));
  width_ = output_step * static_cast<SimTime>(per_);
  bins_.resize(static_cast<std::size_t>((duration_ + width_ - 1) / width_));
}

void CoolingSeries::advance(SimTime t0, SimTime t1, const ProcessInput&) { add(t0, t1, sample_()); }

void CoolingSeries::add(SimTime t0, SimTime t1, const CoolingStep& s) {
  if (t1 <= t0) return;
  const double dt = to_seconds(t1 - t0);
  std::size_t k = static_cast<std::size_t>(t0 / width_);
  for (SimTime a = t0; a < t1 && k < bins_.size(); ++k) {
    const SimTime b = std::min(t1, static_cast<SimTime>(k + 1) * width_);
    const double w = to_seconds(b - a), f = w / dt;  // share of the step in this interval
    Bin& x = bins_[k];
    x.seconds += w;
    x.db_s += s.outdoor_dry_bulb_c * w;
    x.wb_s += s.outdoor_wet_bulb_c * w;
    x.chillers_s += s.chillers_running * w;
    x.water_kg += s.water_kg * f;
    x.free_full_s += s.free_full_s * f;
    x.free_partial_s += s.free_partial_s * f;
    x.chiller_on_s += s.chiller_on_s * f;
    x.throttled_gpu_s += s.throttled_gpus * w;
    x.tower_on_s += s.tower_fans_on_s * f;
    x.dry_on_s += s.dry_cooler_fans_on_s * f;
    x.facility_water_supply_max_c = std::max(x.facility_water_supply_max_c, s.facility_water_supply_c);
    x.facility_water_return_max_c = std::max(x.facility_water_return_max_c, s.facility_water_return_max_c);
    if (!std::isnan(s.tcs_supply_c)) x.tcs_supply_max_c = std::max(x.tcs_supply_max_c, s.tcs_supply_c);
    if (!std::isnan(s.rack_inlet_c)) x.rack_inlet_max_c = std::max(x.rack_inlet_max_c, s.rack_inlet_c);
    if (!std::isnan(s.junction_max_c)) x.junction_max_c = std::max(x.junction_max_c, s.junction_max_c);
    a = b;
  }
}

void CoolingSeries::close(SimTime end) {
  sample_ = nullptr;
  if (end >= duration_) return;
  duration_ = std::max<SimTime>(end, 1);
  bins_.resize(static_cast<std::size_t>((duration_ + width_ - 1) / width_));
}

std::string CoolingSeries::csv(const Recorder& rec, const WeatherSpec* clock) const {
  std::string out = clock ? "t_s,local_time," : "t_s,";
  out +=
      "pue,wue_l_per_kwh,water_l,outdoor_dry_bulb_c,outdoor_wet_bulb_c,facility_supply_max_c,facility_return_max_c";
  if (cols_.tcs) out += ",tcs_supply_max_c";
  if (cols_.rack_inlet) out += ",rack_inlet_max_c";
  if (cols_.junction) out += ",junction_max_c,throttled_gpus";
  out += ",free_cooling_full_s,free_cooling_partial_s,chiller_on_s";
  if (cols_.towers) out += ",tower_fans_on_s";
  if (cols_.dry_coolers) out += ",dry_cooler_fans_on_s";
  out += ",chillers_running\n";
  out.reserve(out.size() + bins_.size() * 160);
  char buf[64];
  auto put = [&](const char* f, double v) {
    std::snprintf(buf, sizeof buf, f, v);
    out += buf;
  };
  auto temp = [&](double v) {
    if (std::isfinite(v)) put(",%.4f", v);
    else out += ",";
  };
  constexpr double kWaterKgPerL = thermal::kRhoWaterKgM3 / 1000.0;
  for (std::size_t k = 0; k < bins_.size(); ++k) {
    const Bin& x = bins_[k];
    if (!(x.seconds > 0)) continue;  // not reached (a partial run)
    double meter_j = 0, it_j = 0;
    for (std::size_t r = k * per_; r < std::min((k + 1) * per_, rec.bin_count()); ++r) {
      const double len = to_seconds(rec.bin_length(r));
      meter_j += rec.bin_mean_w(r, kUtility) * len;
      it_j += rec.bin_mean_w(r, kIt) * len;
    }
    const double water_l = x.water_kg / kWaterKgPerL;
    put("%.3f", to_seconds(static_cast<SimTime>(k) * width_));
    if (clock) out += "," + clock->local_time(to_seconds(static_cast<SimTime>(k) * width_));
    if (it_j > 0) {
      put(",%.6f", meter_j / it_j);
      put(",%.6f", water_l / (it_j / 3.6e6));
    } else {
      out += ",,";
    }
    put(",%.9g", water_l);
    put(",%.4f", x.db_s / x.seconds);
    put(",%.4f", x.wb_s / x.seconds);
    temp(x.facility_water_supply_max_c);
    temp(x.facility_water_return_max_c);
    if (cols_.tcs) temp(x.tcs_supply_max_c);
    if (cols_.rack_inlet) temp(x.rack_inlet_max_c);
    if (cols_.junction) {
      temp(x.junction_max_c);
      put(",%.6f", x.throttled_gpu_s / x.seconds);
    }
    put(",%.6f", x.free_full_s);
    put(",%.6f", x.free_partial_s);
    put(",%.6f", x.chiller_on_s);
    if (cols_.towers) put(",%.6f", x.tower_on_s);
    if (cols_.dry_coolers) put(",%.6f", x.dry_on_s);
    put(",%.6f", x.chillers_s / x.seconds);
    out += "\n";
  }
  return out;
}

}  // namespace dctwin
