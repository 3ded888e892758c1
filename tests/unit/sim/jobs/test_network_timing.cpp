// Network timing with SimGrid: aggregated-flow ring collectives against the analytic alpha-beta
// formulas, contention, the per-shape cache, hierarchical bounds, and several SimGrid platforms
// in one process (the Engine singleton).
#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "sim/jobs/network_timing.h"

using dctwin::analytic_ring_allreduce_s;
using dctwin::Collective;
using dctwin::CollectiveRequest;
using dctwin::CommTimer;
using dctwin::FabricSpec;

namespace {
CollectiveRequest allreduce(int group, double bytes) {
  CollectiveRequest r;
  r.kind = Collective::AllReduce;
  r.group_size = group;
  r.bytes = bytes;
  return r;
}
}  // namespace

TEST_CASE("network timing: the analytic ring all-reduce formula") {
  CHECK(analytic_ring_allreduce_s(1, 1e9, 1e9, 1e-6) == 0.0);
  // 2(N-1)/N * S/B + 2(N-1) * alpha
  CHECK(analytic_ring_allreduce_s(4, 1e9, 1e9, 1e-6) == doctest::Approx(1.5 + 6e-6));
}

TEST_CASE("network timing: fat tree sizing from the node count") {
  FabricSpec f;  // radix 64: 32 nodes per leaf, two levels up to 2048 nodes
  auto s = dctwin::fat_tree_shape(f, 512);
  CHECK(s.levels == 2);
  CHECK(s.leaves == 512);
  CHECK(s.oversubscription == 1.0);
  s = dctwin::fat_tree_shape(f, 12500);
  CHECK(s.levels == 3);
  CHECK(s.leaves >= 12500);
  f.oversubscription = 3.0;  // 32 down, round(32/3) = 11 up
  CHECK(dctwin::fat_tree_shape(f, 100).oversubscription == doctest::Approx(32.0 / 11.0));
}

TEST_CASE("network timing: ring all-reduce on an uncontended fat tree matches the analytic formula") {
  const FabricSpec f;  // DGX H100 on 400 Gb/s rails
  CommTimer timer(f, 64);
  // One rank per node: each rank has its rail, nics_per_node / gpus_per_node NICs.
  const double per_rank_bw = f.nic_bw_bytes_s * f.nics_per_node / f.gpus_per_node;
  for (int n : {4, 16, 64}) {
    // The ring stays under one leaf switch (2 hops) up to 32 nodes, else leaf-spine-leaf (4).
    const double alpha = (n <= 32 ? 2 : 4) * f.link_latency_s;
    for (double bytes : {1e6, 1e9}) {
      CAPTURE(n);
      CAPTURE(bytes);
      CollectiveRequest r = allreduce(n, bytes);
      r.ranks_per_node = 1;
      const double sim = timer.time_s(r);
      const double ref = analytic_ring_allreduce_s(n, bytes, per_rank_bw, alpha);
      CHECK(sim == doctest::Approx(ref).epsilon(0.05));
      CHECK(sim == doctest::Approx(ref).epsilon(1e-6));  // exact to rounding, uncontended
    }
  }
  // One GPU and one NIC per node: the node link is the rank's bandwidth.
  FabricSpec single;
  single.gpus_per_node = single.gpus_per_nvlink_domain = single.nics_per_node = 1;
  CommTimer t1(single, 16);
  CHECK(t1.time_s(allreduce(16, 1e9)) ==
        doctest::Approx(analytic_ring_allreduce_s(16, 1e9, single.nic_bw_bytes_s, 2 * single.link_latency_s)));
}

