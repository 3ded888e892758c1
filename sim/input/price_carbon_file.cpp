#include "sim/input/price_carbon_file.h"

#include <filesystem>

#include "core/json_input.h"

namespace dctwin {

grid::PriceCarbonSeries load_price_carbon_file(const std::string& path, std::optional<double> start_epoch_s, Problems& problems) {
  const std::size_t before = problems.size();
  const std::string text = read_text_file(path, problems, kMaxPriceCarbonBytes);
  if (problems.size() != before) return {};
  text::ParseIssues issues;
  auto series = grid::parse_price_carbon(text, start_epoch_s, issues);
  for (const auto& is : issues) problems.add(path, is.line == 0 ? std::string("file") : "line " + std::to_string(is.line), is.expected, is.found);
  return series;
}

std::shared_ptr<const grid::PriceCarbonSeries> read_grid_price_carbon(JsonReader& grid, const std::string& base_dir) {
  std::optional<double> start;
  if (const auto st = grid.optional_string("start_time")) {
    start = grid::parse_iso_time(*st);
    if (!start) grid.problem("start_time", "an ISO 8601 time YYYY-MM-DDThh:mm[:ss][Z|±hh:mm] (the run's t = 0)", "\"" + *st + "\"");
  }
  const auto rel = grid.optional_string("price_carbon_file");
  if (!rel) return nullptr;
  std::filesystem::path p(*rel);
  if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
  const std::size_t before = grid.problems().size();
  auto series = load_price_carbon_file(p.string(), start, grid.problems());
  if (grid.problems().size() != before) return nullptr;
  return std::make_shared<const grid::PriceCarbonSeries>(std::move(series));
}

}  // namespace dctwin
