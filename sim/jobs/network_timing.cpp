// SimGrid timing of training-step collectives as aggregated flows. The model, its assumptions and
// sources are in network_timing.h.
#include "sim/jobs/network_timing.h"

#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

namespace dctwin {
namespace sg = simgrid::s4u;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

[[noreturn]] void bad(const std::string& what) { throw std::invalid_argument(what); }

void validate_fabric(const FabricSpec& f, int nodes) {
  auto positive_int = [](const char* name, int v) {
    if (v < 1) bad(std::string("network fabric: ") + name + " must be >= 1, got " + std::to_string(v));
  };
  auto positive = [](const char* name, double v) {
    if (!(v > 0.0) || !std::isfinite(v))
      bad(std::string("network fabric: ") + name + " must be a finite number > 0, got " + std::to_string(v));
  };
  auto non_negative = [](const char* name, double v) {
    if (!(v >= 0.0) || !std::isfinite(v))
      bad(std::string("network fabric: ") + name + " must be a finite number >= 0, got " + std::to_string(v));
  };
  positive_int("nodes", nodes);
  positive_int("gpus_per_node", f.gpus_per_node);
  positive_int("gpus_per_nvlink_domain", f.gpus_per_nvlink_domain);
  positive_int("nics_per_node", f.nics_per_node);
  positive("nvlink_bw_bytes_s", f.nvlink_bw_bytes_s);
  positive("nic_bw_bytes_s", f.nic_bw_bytes_s);
  non_negative("nvlink_latency_s", f.nvlink_latency_s);
  non_negative("link_latency_s", f.link_latency_s);
  if (f.gpus_per_nvlink_domain < f.gpus_per_node || f.gpus_per_nvlink_domain % f.gpus_per_node != 0)
    bad("network fabric: gpus_per_nvlink_domain must be a multiple of gpus_per_node (" +
        std::to_string(f.gpus_per_node) + "), got " + std::to_string(f.gpus_per_nvlink_domain));
  if (f.switch_radix < 4 || f.switch_radix % 2 != 0)
    bad("network fabric: switch_radix must be an even number >= 4, got " + std::to_string(f.switch_radix));
  if (!(f.oversubscription >= 1.0) || !std::isfinite(f.oversubscription))
    bad("network fabric: oversubscription must be >= 1, got " + std::to_string(f.oversubscription));
}

// Volume factor (bytes per member / S) and dependent steps of a ring collective over n members.
struct RingCost {
  double volume = 0.0;
  int steps = 0;
};
RingCost ring_cost(Collective kind, int n) {
  if (n <= 1) return {};
  switch (kind) {
    case Collective::AllReduce: return {2.0 * (n - 1) / n, 2 * (n - 1)};
    case Collective::ReduceScatter:
    case Collective::AllGather: return {double(n - 1) / n, n - 1};
    case Collective::SendRecv: return {1.0, 1};
  }
  return {};
}

// One phase of a collective: a ring (or chain, for send-recv) over `members`, every edge one
// aggregated flow of flow_bytes.
struct Phase {
  bool nvlink = false;
  std::vector<int> members;  // GPU index in the domain (NVLink) or node index (fabric)
  bool wrap = true;          // ring (true) or chain (false)
  double flow_bytes = 0.0;
  int steps = 0;
  int repeat = 1;            // the NVLink all-gather of an all-reduce repeats the reduce-scatter
};

struct Plan {
  std::vector<Phase> phases;  // at most one NVLink and one fabric phase
};

int resolved_ranks_per_node(const FabricSpec& f, const CollectiveRequest& r) {
  return r.ranks_per_node > 0 ? r.ranks_per_node : std::min(r.group_size, f.gpus_per_node);
}

Plan plan_of(const FabricSpec& f, int nodes, const CollectiveRequest& r) {
  const std::string where = "collective request: ";
  if (r.group_size < 1) bad(where + "group_size must be >= 1, got " + std::to_string(r.group_size));
  if (!(r.bytes >= 0.0) || !std::isfinite(r.bytes))
    bad(where + "bytes must be a finite number >= 0, got " + std::to_string(r.bytes));
  if (r.stride_nodes < 1) bad(where + "stride_nodes must be >= 1, got " + std::to_string(r.stride_nodes));
  if (r.first_node < 0) bad(where + "first_node must be >= 0, got " + std::to_string(r.first_node));
  if (r.ranks_per_node < 0)
    bad(where + "ranks_per_node must be >= 0 (0 = packed), got " + std::to_string(r.ranks_per_node));
  Plan plan;
  if (r.group_size == 1) return plan;
  const bool chain = r.kind == Collective::SendRecv;

  auto nvlink_phase = [&](int members, double flow_bytes, int steps, int repeat) {
    Phase p;
    p.nvlink = true;
    for (int i = 0; i < members; ++i) p.members.push_back(i);
    p.wrap = !chain;
    p.flow_bytes = flow_bytes;
    p.steps = steps;
    p.repeat = repeat;
    plan.phases.push_back(std::move(p));
  };

  if (r.inside_nvlink_domain) {
    if (r.group_size > f.gpus_per_nvlink_domain)
      bad(where + "group_size " + std::to_string(r.group_size) + " does not fit in one NVLink domain of " +
          std::to_string(f.gpus_per_nvlink_domain) + " GPUs (inside_nvlink_domain is true)");
    const RingCost c = ring_cost(r.kind, r.group_size);
    nvlink_phase(r.group_size, c.volume * r.bytes, c.steps, 1);
    return plan;
  }

  const int rpn = resolved_ranks_per_node(f, r);
  if (rpn > f.gpus_per_node || f.gpus_per_node % rpn != 0)
    bad(where + "ranks_per_node must divide gpus_per_node (" + std::to_string(f.gpus_per_node) + "), got " +
        std::to_string(rpn));
  if (r.group_size % rpn != 0)
    bad(where + "group_size " + std::to_string(r.group_size) + " is not a multiple of ranks_per_node " +
        std::to_string(rpn));
  const int k = r.group_size / rpn;
  if (k == 1) {  // the whole group in one node, which is inside one NVLink domain
    const RingCost c = ring_cost(r.kind, rpn);
    nvlink_phase(rpn, c.volume * r.bytes, c.steps, 1);
    return plan;
  }
  const long long last = r.first_node + static_cast<long long>(k - 1) * r.stride_nodes;
  if (last >= nodes)
    bad(where + "the group's " + std::to_string(k) + " nodes (first " + std::to_string(r.first_node) +
        ", stride " + std::to_string(r.stride_nodes) + ") reach node " + std::to_string(last) +
        " but the fabric has " + std::to_string(nodes) + " nodes");

  // NVLink reduce-scatter (and all-gather) inside each node.
  if (!chain && rpn > 1) {
    const RingCost c = ring_cost(Collective::ReduceScatter, rpn);
    nvlink_phase(rpn, c.volume * r.bytes, c.steps, r.kind == Collective::AllReduce ? 2 : 1);
  }
  // Fabric ring across nodes, all rails aggregated: each node's flow carries its gpus_per_node
  // ranks (the group's rpn and their sibling groups'), each rank's shard S / rpn.
  Phase p;
  for (int j = 0; j < k; ++j) p.members.push_back(r.first_node + j * r.stride_nodes);
  p.wrap = !chain;
  const RingCost c = ring_cost(r.kind, k);
  const double per_rank = chain ? r.bytes : c.volume * r.bytes / rpn;
  p.flow_bytes = per_rank * f.gpus_per_node;
  p.steps = c.steps;
  plan.phases.push_back(std::move(p));
  return plan;
}

// ---- the process's one SimGrid session ------------------------------------------------------

struct Flow {
  sg::Host* src;
  sg::Host* dst;
  std::uint64_t bytes;
};

struct Session {
  std::unique_ptr<sg::Engine> engine;
  std::uint64_t owner = 0;  // CommTimer::Impl::id of the timer that used the platform last
  FabricSpec fabric;        // the platform loaded
  int nodes = 0;
  std::vector<sg::Host*> node_hosts;
  std::vector<sg::Host*> gpu_hosts;
};

std::mutex& session_mutex() {
  static std::mutex m;
  return m;
}
// Leaked on purpose: destroying an Engine during static destruction races SimGrid's own statics.
Session& session() {
  static Session* s = new Session;
  return *s;
}
std::atomic<std::uint64_t> next_timer_id{1};

void build_platform(Session& s, const FabricSpec& f, int nodes) {
  auto* root = sg::create_full_zone("dctwin");

  // One NVLink domain: GPUs around an NVSwitch.
  auto* nvl = sg::create_star_zone("nvlink_domain");
  nvl->set_parent(root);
  s.gpu_hosts.assign(f.gpus_per_nvlink_domain, nullptr);
  for (int g = 0; g < f.gpus_per_nvlink_domain; ++g) {
    auto* h = nvl->create_host("gpu" + std::to_string(g), 1e12);
    auto* l = nvl->create_split_duplex_link("nvlink" + std::to_string(g), f.nvlink_bw_bytes_s)
                  ->set_latency(f.nvlink_latency_s / 2.0);
    nvl->add_route(h->get_netpoint(), nullptr, nullptr, nullptr, {{l, sg::LinkInRoute::Direction::UP}}, true);
    s.gpu_hosts[g] = h;
  }
  nvl->seal();

  // The scale-out fabric, rails aggregated.
  const FatTreeShape shape = fat_tree_shape(f, nodes);
  s.node_hosts.assign(shape.leaves, nullptr);
  auto node_cb = [&s](sg::NetZone* zone, const std::vector<unsigned long>& /*coord*/, unsigned long id)
      -> std::pair<simgrid::kernel::routing::NetPoint*, simgrid::kernel::routing::NetPoint*> {
    auto* h = zone->create_host("node" + std::to_string(id), 1e12);
    if (id >= s.node_hosts.size()) s.node_hosts.resize(id + 1, nullptr);
    s.node_hosts[id] = h;
    return {h->get_netpoint(), nullptr};
  };
  sg::FatTreeParams params(shape.levels, shape.down, shape.up, shape.count);
  auto* fabric = sg::create_fatTree_zone("fabric", root, params, sg::ClusterCallbacks(node_cb),
                                         f.nics_per_node * f.nic_bw_bytes_s, f.link_latency_s,
                                         sg::Link::SharingPolicy::SPLITDUPLEX);
  fabric->seal();
  root->seal();
  for (int i = 0; i < nodes; ++i)
    if (s.node_hosts[i] == nullptr) throw std::logic_error("network timing: fat tree lacks node " + std::to_string(i));
}

double route_latency(sg::Host* a, sg::Host* b) {
  std::vector<sg::Link*> links;
  double latency = 0.0;
  a->route_to(b, links, &latency);
  return latency;
}

}  // namespace

