#include "sim/input/scenario.h"

namespace dctwin {

double JobSpec::step_period_s() const {
  double t = 0;
  for (const auto& p : step) t += p.duration_s;
  return t;
}

std::int64_t Scenario::total_nodes() const {
  std::int64_t n = 0;
  for (const auto& h : halls)
    for (const auto& r : h.rows)
      for (const auto& s : r.racks) {
        std::int64_t per_rack = 0;
        for (const auto& ns : rack_types[s.rack_type].nodes) per_rack += ns.count;
        n += std::int64_t{h.count} * r.count * s.count * per_rack;
      }
  return n;
}

std::int64_t Scenario::total_gpus() const {
  std::int64_t n = 0;
  for (const auto& h : halls)
    for (const auto& r : h.rows)
      for (const auto& s : r.racks) {
        std::int64_t per_rack = 0;
        for (const auto& ns : rack_types[s.rack_type].nodes)
          per_rack += std::int64_t{ns.count} * node_types[ns.node_type].server.gpus;
        n += std::int64_t{h.count} * r.count * s.count * per_rack;
      }
  return n;
}

std::int64_t Scenario::total_racks() const {
  std::int64_t n = 0;
  for (const auto& h : halls)
    for (const auto& r : h.rows)
      for (const auto& s : r.racks) n += std::int64_t{h.count} * r.count * s.count;
  return n;
}

}  // namespace dctwin