TEST_CASE("network timing: NVLink-domain all-reduce matches the analytic formula") {
  const FabricSpec f;
  CommTimer timer(f, 1);
  for (double bytes : {1e6, 1e9}) {
    CollectiveRequest r = allreduce(8, bytes);
    r.inside_nvlink_domain = true;
    CHECK(timer.time_s(r) ==
          doctest::Approx(analytic_ring_allreduce_s(8, bytes, f.nvlink_bw_bytes_s, f.nvlink_latency_s)).epsilon(1e-6));
  }
  // GB200 NVL72: 72 GPUs in one NVLink domain across 18 nodes of 4.
  FabricSpec nvl72;
  nvl72.gpus_per_node = 4;
  nvl72.gpus_per_nvlink_domain = 72;
  nvl72.nvlink_bw_bytes_s = 900e9;  // NVLink 5: 1.8 TB/s bidirectional
  nvl72.nics_per_node = 4;
  CommTimer t72(nvl72, 18);
  CollectiveRequest r = allreduce(72, 1e9);
  r.inside_nvlink_domain = true;
  CHECK(t72.time_s(r) == doctest::Approx(analytic_ring_allreduce_s(72, 1e9, 900e9, 1e-6)).epsilon(1e-6));
  r.group_size = 73;
  CHECK_THROWS_AS(t72.time_s(r), std::invalid_argument);
}

TEST_CASE("network timing: reduce-scatter, all-gather and send-recv volumes") {
  const FabricSpec f;
  CommTimer timer(f, 1);
  CollectiveRequest r = allreduce(8, 1e9);
  r.inside_nvlink_domain = true;
  r.kind = Collective::ReduceScatter;
  const double rs = timer.time_s(r);
  CHECK(rs == doctest::Approx(7.0 / 8.0 * 1e9 / f.nvlink_bw_bytes_s + 7 * f.nvlink_latency_s).epsilon(1e-6));
  r.kind = Collective::AllGather;
  CHECK(timer.time_s(r) == doctest::Approx(rs));
  r.kind = Collective::SendRecv;
  CHECK(timer.time_s(r) == doctest::Approx(1e9 / f.nvlink_bw_bytes_s + f.nvlink_latency_s).epsilon(1e-6));
}

TEST_CASE("network timing: two jobs sharing oversubscribed uplinks contend") {
  // Radix 8: leaves of 4 nodes; oversubscription 4 leaves each leaf one uplink. Both jobs put one
  // member in every leaf (stride 4), so every ring edge climbs through the same leaf uplinks.
  FabricSpec f;
  f.switch_radix = 8;
  f.oversubscription = 4.0;
  CommTimer timer(f, 32);
  CollectiveRequest a = allreduce(8, 1e9);
  a.ranks_per_node = 1;
  a.stride_nodes = 4;
  CollectiveRequest b = a;
  b.first_node = 1;
  const double alone = timer.time_s(a);
  const std::vector<double> both = timer.time_concurrent_s({a, b});
  REQUIRE(both.size() == 2);
  CHECK(both[0] > 1.5 * alone);
  CHECK(both[1] > 1.5 * alone);
  // Halving each job's share of the uplinks roughly doubles the bandwidth term.
  CHECK(both[0] == doctest::Approx(2 * alone).epsilon(0.1));

  // The same two jobs inside one leaf each (no shared link) do not slow each other.
  CollectiveRequest c = allreduce(4, 1e9);
  c.ranks_per_node = 1;
  CollectiveRequest d = c;
  d.first_node = 4;
  const double c_alone = timer.time_s(c);
  const std::vector<double> cd = timer.time_concurrent_s({c, d});
  CHECK(cd[0] == doctest::Approx(c_alone).epsilon(1e-6));
  CHECK(cd[1] == doctest::Approx(c_alone).epsilon(1e-6));
}

TEST_CASE("network timing: identical requests are served from the cache") {
  CommTimer timer(FabricSpec{}, 64);
  CollectiveRequest r = allreduce(256, 5e8);  // 8 GPUs x 32 nodes: NVLink + fabric phases
  const double first = timer.time_s(r);
  const int runs = timer.stats().simgrid_runs;
  CHECK(runs == 2);
  CHECK(timer.time_s(r) == first);
  CHECK(timer.stats().simgrid_runs == runs);
  CHECK(timer.stats().platform_builds == 1);
  // Another size re-runs SimGrid; the concurrent shape is cached too.
  r.bytes = 1e9;
  timer.time_s(r);
  CHECK(timer.stats().simgrid_runs > runs);
  const int before = timer.stats().simgrid_runs;
  CollectiveRequest other = r;
  other.first_node = 32;
  const auto c1 = timer.time_concurrent_s({r, other});
  const int after = timer.stats().simgrid_runs;
  CHECK(timer.time_concurrent_s({r, other}) == c1);
  CHECK(timer.stats().simgrid_runs == after);
  CHECK(after > before);
  CHECK(timer.stats().platform_builds == 1);
}

