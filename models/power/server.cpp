#include "models/power/server.h"

#include <initializer_list>

namespace dctwin::power {

double ServerPower::total_w() const {
  return gpu_w + cpu_w + memory_w + nic_w + storage_w + other_w + fan_w;
}

ServerPower server_power(const ServerParams& s, double gpu_each_w, bool active) {
  const auto pick = [active](const ComponentPower& c) { return active ? c.active_w : c.idle_w; };
  ServerPower p;
  p.gpu_w = s.gpus * gpu_each_w;
  p.cpu_w = pick(s.cpu);
  p.memory_w = pick(s.memory);
  p.nic_w = pick(s.nic);
  p.storage_w = pick(s.storage);
  p.other_w = pick(s.other);
  p.fan_w = fan_power_w(s.fans, p.total_w());  // heat = every non-fan component (fan_w still 0)
  return p;
}

ServerPower server_power(const ServerParams& s, double gpu_each_w, bool active, double fan_heat_w) {
  ServerPower p = server_power(s, gpu_each_w, active);
  p.fan_w = fan_power_w(s.fans, fan_heat_w);
  return p;
}

double server_heat_w(const ServerParams& s, double gpu_each_w, double active_share) {
  double idle = 0, active = 0;
  for (const ComponentPower* c : {&s.cpu, &s.memory, &s.nic, &s.storage, &s.other}) idle += c->idle_w, active += c->active_w;
  return s.gpus * gpu_each_w + idle + active_share * (active - idle);
}

}  // namespace dctwin::power