// ---- public helpers ----------------------------------------------------------------------------

FatTreeShape fat_tree_shape(const FabricSpec& f, int nodes) {
  validate_fabric(f, nodes);
  const unsigned half = static_cast<unsigned>(f.switch_radix / 2);
  const unsigned up1 =
      std::max(1u, static_cast<unsigned>(std::lround(static_cast<double>(half) / f.oversubscription)));
  const unsigned leaves = (static_cast<unsigned>(nodes) + half - 1) / half;
  FatTreeShape s;
  if (static_cast<long long>(nodes) <= static_cast<long long>(half) * f.switch_radix) {
    s.levels = 2;
    s.down = {half, leaves};
    s.up = {1, up1};
    s.count = {1, 1};
    s.leaves = static_cast<int>(half * leaves);
  } else {
    const unsigned pods = (leaves + half - 1) / half;
    s.levels = 3;
    s.down = {half, half, pods};
    s.up = {1, up1, half};
    s.count = {1, 1, 1};
    s.leaves = static_cast<int>(half * half * pods);
  }
  s.oversubscription = static_cast<double>(half) / up1;
  return s;
}

double analytic_ring_allreduce_s(int n, double bytes, double bw_bytes_s, double latency_s) {
  if (n <= 1) return 0.0;
  return 2.0 * (n - 1) / n * bytes / bw_bytes_s + 2.0 * (n - 1) * latency_s;
}

