// libFuzzer harness: the scenario's "grid" object (events, equipment, pcc; sim/input/grid_spec.h;
// curtailments, sim/input/curtailment_spec.h, and the same text as a "flexibility" object): JSON
// parse, typed reads of every key, the time-order checks, and the reduced evaluation of the events
// that validated (and the PCC voltage of a fixed P, Q series). Seeds: corpus/grid/.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/json_input.h"
#include "sim/facility/grid_response.h"
#include "sim/input/curtailment_spec.h"
#include "sim/input/grid_spec.h"
#include "sim/output/reactive_power.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  dctwin::Problems problems;
  const dctwin::json doc = dctwin::parse_json(text, "<fuzz>", problems);
  if (!problems.empty()) return 0;
  dctwin::json root = dctwin::json::object();
  root["grid"] = doc;
  dctwin::JsonReader r(root, "$", problems, "<fuzz>");
  const auto g = dctwin::read_grid_spec(r, 3600);
  if (auto grid = r.optional_object("grid")) {
    (void)dctwin::read_curtailments(*grid, 3600);
    for (const char* k : dctwin::kGridKeys) grid->allow(k);
  }
  {
    dctwin::json froot = dctwin::json::object();
    froot["flexibility"] = doc;
    dctwin::Problems fp;
    dctwin::JsonReader fr(froot, "$", fp, "<fuzz>");
    (void)dctwin::read_flexibility(fr);
  }
  r.finish();
  if (!problems.empty() || !g || g->events.size() > 8) return 0;
  if (g->pcc) {
    const dctwin::MeterPq pq{1, {1e6, 2e6, 1.5e6}, {1e5, 3e5, 2e5}};
    (void)dctwin::pcc_voltage(dctwin::pcc_grid(*g->pcc), pq);
  }
  dctwin::GridLoads l;
  l.meter_w = 1e6;
  l.cooling_w = 1e5;
  l.ups_rated_w = 1.2e6;
  dctwin::GridResponseOptions o;
  o.keep_trace = false;
  o.end_s = 600;  // bounds the work of one input
  (void)dctwin::simulate_grid_events(g->events, g->equipment, l, o);
  return 0;
}
