// The scenario's price and carbon series: grid.price_carbon_file (CSV, models/grid/price_carbon.h;
// path relative to the scenario file) and grid.start_time (ISO 8601, the run's t = 0; needed when
// the file gives ISO times). Every problem of the file is one line "FILE: line N: expected ...,
// found ..." (exit 2).
#pragma once
#include <memory>
#include <string>

#include "core/json_reader.h"
#include "models/grid/price_carbon.h"

namespace dctwin {

inline constexpr std::size_t kMaxPriceCarbonBytes = 256u << 20;

// Reads the two keys from the scenario's "grid" object (allowing them there); nullptr when the
// object has no price_carbon_file. Problems go to the reader's list.
std::shared_ptr<const grid::PriceCarbonSeries> read_grid_price_carbon(JsonReader& grid, const std::string& base_dir);

// Reads and parses the CSV at `path`; problems (named with `path`) go to `problems`.
grid::PriceCarbonSeries load_price_carbon_file(const std::string& path, std::optional<double> start_epoch_s, Problems& problems);

}  // namespace dctwin