// ---- CommTimer ---------------------------------------------------------------------------------

struct CommTimer::Impl {
  FabricSpec fabric;
  int nodes = 0;
  std::uint64_t id = 0;
  Stats stats;
  using RequestKey = std::array<std::int64_t, 7>;
  std::map<std::vector<RequestKey>, std::vector<double>> cache;
  // NVLink phase time (one occurrence, latency steps included) by (members, bytes, wrap, steps).
  std::map<std::array<std::int64_t, 4>, double> nvlink_cache;

  RequestKey key_of(const CollectiveRequest& r) const {
    return {static_cast<std::int64_t>(r.kind), r.group_size, std::bit_cast<std::int64_t>(r.bytes),
            r.inside_nvlink_domain ? 1 : 0,    r.stride_nodes, resolved_ranks_per_node(fabric, r),
            r.first_node};
  }

  // Loads this timer's platform into the process's SimGrid session (caller holds the mutex).
  Session& acquire() {
    Session& s = session();
    if (s.engine && (s.owner == id || (s.fabric == fabric && s.nodes == nodes))) {
      s.owner = id;  // the same platform: reuse it
      return s;
    }
    s.engine.reset();
    s.owner = 0;
    if (sg::Engine::has_instance())
      throw std::logic_error("network timing: another SimGrid Engine exists in this process; "
                             "CommTimer needs the process's only Engine");
    static bool quiet = false;
    if (!quiet) {
      xbt_log_control_set("root.thresh:critical");
      quiet = true;
    }
    const auto t0 = Clock::now();
    s.engine = std::make_unique<sg::Engine>("dctwin");
    sg::Engine::set_config("network/crosstraffic:0");
    sg::Engine::set_config("network/bandwidth-factor:1");
    sg::Engine::set_config("network/latency-factor:1");
    sg::Engine::set_config("network/TCP-gamma:0");
    sg::Engine::set_config("network/weight-S:0");
    try {
      build_platform(s, fabric, nodes);
    } catch (...) {
      s.engine.reset();
      throw;
    }
    s.owner = id;
    s.fabric = fabric;
    s.nodes = nodes;
    ++stats.platform_builds;
    stats.build_wall_s = seconds_since(t0);
    return s;
  }

