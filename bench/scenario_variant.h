// The benches' fixed workloads on shipped scenarios that now carry a cooling block (plant and GPU
// junction temperatures, 1-s thermal step): the power-and-dynamics benches time the scenario
// without it by default, as their recorded figures were taken, and with it on request (--cooling).
#pragma once
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/input/scenario_loader.h"

namespace bench {

// The scenario file with its "cooling" object removed unless `cooling`.
inline dctwin::Scenario load_variant(const std::string& path, const dctwin::LoadOptions& lo, bool cooling) {
  if (cooling) return dctwin::load_scenario_file(path, lo);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(text.str());
  doc.erase("cooling");
  const std::string dir = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/'));
  return dctwin::load_scenario_text(doc.dump(), path, dir, lo);
}

}  // namespace bench