TEST_CASE("network timing: hierarchical all-reduce of 8 GPUs x 512 nodes lies between NVLink-only and fabric-only") {
  const FabricSpec f;
  CommTimer timer(f, 512);
  const double s = 1e9;
  const int gpus = 8 * 512;
  const double t = timer.time_s(allreduce(gpus, s));
  const double alpha_fabric = 4 * f.link_latency_s;  // leaf-spine-leaf
  // Lower bound: every byte at NVLink speed. Upper: a flat ring of all GPUs, each on its one NIC.
  const double nvlink_only = analytic_ring_allreduce_s(gpus, s, f.nvlink_bw_bytes_s, f.nvlink_latency_s);
  const double fabric_only = analytic_ring_allreduce_s(gpus, s, f.nic_bw_bytes_s, alpha_fabric);
  CHECK(t > nvlink_only);
  CHECK(t < fabric_only);
  // By hand: NVLink reduce-scatter + all-gather over 8, rail rings of S/8 over 512 nodes.
  const double by_hand = 2 * (7.0 / 8.0 * s / f.nvlink_bw_bytes_s + 7 * f.nvlink_latency_s) +
                         analytic_ring_allreduce_s(512, s / 8, f.nic_bw_bytes_s, alpha_fabric);
  CHECK(t == doctest::Approx(by_hand).epsilon(1e-3));
}

TEST_CASE("network timing: several fabrics in one process share the SimGrid Engine in turn") {
  FabricSpec small;
  small.switch_radix = 8;
  CommTimer a(FabricSpec{}, 64);
  CommTimer b(small, 32);
  CollectiveRequest r = allreduce(16, 1e9);
  r.ranks_per_node = 1;
  const double ta = a.time_s(r);
  const double tb = b.time_s(r);  // destroys a's Engine, builds b's platform
  CHECK(tb > ta);                 // radix 8: the 16-node ring crosses leaves (4 hops, not 2)
  r.bytes = 2e9;                  // a new shape on a: its platform is rebuilt
  const double ta2 = a.time_s(r);
  CHECK(a.stats().platform_builds == 2);
  CHECK(b.stats().platform_builds == 1);
  CommTimer fresh(FabricSpec{}, 64);
  // The same fabric: a's platform is reused, not rebuilt (the clock runs on, so equal to rounding).
  CHECK(fresh.time_s(r) == doctest::Approx(ta2).epsilon(1e-12));
  CHECK(fresh.stats().platform_builds == 0);
  CHECK(fresh.stats().simgrid_runs == 1);
  CommTimer moved = std::move(b);
  r.bytes = 1e9;
  CHECK(moved.time_s(r) == tb);  // from the cache
  r.bytes = 3e9;
  const double tb3 = moved.time_s(r);  // a third Engine in this process, b's platform again
  CHECK(moved.stats().platform_builds == 2);
  CHECK(tb3 > tb);
}

TEST_CASE("network timing: invalid fabrics and requests are refused with a reason") {
  FabricSpec f;
  f.nic_bw_bytes_s = 0;
  CHECK_THROWS_AS(CommTimer(f, 8), std::invalid_argument);
  CHECK_THROWS_AS(CommTimer(FabricSpec{}, 0), std::invalid_argument);
  CommTimer timer(FabricSpec{}, 8);
  CHECK_THROWS_AS(timer.time_s(allreduce(8 * 9, 1e9)), std::invalid_argument);  // 9 nodes on 8
  CollectiveRequest r = allreduce(12, 1e9);  // 12 is not a multiple of 8 ranks per node
  CHECK_THROWS_AS(timer.time_s(r), std::invalid_argument);
  r = allreduce(8, -1.0);
  CHECK_THROWS_AS(timer.time_s(r), std::invalid_argument);
  CHECK(timer.time_s(allreduce(1, 1e9)) == 0.0);
  CHECK(timer.stats().simgrid_runs == 0);
}