  // One SimGrid run: every flow set starts at once (one actor each); returns per set the time
  // until its last flow ends, plus (steps - 1) times its largest route latency.
  std::vector<double> simulate(const std::vector<const Phase*>& phases) {
    Session& s = acquire();
    std::vector<std::vector<Flow>> sets(phases.size());
    std::vector<double> alpha(phases.size(), 0.0);
    int flows = 0;
    for (std::size_t i = 0; i < phases.size(); ++i) {
      const Phase& p = *phases[i];
      const auto& hosts = p.nvlink ? s.gpu_hosts : s.node_hosts;
      const int n = static_cast<int>(p.members.size());
      const auto bytes = static_cast<std::uint64_t>(std::llround(p.flow_bytes));
      for (int j = 0; j < n; ++j) {
        if (!p.wrap && j == n - 1) break;
        sg::Host* a = hosts[p.members[j]];
        sg::Host* b = hosts[p.members[(j + 1) % n]];
        sets[i].push_back({a, b, bytes});
        alpha[i] = std::max(alpha[i], route_latency(a, b));
      }
      flows += static_cast<int>(sets[i].size());
    }
    const double t0 = sg::Engine::get_clock();
    std::vector<double> done(phases.size(), 0.0);
    for (std::size_t i = 0; i < sets.size(); ++i) {
      if (sets[i].empty()) continue;
      sg::Actor::create("set" + std::to_string(i), sets[i].front().src, [&sets, &done, i, t0]() {
        std::vector<sg::CommPtr> comms;
        comms.reserve(sets[i].size());
        for (const Flow& fl : sets[i]) comms.push_back(sg::Comm::sendto_async(fl.src, fl.dst, fl.bytes));
        sg::Comm::wait_all(comms);
        done[i] = sg::Engine::get_clock() - t0;
      });
    }
    const auto w0 = Clock::now();
    s.engine->run();
    stats.run_wall_s += seconds_since(w0);
    ++stats.simgrid_runs;
    stats.flows_last += flows;
    for (std::size_t i = 0; i < phases.size(); ++i)
      if (phases[i]->steps > 1) done[i] += (phases[i]->steps - 1) * alpha[i];
    return done;
  }

