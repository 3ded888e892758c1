#include "sim/engine/recorder.h"

#include <algorithm>

namespace dctwin {

const char* column_name(int c) {
  static const char* names[kColumnCount] = {"facility_mw", "it_mw", "gpu_mw", "psu_loss_mw",
                                            "busway_loss_mw", "ups_loss_mw", "switchgear_loss_mw",
                                            "transformer_loss_mw", "cooling_mw"};
  return names[c];
}

PowerRow to_row(const FacilityPower& p) {
  PowerRow r{};
  r[kUtility] = p.utility_w;
  r[kIt] = p.it_w;
  r[kGpu] = p.it.gpu_w;
  r[kPsuLoss] = p.it.psu_loss_w;
  r[kBuswayLoss] = p.loss_w[0];
  r[kUpsLoss] = p.loss_w[1];
  r[kSwitchgearLoss] = p.loss_w[2];
  r[kTransformerLoss] = p.loss_w[3];
  return r;
}

Recorder::Recorder(SimTime duration, SimTime bin_width) : duration_(duration), bin_(bin_width) {
  const std::size_t n = static_cast<std::size_t>((duration + bin_width - 1) / bin_width);
  bins_.assign(n, PowerRow{});
  peak_w_.fill(-1.0);
}

void Recorder::merge_cooling(const Recorder& cooling) {
  for (std::size_t k = 0; k < bins_.size() && k < cooling.bins_.size(); ++k) {
    bins_[k][kCooling] += cooling.bins_[k][kCooling];
    bins_[k][kUtility] += cooling.bins_[k][kCooling];
  }
  energy_j_[kCooling] += cooling.energy_j_[kCooling];
  energy_j_[kUtility] += cooling.energy_j_[kCooling];
  for (int c : {kCooling, kUtility})
    if (cooling.peak_w_[static_cast<std::size_t>(c)] >= peak_w_[static_cast<std::size_t>(c)]) {
      peak_w_[static_cast<std::size_t>(c)] = cooling.peak_w_[static_cast<std::size_t>(c)];
      peak_t_[static_cast<std::size_t>(c)] = cooling.peak_t_[static_cast<std::size_t>(c)];
    }
  utility_levels_ = cooling.utility_levels_;
  has_cooling_ = true;
}

SimTime Recorder::bin_length(std::size_t k) const {
  return std::min(bin_start(k) + bin_, duration_) - bin_start(k);
}

double Recorder::bin_mean_w(std::size_t k, int column) const {
  return bins_[k][static_cast<std::size_t>(column)] / to_seconds(bin_length(k));
}

void Recorder::add(SimTime t0, SimTime t1, const PowerRow& p, const ItBreakdown& it) {
  if (t1 <= t0) return;
  const double dt = to_seconds(t1 - t0);
  for (int c = 0; c < kColumnCount; ++c) {
    energy_j_[static_cast<std::size_t>(c)] += p[static_cast<std::size_t>(c)] * dt;
    if (p[static_cast<std::size_t>(c)] > peak_w_[static_cast<std::size_t>(c)]) {
      peak_w_[static_cast<std::size_t>(c)] = p[static_cast<std::size_t>(c)];
      peak_t_[static_cast<std::size_t>(c)] = t0;
    }
  }
  utility_levels_.add(p[kUtility], dt);
  it_energy_j_.gpu_w += it.gpu_w * dt;
  it_energy_j_.cpu_w += it.cpu_w * dt;
  it_energy_j_.memory_w += it.memory_w * dt;
  it_energy_j_.nic_w += it.nic_w * dt;
  it_energy_j_.storage_w += it.storage_w * dt;
  it_energy_j_.other_w += it.other_w * dt;
  it_energy_j_.fan_w += it.fan_w * dt;
  it_energy_j_.rack_equipment_w += it.rack_equipment_w * dt;
  it_energy_j_.psu_loss_w += it.psu_loss_w * dt;
  it_energy_j_.rack_storage_w += it.rack_storage_w * dt;
  // Spread over the bins the interval touches.
  std::size_t k = static_cast<std::size_t>(t0 / bin_);
  for (SimTime a = t0; a < t1 && k < bins_.size(); ++k) {
    const SimTime b = std::min(t1, bin_start(k) + bin_);
    const double w = to_seconds(b - a);
    for (int c = 0; c < kColumnCount; ++c) bins_[k][static_cast<std::size_t>(c)] += p[static_cast<std::size_t>(c)] * w;
    a = b;
  }
}

void Recorder::save(CheckpointWriter& w) const {
  w.put_vector(bins_);
  w.put(energy_j_);
  w.put(it_energy_j_);
  w.put(peak_w_);
  w.put(peak_t_);
  utility_levels_.save(w);
  w.put(has_cooling_);
}

void Recorder::load(CheckpointReader& r) {
  r.get_vector_sized(bins_, bins_.size());
  r.get(energy_j_);
  r.get(it_energy_j_);
  r.get(peak_w_);
  r.get(peak_t_);
  utility_levels_.load(r);
  r.get(has_cooling_);
}

void Recorder::truncate(SimTime end) {
  if (end >= duration_) return;
  duration_ = std::max<SimTime>(end, 1);
  bins_.resize(static_cast<std::size_t>((duration_ + bin_ - 1) / bin_));
}

}  // namespace dctwin
