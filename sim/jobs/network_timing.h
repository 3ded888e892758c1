// Communication time of a synchronous training step's collectives, timed with SimGrid as
// aggregated flows on a rail-aggregated fat tree plus one NVLink domain, cached per job shape.
//
// Model
// -----
// A ring collective over N members is N-1 (reduce-scatter, all-gather) or 2(N-1) (all-reduce)
// dependent steps; in each step every member sends a chunk of S/N bytes to its ring neighbour
// (Patarasuk & Yuan 2009). In the alpha-beta cost model (Thakur, Rabenseifner & Gropp 2005):
//
//     T_allreduce = 2(N-1)/N * S/B + 2(N-1) * alpha       (analytic_ring_allreduce_s)
//     T_rs = T_ag = (N-1)/N * S/B +  (N-1) * alpha
//
// with S the buffer size (bytes), B the per-member bandwidth (bytes/s) and alpha the latency of
// one ring step (the sum of the link latencies on the route between neighbours).
//
// Aggregated flows, and the split between SimGrid and the analytic latency term. Every step
// moves the same chunk over the same ring edge, so the whole collective is modelled as ONE flow
// per ring edge carrying the total volume (2(N-1)/N * S for an all-reduce), all flows started
// together. SimGrid's flow-level max-min sharing then gives the bandwidth term, including the
// contention of flows that share a link (switch uplinks of an oversubscribed fabric, another
// job's flows). That flow pays the route latency once; the other steps-1 step latencies are
// added analytically:
//
//     T_phase = T_SimGrid(aggregated flows) + (steps - 1) * alpha_max
//
// where alpha_max is the largest route latency among the phase's ring edges (from SimGrid's
// routing, Host::route_to). Uncontended, this equals the analytic formula exactly; contended, it
// assumes the contention is steady over the collective (a fluid approximation).
//
// Hierarchical decomposition (groups spanning nodes; Mikami et al. 2018 "2D" all-reduce, the
// structure of NCCL's intra-node/inter-node rings). A group of G ranks with r ranks per node spans
// k = G/r nodes:
//   all-reduce     = NVLink reduce-scatter over r ranks  ((r-1)/r * S per rank)
//                  + fabric ring all-reduce over k nodes of each rank's shard S/r
//                    (2(k-1)/k * S/r per rank, r rings in parallel, one per rail)
//                  + NVLink all-gather over r ranks (same time as the reduce-scatter)
//   reduce-scatter = NVLink reduce-scatter + fabric reduce-scatter ((k-1)/k * S/r per rank)
//   all-gather     = fabric all-gather + NVLink all-gather (same volumes, reverse order)
//   send-recv      = every rank sends S to its counterpart on the next node (pipeline chain,
//                    no wrap-around); one step.
// Phases run one after another (a barrier between them); their times add. r = 1 gives a flat
// fabric ring, k = 1 (or inside_nvlink_domain) a pure NVLink ring.
//
// Rails. A node has nics_per_node NICs, each on its own rail (a DGX SuperPOD-style rail-optimised
// fabric, every rail a separate, identical fat tree). Collectives are rail-symmetric — the r
// rings of a hierarchical collective use r rails equally — so the rails are aggregated into ONE
// fat tree whose links carry nics_per_node * nic_bw: one flow per node instead of one per rail
// (an 8x smaller platform and flow count). Groups with fewer ranks per node than GPUs
// (r < gpus_per_node, e.g. the data-parallel groups of a tensor-parallel job) are assumed to run
// in lockstep with their gpus_per_node / r sibling groups on the other GPUs of the same nodes,
// as the data-parallel groups of all tensor-parallel shards do; the node flow carries all
// siblings' traffic. Each rank therefore gets nics_per_node/gpus_per_node of a NIC, uncontended.
//
// Platform (built lazily, once per CommTimer, on the first timing):
//   - one star zone (create_star_zone) = one NVLink domain of gpus_per_nvlink_domain GPU hosts,
//     each on a split-duplex link of nvlink_bw_bytes_s and latency nvlink_latency_s/2 to the
//     NVSwitch, so GPU-to-GPU is nvlink_latency_s. All domains are identical and NVLink traffic
//     never leaves its domain, so one representative domain is simulated.
//   - the scale-out fabric: create_fatTree_zone (SimGrid's FatTreeParams, Zahavi's parallel
//     generalised fat tree), one host per node, split-duplex links of nics_per_node * nic_bw and
//     link_latency_s per hop, static destination-based routing. Sizing with radix k =
//     switch_radix: leaves of k/2 nodes with round(k/2 / oversubscription) uplinks;
//     two levels when nodes <= k^2/2, else three (pods of k/2 leaves, k/2 spine uplinks per pod
//     switch). The top level's radix is not enforced (its switches take as many children as
//     needed), so any node count fits; only bandwidths and hop counts matter.
//
// SimGrid configuration (network/*): crosstraffic 0 (RDMA has no TCP ACK stream), bandwidth- and
// latency-factor 1 (LV08's TCP corrections 0.97 and 13.01 do not describe RDMA; Velho & Legrand,
// SIMUTools 2009), TCP-gamma 0 (no TCP window bound) and weight-S 0 (max-min fair sharing
// independent of RTT). Result: uncontended flows match the analytic formula to rounding.
//
// Engine lifetime. s4u::Engine is a process-wide singleton (Engine::instance_): only one may
// exist at a time. Measured with SimGrid 3.32 (Debian 12): (a) Engine::run() may be called again
// after it returns, with new actors and comms on the same platform, and the clock continues;
// (b) an Engine can be destroyed and a new one created in the same process, with a different
// platform, any number of times, with identical results. So no child processes are needed: the
// process holds at most one SimGrid session, owned by the CommTimer that used it last; a timing
// reuses it (new actors, run() again, time measured from Engine::get_clock()) when it holds the
// same fabric and node count, and otherwise destroys it and builds the timer's platform. The
// owner's destructor destroys the Engine. All SimGrid use
// goes through one mutex. Code elsewhere in the process must not hold its own s4u::Engine while a
// CommTimer times (a CommTimer refuses with std::logic_error if it finds a foreign Engine).
// SimGrid's log threshold is set to critical (xbt_log_control_set("root.thresh:critical")).
//
// Validity and limits. Flow level: no packets, congestion control, adaptive routing, NCCL
// protocol overheads (LL/LL128/Simple) or SHARP/NVLS in-network reduction; ring algorithms only
// (no trees), so for large N at small S the latency term is that of a ring (NCCL would switch
// to trees). Real NCCL reaches about 80-90 % of link bandwidth (its "bus bandwidth"): derate
// nic_bw_bytes_s / nvlink_bw_bytes_s to calibrate. Hierarchy is by node, not by multi-node NVLink
// domain (a GB200 NVL72 group that stays in its domain is inside_nvlink_domain; one that spans
// domains is timed node by node over the fabric). Concurrent jobs contend on the fabric only: their
// NVLink phases are assumed in different domains, and their fabric phases are assumed to overlap
// fully (the worst case).
//
// Sources: P. Patarasuk, X. Yuan, "Bandwidth optimal all-reduce algorithms for clusters of
// workstations", JPDC 69(2), 2009; R. Thakur, R. Rabenseifner, W. Gropp, "Optimization of
// collective communication operations in MPICH", IJHPCA 19(1), 2005; H. Mikami et al., "Massively
// distributed SGD: ImageNet/ResNet-50 training in a flash", arXiv:1811.05233, 2018; E. Zahavi,
// "D-Mod-K routing providing non-blocking traffic for shift permutations on real life fat
// trees", CCIT report 776, Technion, 2010; P. Velho, A. Legrand, "Accuracy study and improvement
// of network simulation in the SimGrid framework", SIMUTools 2009; NVIDIA H100 datasheet (NVLink 4:
// 900 GB/s bidirectional per GPU); NVIDIA DGX SuperPOD reference architecture (rail-optimised
// 400 Gb/s InfiniBand, one ConnectX-7 per GPU).
//
// Usage:
//     dctwin::CommTimer timer(dctwin::FabricSpec{}, 12500);   // 100K H100 GPUs
//     double t = timer.time_s({dctwin::Collective::AllReduce, 100000, 2.0e9});  // DP grads
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

