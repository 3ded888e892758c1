#include "sim/engine/rack_series.h"

#include <algorithm>
#include <cstdio>

namespace dctwin {

RackSeries::RackSeries(const Facility& facility, SimTime duration, SimTime step) : duration_(duration), step_(step) {
  for (std::size_t v = 0; v < facility.vertex_count(); ++v)
    if (facility.graph()[v].stage == Stage::Rack) {
      racks_.push_back(v);
      names_.push_back(facility.graph()[v].name);
      counts_.push_back(facility.graph()[v].multiplicity);
    }
  intervals_ = static_cast<std::size_t>((duration + step - 1) / step);
  cells_.assign(intervals_ * racks_.size(), Cell{});
}

void RackSeries::add(SimTime a, SimTime b, const std::vector<double>& unit_load_w) {
  const std::size_t g = racks_.size();
  for (std::size_t k = static_cast<std::size_t>(a / step_); a < b && k < intervals_; ++k) {
    const SimTime e = std::min(b, static_cast<SimTime>(k + 1) * step_);
    const double dt = to_seconds(e - a);
    Cell* row = &cells_[k * g];
    for (std::size_t i = 0; i < g; ++i) {
      const double w = unit_load_w[racks_[i]];
      row[i].min_w = std::min(row[i].min_w, w);
      row[i].max_w = std::max(row[i].max_w, w);
      row[i].energy_j += w * dt;
    }
    a = e;
  }
}

std::string RackSeries::csv() const {
  std::string out = "t_s,rack_group,racks,min_kw,mean_kw,max_kw\n";
  const std::size_t g = racks_.size();
  char buf[96];
  for (std::size_t k = 0; k < intervals_; ++k) {
    const SimTime t0 = static_cast<SimTime>(k) * step_;
    const double len = to_seconds(std::min(duration_, t0 + step_) - t0);
    for (std::size_t i = 0; i < g; ++i) {
      const Cell& c = cells_[k * g + i];
      std::snprintf(buf, sizeof buf, "%.3f,", to_seconds(t0));
      out += buf;
      // Names are made from scenario strings: quote them for CSV.
      std::string quoted = "\"";
      for (char ch : names_[i]) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      quoted += "\"";
      out += quoted;
      std::snprintf(buf, sizeof buf, ",%lld,%.4f,%.4f,%.4f\n", static_cast<long long>(counts_[i]), c.min_w / 1e3,
                    c.energy_j / len / 1e3, c.max_w / 1e3);
      out += buf;
    }
  }
  return out;
}

void RackSeries::truncate(SimTime end) {
  if (end >= duration_) return;
  duration_ = std::max<SimTime>(end, 1);
  intervals_ = static_cast<std::size_t>((duration_ + step_ - 1) / step_);
  cells_.resize(intervals_ * racks_.size());
}

}  // namespace dctwin
