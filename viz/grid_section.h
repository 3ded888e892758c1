// The utility report's "Grid disturbances" section (viz/grid_section.cpp): the run's grid events
// (summary.json grid_events, grid_events.csv), the campus's ride-through map (ride_through.csv in
// the run folder, from `dctwin ride-through -o DIR`) with the ITIC envelope, and what is not
// modelled, in words where the run has none of it.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "viz/report_page.h"

namespace dctwin::viz {

// DIR/perc1.json (`dctwin ride-through -o DIR`, sim/studies/perc1_fit.h) as the report shows it:
// each parameter (null where the fit could not identify it), the fit error and the events fitted.
struct Perc1Report {
  std::vector<std::pair<std::string, std::optional<double>>> parameters;  // file order
  double fit_error_pct = 0;
  long long fitted_events = 0;
  bool dyr_written = false;
};

// Reads perc1.json's text; throws InputError (file, JSON path, expected, found) when malformed.
Perc1Report read_perc1_json(const std::string& text, const std::string& file);

// Throws InputError (file, line, expected, found) for a malformed grid_events.csv or ride_through.csv.
void grid_section(Doc& d, Ctx& x);

}  // namespace dctwin::viz
