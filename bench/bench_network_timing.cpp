// Fixed workload: the data-parallel gradient all-reduce of one synchronous job on DGX H100 nodes
// (8 GPUs/node, 8 x 400 Gb/s rails, non-blocking fat tree sized to the job), timed with SimGrid
// as aggregated flows (one flow per node, rails aggregated). For 1K, 4K, 16K, 64K and 100K GPUs it
// prints the wall seconds of the platform build and of the SimGrid runs of one timing, the flows
// simulated, the simulated collective time against the hand formula, and the wall time of a
// cached repeat. Goal: the 100K-GPU job's step comms timed in
// seconds, not minutes.
//   build/bin/bench_network_timing [--bytes S] [GPUS...]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "sim/jobs/network_timing.h"

int main(int argc, char** argv) {
  double bytes = 2.0e9;  // 1B parameters of bf16 gradients
  std::vector<int> gpus;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--bytes") == 0 && i + 1 < argc) bytes = std::atof(argv[++i]);
    else gpus.push_back(std::atoi(argv[i]));
  }
  if (gpus.empty()) gpus = {1024, 4096, 16384, 65536, 100000};
  const dctwin::FabricSpec f;
  std::printf("all-reduce of %.3g bytes per GPU, hierarchical (NVLink 8 + fabric rings), %d GPUs/node\n", bytes,
              f.gpus_per_node);
  std::printf("%8s %7s %6s %8s %10s %10s %9s %12s %12s %10s\n", "gpus", "nodes", "levels", "flows", "build_s",
              "run_s", "total_s", "comm_s", "by_hand_s", "cached_s");
  for (int g : gpus) {
    const int nodes = (g + f.gpus_per_node - 1) / f.gpus_per_node;
    const int group = nodes * f.gpus_per_node;
    const auto shape = dctwin::fat_tree_shape(f, nodes);
    const auto t0 = std::chrono::steady_clock::now();
    dctwin::CommTimer timer(f, nodes);
    dctwin::CollectiveRequest r;
    r.kind = dctwin::Collective::AllReduce;
    r.group_size = group;
    r.bytes = bytes;
    const double comm = timer.time_s(r);
    const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto t1 = std::chrono::steady_clock::now();
    timer.time_s(r);
    const double cached = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    const double alpha = (nodes <= static_cast<int>(shape.down[0]) ? 2 : 2 * shape.levels) * f.link_latency_s;
    const double by_hand =
        2 * (7.0 / 8.0 * bytes / f.nvlink_bw_bytes_s + 7 * f.nvlink_latency_s) +
        dctwin::analytic_ring_allreduce_s(nodes, bytes / f.gpus_per_node, f.nic_bw_bytes_s, alpha);
    const auto& st = timer.stats();
    std::printf("%8d %7d %6d %8d %10.3f %10.3f %9.3f %12.6f %12.6f %10.2e\n", group, nodes, shape.levels,
                st.flows_last, st.build_wall_s, st.run_wall_s, total, comm, by_hand, cached);
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("peak resident memory %.1f MiB\n", ru.ru_maxrss / 1024.0);
  return 0;
}