namespace dctwin {

// A training cluster's interconnect. SI units: bytes/s, s. Defaults: DGX H100 nodes on a
// rail-optimised 400 Gb/s InfiniBand fat tree.
struct FabricSpec {
  int gpus_per_node = 8;               // GPUs per server
  int gpus_per_nvlink_domain = 8;      // 8 for DGX H100 (one node); 72 for GB200 NVL72
  double nvlink_bw_bytes_s = 450e9;    // per GPU, one direction (NVLink 4: 900 GB/s bidirectional)
  double nvlink_latency_s = 1e-6;      // GPU to GPU through the NVSwitch
  int nics_per_node = 8;               // scale-out NICs per node, one per rail
  double nic_bw_bytes_s = 50e9;        // per NIC, one direction (400 Gb/s)
  double link_latency_s = 2e-6;        // per fabric link (hop); a route within a leaf is 2 hops
  int switch_radix = 64;               // ports per switch (NVIDIA Quantum-2: 64 x 400 Gb/s)
  double oversubscription = 1.0;       // leaf down/up bandwidth ratio; 1 = non-blocking

  bool operator==(const FabricSpec&) const = default;
};

// How the fat tree is sized for a node count (SimGrid FatTreeParams semantics: per level, the
// children per switch `down`, the parents per element `up`, the parallel links `count`).
struct FatTreeShape {
  int levels = 0;                      // switch levels: 2 or 3
  std::vector<unsigned> down, up, count;
  int leaves = 0;                      // hosts the tree holds (>= nodes; the extra are idle)
  double oversubscription = 1.0;       // effective, after rounding the uplink count
};
FatTreeShape fat_tree_shape(const FabricSpec& fabric, int nodes);

enum class Collective { AllReduce, ReduceScatter, AllGather, SendRecv };

// One collective of one group of ranks (GPUs). Placement: member node j is
// first_node + j * stride_nodes.
struct CollectiveRequest {
  Collective kind = Collective::AllReduce;
  int group_size = 1;                  // ranks (GPUs) in the group
  double bytes = 0.0;                  // S: the buffer each rank all-reduces (for reduce-scatter
                                       // and all-gather the full, unscattered size; for
                                       // send-recv what each rank sends)
  bool inside_nvlink_domain = false;   // all ranks in one NVLink domain: NVLink only
  int stride_nodes = 1;                // nodes between consecutive member nodes
  int ranks_per_node = 0;              // group ranks per node; 0 = min(group_size, gpus_per_node)
  int first_node = 0;                  // node of member 0 (places concurrent jobs)
};

// Times collectives on one fabric of `nodes` nodes. Results are cached per request shape (and per
// set of shapes for concurrent timings); SimGrid runs only on a cache miss. Use CommTimers from
// one thread: SimGrid's Engine is not thread-safe (a process-wide mutex only serialises
// accidental overlap).
// Invalid fabrics or requests throw std::invalid_argument with one line naming the field.
class CommTimer {
 public:
  CommTimer(FabricSpec fabric, int nodes);
  ~CommTimer();
  CommTimer(CommTimer&&) noexcept;
  CommTimer& operator=(CommTimer&&) noexcept;
  CommTimer(const CommTimer&) = delete;
  CommTimer& operator=(const CommTimer&) = delete;

  // Seconds for the collective alone on the fabric.
  double time_s(const CollectiveRequest& r);
  // Seconds for each collective when all run at once and contend for the fabric.
  std::vector<double> time_concurrent_s(const std::vector<CollectiveRequest>& rs);

  struct Stats {
    int simgrid_runs = 0;        // Engine::run() calls (one per simulated phase set)
    int platform_builds = 0;     // Engines created for this timer
    double build_wall_s = 0.0;   // wall time of the last platform build
    double run_wall_s = 0.0;     // wall time of the SimGrid runs of the last cache miss
    int flows_last = 0;          // flows simulated on the last cache miss
  };
  const Stats& stats() const;
  const FabricSpec& fabric() const;
  int nodes() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Analytic ring all-reduce: 2(N-1)/N * S/B + 2(N-1) * latency (0 for n <= 1).
double analytic_ring_allreduce_s(int n, double bytes, double bw_bytes_s, double latency_s);

}  // namespace dctwin
