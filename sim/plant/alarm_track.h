// An alarm as an interval: from the first to the last time its condition held, with its worst
// value. Shared by the cooling plant and the GPU junction temperatures.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace dctwin {

struct CoolingAlarm {
  std::string kind;   // "facility_water_above_class", "rack_inlet_above_class", "plant_capacity_exceeded",
                      // "gpu_junction_above_limit", "gpu_thermal_throttling", "gpu_thermal_runaway"
  std::string place;  // "facility water supply", "data halls (supply air)", "chiller plant", "job train cohort 2 (rack-type)"
  double limit = 0;   // °C or W
  double peak = 0;    // worst value in the interval
  double start_s = 0, end_s = 0;
};

// Intervals closer than merge_gap_s are one alarm: a condition that flips with every training step
// (compute on, communication off) reads as one alarm from its first to its last occurrence.
struct AlarmTrack {
  static constexpr double merge_gap_s = 60.0;
  CoolingAlarm a;
  bool open = false;
  void update(bool on, double value, double t0, double t1, std::vector<CoolingAlarm>& out) {
    if (!on) return;
    if (open && t0 - a.end_s <= merge_gap_s) {
      a.peak = std::max(a.peak, value);
      a.end_s = t1;
      return;
    }
    if (open) out.push_back(a);
    open = true;
    a.start_s = t0;
    a.peak = value;
    a.end_s = t1;
  }
  void close(std::vector<CoolingAlarm>& out) {
    if (open) out.push_back(a);
    open = false;
  }
};

// Checkpoints (sim/engine/checkpoint.h): one field list for CheckpointWriter and CheckpointReader.
template <class Ar, class Alarm>
void alarm_fields(Ar& a, Alarm& x) {
  a.io(x.kind);
  a.io(x.place);
  for (auto* v : {&x.limit, &x.peak, &x.start_s, &x.end_s}) a.io(*v);
}

template <class Ar, class Track>
void alarm_track_fields(Ar& a, Track& t) {
  alarm_fields(a, t.a);
  a.io(t.open);
}

template <class Ar, class List>
void alarm_list_fields(Ar& a, List& alarms) {
  auto n = static_cast<std::uint64_t>(alarms.size());
  a.io(n);
  if constexpr (Ar::kReading) {
    a.need_count(n, 48);
    alarms.assign(static_cast<std::size_t>(n), CoolingAlarm{});
  }
  for (auto& x : alarms) alarm_fields(a, x);
}

}  // namespace dctwin
