// Cooling series over time (cooling.csv): the plant's temperatures, water use, PUE and WUE per
// interval, beside timeseries.csv. What facility engineers trend on a BMS, at the simulation's
// thermal resolution.
//
// Interval width W = the output resolution (simulation.output_step_s) times the smallest whole
// number that makes it at least the thermal step (simulation.thermal_step_s): temperatures change
// only once per thermal step, so finer intervals would repeat values, and W stays a whole number
// of timeseries.csv rows, so an interval's PUE is the ratio of energies over exactly those rows.
//
// Per interval (each thermal step [t0, t1) is spread over the intervals it touches, by time):
//   pue                   sum(meter energy) / sum(IT energy) over the interval's timeseries rows
//                         (meter = IT + distribution losses + cooling); empty when IT energy is 0
//   wue_l_per_kwh         water consumed (L) / IT energy (kWh); empty when IT energy is 0
//   water_l               make-up water of the towers (evaporation + drift + blowdown), L
//   local_time            with an EPW weather file only: the interval start's wall-clock local
//                         time from the EPW's calendar, "--MM-DDThh:mm:ss" (after t_s)
//   outdoor_dry_bulb_c,   time-weighted means of the weather the plant saw (sampled each
//   outdoor_wet_bulb_c    simulated minute, as the plant uses it)
//   facility_supply_max_c, facility_return_max_c     highest facility water temperatures
//   tcs_supply_max_c      highest technology cooling loop supply (only with CDUs)
//   rack_inlet_max_c      highest rack inlet air (only with an air side)
//   junction_max_c        highest GPU junction temperature of any cohort (only with
//                         cooling.gpu_thermal)
//   throttled_gpus        time-weighted mean number of GPUs with the thermal throttle engaged
//                         while their job ran (only with cooling.gpu_thermal)
//   free_cooling_full_s, free_cooling_partial_s, chiller_on_s   seconds of the interval in each
//                         economizer mode and with chillers running (while there was heat)
//   tower_fans_on_s, dry_cooler_fans_on_s   seconds with cooling-tower / dry-cooler fans running
//                         (only when the plant has them)
//   chillers_running      time-weighted mean number of chillers running
// An interval the run did not reach (a partial run) is not written. Sums over the file equal the
// summary's totals (water_m3, free_cooling_hours, chiller_hours); maxima equal its maxima.
#pragma once
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "sim/engine/checkpoint.h"
#include "sim/engine/engine.h"
#include "sim/engine/recorder.h"
#include "sim/input/cooling_spec.h"

namespace dctwin {

// What the cooling plant (and the GPU junction model) did over one thermal step. NaN where a
// quantity is not modelled in the run (no CDU, no air side, no cooling.gpu_thermal).
struct CoolingStep {
  double outdoor_dry_bulb_c = 0, outdoor_wet_bulb_c = 0;
  double facility_water_supply_c = 0, facility_water_return_max_c = 0;
  double tcs_supply_c = std::numeric_limits<double>::quiet_NaN();
  double rack_inlet_c = std::numeric_limits<double>::quiet_NaN();
  double junction_max_c = std::numeric_limits<double>::quiet_NaN();
  double throttled_gpus = 0;  // with cooling.gpu_thermal
  double water_kg = 0;  // over the step
  double free_full_s = 0, free_partial_s = 0, chiller_on_s = 0, tower_fans_on_s = 0, dry_cooler_fans_on_s = 0;
  int chillers_running = 0;
};

// Which optional columns a run has.
struct CoolingSeriesColumns {
  bool tcs = false, rack_inlet = false, junction = false, towers = false, dry_coolers = false;
};

class CoolingSeries : public ContinuousProcess {
 public:
  // `sample()` returns what the plant did over the step just advanced (the processes before this
  // one in EngineOptions::processes have already advanced it).
  CoolingSeries(SimTime duration, SimTime output_step, SimTime thermal_step, CoolingSeriesColumns columns,
                std::function<CoolingStep()> sample);
  void advance(SimTime t0, SimTime t1, const ProcessInput& in) override;
  void add(SimTime t0, SimTime t1, const CoolingStep& s);  // (advance with a given sample; tests)
  void save(CheckpointWriter& w) const override { w.put_vector(bins_); }
  void load(CheckpointReader& r) override { r.get_vector_sized(bins_, bins_.size()); }
  // At the end of the run: drops the intervals past `simulated_to` (a partial run) and the
  // sampler (the plant it reads goes away).
  void close(SimTime simulated_to);

  SimTime interval() const { return width_; }
  std::size_t rows_per_interval() const { return per_; }  // timeseries.csv rows in one interval
  std::size_t intervals() const { return bins_.size(); }
  const CoolingSeriesColumns& columns() const { return cols_; }
  // cooling.csv; `rec` is the run's recorder (cooling merged) for PUE and WUE. `clock` (optional,
  // an EPW weather): a local_time column after t_s (WeatherSpec::local_time of the interval start).
  std::string csv(const Recorder& rec, const WeatherSpec* clock = nullptr) const;

  struct Bin {
    double seconds = 0;  // time covered
    double db_s = 0, wb_s = 0, chillers_s = 0;  // integrals over time
    double water_kg = 0, free_full_s = 0, free_partial_s = 0, chiller_on_s = 0, tower_on_s = 0, dry_on_s = 0;
    // Highest temperatures (cooling.csv facility_supply_max_c, facility_return_max_c, ...).
    static constexpr double kNone = -std::numeric_limits<double>::infinity();
    double facility_water_supply_max_c = kNone, facility_water_return_max_c = kNone;
    double tcs_supply_max_c = kNone, rack_inlet_max_c = kNone, junction_max_c = kNone;
    double throttled_gpu_s = 0;
  };
  const std::vector<Bin>& bins() const { return bins_; }

 private:
  SimTime duration_, width_;
  std::size_t per_ = 1;
  CoolingSeriesColumns cols_;
  std::function<CoolingStep()> sample_;
  std::vector<Bin> bins_;
};

}  // namespace dctwin
