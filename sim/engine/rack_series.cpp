#include "sim/engine/rack_series.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

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
  group_of_.assign(facility.vertex_count(), -1);
  for (std::size_t i = 0; i < racks_.size(); ++i) group_of_[racks_[i]] = static_cast<int>(i);
  held_w_.assign(racks_.size(), std::numeric_limits<double>::quiet_NaN());
  since_.assign(racks_.size(), 0);
}

// Group i at w over [a, b), into every interval it touches (as add()).
void RackSeries::put(std::size_t i, SimTime a, SimTime b, double w) {
  const std::size_t g = racks_.size();
  for (std::size_t k = static_cast<std::size_t>(a / step_); a < b && k < intervals_; ++k) {
    const SimTime e = std::min(b, static_cast<SimTime>(k + 1) * step_);
    Cell& c = cells_[k * g + i];
    c.min_w = std::min(c.min_w, w);
    c.max_w = std::max(c.max_w, w);
    c.energy_j += w * to_seconds(e - a);
    a = e;
  }
}

void RackSeries::hold(SimTime t, const std::vector<double>& unit_load_w, const std::vector<Vertex>* changed) {
  auto one = [&](std::size_t i) {
    const double w = unit_load_w[racks_[i]];
    if (w == held_w_[i]) return;  // (NaN: the first hold)
    if (!std::isnan(held_w_[i]) && since_[i] < t) put(i, since_[i], t, held_w_[i]);
    held_w_[i] = w;
    since_[i] = t;
  };
  if (!changed) {
    for (std::size_t i = 0; i < racks_.size(); ++i) one(i);
    return;
  }
  for (const Vertex v : *changed)
    if (const int i = group_of_[v]; i >= 0) one(static_cast<std::size_t>(i));
}

void RackSeries::flush(SimTime t) {
  for (std::size_t i = 0; i < racks_.size(); ++i)
    if (!std::isnan(held_w_[i]) && since_[i] < t) {
      put(i, since_[i], t, held_w_[i]);
      since_[i] = t;
    }
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
  flush(std::min(end, duration_));
  if (end >= duration_) return;
  duration_ = std::max<SimTime>(end, 1);
  intervals_ = static_cast<std::size_t>((duration_ + step_ - 1) / step_);
  cells_.resize(intervals_ * racks_.size());
}

}  // namespace dctwin
