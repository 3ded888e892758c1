// The utility report's "Grid disturbances" section (viz/grid_section.cpp): the run's grid events
// (summary.json grid_events, grid_events.csv), the campus's ride-through map (ride_through.csv in
// the run folder, from `dctwin ride-through -o DIR`) with the ITIC envelope, and what is not
// modelled, in words where the run has none of it.
#pragma once
#include "viz/report_page.h"

namespace dctwin::viz {

// Throws InputError (file, line, expected, found) for a malformed grid_events.csv or ride_through.csv.
void grid_section(Doc& d, Ctx& x);

}  // namespace dctwin::viz