  double nvlink_time(const Phase& p) {
    const std::array<std::int64_t, 4> key{static_cast<std::int64_t>(p.members.size()),
                                          std::bit_cast<std::int64_t>(p.flow_bytes), p.wrap ? 1 : 0, p.steps};
    auto it = nvlink_cache.find(key);
    if (it != nvlink_cache.end()) return it->second;
    const double t = simulate({&p}).front();
    nvlink_cache.emplace(key, t);
    return t;
  }

  std::vector<double> time(const std::vector<CollectiveRequest>& rs) {
    std::vector<RequestKey> key;
    key.reserve(rs.size());
    for (const auto& r : rs) key.push_back(key_of(r));
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;  // only valid requests enter the cache
    std::vector<Plan> plans;
    plans.reserve(rs.size());
    for (const auto& r : rs) plans.push_back(plan_of(fabric, nodes, r));  // validates every request

    std::lock_guard<std::mutex> lock(session_mutex());
    stats.run_wall_s = 0.0;
    stats.flows_last = 0;
    std::vector<double> t(rs.size(), 0.0);
    // NVLink phases: each group in its own domain, so timed alone (and cached by shape).
    for (std::size_t i = 0; i < plans.size(); ++i)
      for (const Phase& p : plans[i].phases)
        if (p.nvlink) t[i] += p.repeat * nvlink_time(p);
    // Fabric phases: all groups at once, contending.
    std::vector<const Phase*> fabric_phases;
    std::vector<std::size_t> owner;
    for (std::size_t i = 0; i < plans.size(); ++i)
      for (const Phase& p : plans[i].phases)
        if (!p.nvlink) {
          fabric_phases.push_back(&p);
          owner.push_back(i);
        }
    if (!fabric_phases.empty()) {
      const std::vector<double> ft = simulate(fabric_phases);
      for (std::size_t j = 0; j < ft.size(); ++j) t[owner[j]] += fabric_phases[j]->repeat * ft[j];
    }
    cache.emplace(std::move(key), t);
    return t;
  }
};

CommTimer::CommTimer(FabricSpec fabric, int nodes) : impl_(std::make_unique<Impl>()) {
  validate_fabric(fabric, nodes);
  impl_->fabric = fabric;
  impl_->nodes = nodes;
  impl_->id = next_timer_id.fetch_add(1);
}

CommTimer::~CommTimer() {
  if (!impl_) return;
  std::lock_guard<std::mutex> lock(session_mutex());
  Session& s = session();
  if (s.owner == impl_->id) {
    s.engine.reset();
    s.owner = 0;
    s.node_hosts.clear();
    s.gpu_hosts.clear();
  }
}

CommTimer::CommTimer(CommTimer&&) noexcept = default;
CommTimer& CommTimer::operator=(CommTimer&& other) noexcept {
  if (this != &other) {
    CommTimer gone(std::move(*this));  // releases this timer's session, if it holds it
    impl_ = std::move(other.impl_);
  }
  return *this;
}

double CommTimer::time_s(const CollectiveRequest& r) { return impl_->time({r}).front(); }

std::vector<double> CommTimer::time_concurrent_s(const std::vector<CollectiveRequest>& rs) {
  return impl_->time(rs);
}

const CommTimer::Stats& CommTimer::stats() const { return impl_->stats; }
const FabricSpec& CommTimer::fabric() const { return impl_->fabric; }
int CommTimer::nodes() const { return impl_->nodes; }

}  // namespace dctwin
