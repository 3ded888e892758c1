// `dctwin ride-through`: the campus's own ride-through map. One voltage sag per case, remaining
// voltage x duration (0 .. 0.9 p.u. linear, 1 ms .. 10 s logarithmic), each evaluated on the event
// window by the reduced evaluation of sim/facility/grid_response.h with the scenario's
// grid.equipment (defaults where absent), cases run in parallel (run_in_threads, sweep.h).
//
// The load is the campus with every job computing (Facility::evaluate with all cohorts in their
// compute phase): the meter power, and the UPS ratings and rack BBUs of the facility. The cooling
// plant's power is not part of it (the map's cooling_tripped is null): without a plant run its
// power at the event is not known.
#pragma once
#include <string>
#include <vector>

#include "sim/facility/grid_response.h"
#include "sim/input/scenario.h"

namespace dctwin {

struct RideThroughOptions {
  int depths = 10;       // remaining voltage 0, 0.9/(depths-1), ..., 0.9 p.u.
  int durations = 20;    // 1 ms .. 10 s, logarithmic
  unsigned threads = 1;
};

struct RideThroughPoint {
  double remaining_pu = 0, duration_s = 0;
  GridEventResult result;
};

struct RideThroughMap {
  GridLoads loads;
  std::vector<RideThroughPoint> points;  // depth slowest, then duration
};

// The voltage sag of one map point, starting at `at_s`.
GridEventSpec ride_through_sag(const RideThroughPoint& pt, double at_s);

// The load the map is drawn for (see above).
GridLoads campus_grid_loads(const Scenario& sc);

RideThroughMap ride_through_map(const Scenario& sc, const RideThroughOptions& o = {});

// remaining_pu, duration_s, load_before_mw, load_lost_mw, time_to_restore_s, it_power_lost,
// ups_energy_mwh, generator_energy_mwh, recharge_peak_mw, counter_tripped, cooling_tripped;
// empty cells for null.
std::string ride_through_csv(const RideThroughMap& m);

}  // namespace dctwin
