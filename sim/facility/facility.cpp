#include "sim/facility/facility.h"

#include <boost/graph/topological_sort.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <iterator>
#include <stdexcept>
#include <string>

namespace dctwin {

const char* to_string(Stage s) {
  switch (s) {
    case Stage::Utility: return "utility";
    case Stage::Feed: return "feed";
    case Stage::Transformer: return "transformer";
    case Stage::Switchgear: return "switchgear";
    case Stage::Ups: return "ups";
    case Stage::Busway: return "busway";
    case Stage::Rack: return "rack";
    case Stage::PowerShelf: return "power_shelf";
    case Stage::NodePsu: return "node_psu";
    case Stage::Node: return "node";
  }
  return "?";
}

const char* loss_key(Stage s) {
  switch (s) {
    case Stage::Busway: return "busway";
    case Stage::Ups: return "ups";
    case Stage::Switchgear: return "switchgear";
    case Stage::Transformer: return "transformer";
    case Stage::PowerShelf:
    case Stage::NodePsu: return "psu";
    default: return "none";
  }
}

namespace {

// The template tree with jobs placed: hall groups -> row groups -> rack groups -> node groups.
// `count` is per parent instance; identical instances stay one entry.
struct TNode {
  int level = 0;  // 0 hall, 1 row, 2 rack, 3 node
  int spec = -1;  // hall index | row index in its hall | rack type | node type
  std::int64_t count = 1;
  int job = -1;
  std::vector<TNode> children;
  std::int64_t first = 0;  // halls and rows: the first of their entry's instances (0-based) this group is
};

// Makes v[i] hold only its first `k` instances (0 < k <= count); the rest follow it as an entry of
// their own.
void split_front(std::vector<TNode>& v, std::size_t i, std::int64_t k) {
  if (k >= v[i].count) return;
  TNode rest = v[i];
  rest.count -= k;
  rest.first += k;
  v[i].count = k;
  v.insert(v.begin() + static_cast<std::ptrdiff_t>(i) + 1, rest);
}

struct Placer {
  const Scenario& sc;
  int from = -1;            // label of the nodes that may be taken (-1: free nodes)
  bool count_gpus = true;   // `need` in GPUs; else in nodes

  std::int64_t units(const TNode& n) const {
    if (n.level == 3) {
      if (n.job != from) return 0;
      return count_gpus ? sc.node_types[static_cast<std::size_t>(n.spec)].server.gpus : 1;
    }
    std::int64_t f = 0;
    for (const auto& c : n.children) f += c.count * units(c);
    return f;
  }

  void assign_all(TNode& n, int label) const {
    if (n.level == 3) {
      if (n.job == from && (!count_gpus || sc.node_types[static_cast<std::size_t>(n.spec)].server.gpus > 0)) n.job = label;
      return;
    }
    for (auto& c : n.children) assign_all(c, label);
  }

  // Labels `need` units of nodes carrying `from` with `label`, in order; splits groups where the
  // labelling differs.
  void place(std::vector<TNode>& v, std::int64_t& need, int label) const {
    for (std::size_t i = 0; i < v.size() && need > 0; ++i) {
      const std::int64_t f = units(v[i]);
      if (f == 0) continue;
      const std::int64_t full = std::min(v[i].count, need / f);
      if (full > 0) {
        split_front(v, i, full);
        assign_all(v[i], label);
        need -= full * f;
        continue;
      }
      if (v[i].level == 3) continue;  // a node is taken whole or not at all
      split_front(v, i, 1);
      place(v[i].children, need, label);
    }
  }
};

std::string times(std::int64_t n) { return n == 1 ? "" : " x" + std::to_string(n); }

}  // namespace

std::string instance_label(const std::string& json_path, std::int64_t first, std::int64_t n, std::int64_t of) {
  const std::size_t dot = json_path.rfind('.');
  const std::string tail = dot == std::string::npos ? json_path : json_path.substr(dot + 1);
  if (of <= 1) return tail;
  if (n >= of) return tail + " (all " + std::to_string(of) + ")";
  if (n == 1) return tail + " (" + std::to_string(first + 1) + " of " + std::to_string(of) + ")";
  return tail + " (" + std::to_string(first + 1) + "-" + std::to_string(first + n) + " of " + std::to_string(of) + ")";
}

namespace {

// A group of power supplies (a rack's power shelf, a node's PSUs) as an element of the graph.
Element psu_element(Stage stage, std::string name, std::string spec_path, std::int64_t multiplicity, const PsuSpec& psu) {
  Element ps;
  ps.stage = stage;
  ps.name = std::move(name);
  ps.spec_path = std::move(spec_path);
  ps.multiplicity = multiplicity;
  ps.needed = psu.count;
  ps.installed = psu.installed();
  ps.redundancy = psu.redundancy;
  ps.psu = psu.params;
  ps.rating_w = psu.params.rated_w;
  return ps;
}

// The template tree of the scenario: hall groups -> row groups -> rack groups -> node groups,
// nothing placed yet.
std::vector<TNode> template_tree(const Scenario& sc) {
  std::vector<TNode> halls;
  for (std::size_t h = 0; h < sc.halls.size(); ++h) {
    TNode hn{0, static_cast<int>(h), sc.halls[h].count, -1, {}, sc.halls[h].first_instance};
    for (std::size_t r = 0; r < sc.halls[h].rows.size(); ++r) {
      const RowSpec& row = sc.halls[h].rows[r];
      TNode rn{1, static_cast<int>(r), row.count, -1, {}, row.first_instance};
      for (const auto& slot : row.racks) {
        TNode kn{2, slot.rack_type, slot.count, -1, {}};
        for (const auto& ns : sc.rack_types[static_cast<std::size_t>(slot.rack_type)].nodes)
          kn.children.push_back(TNode{3, ns.node_type, ns.count, -1, {}});
        rn.children.push_back(std::move(kn));
      }
      hn.children.push_back(std::move(rn));
    }
    halls.push_back(std::move(hn));
  }
  return halls;
}

}  // namespace

// The steps of Facility::Facility after the template tree: the jobs placed on it, then the graph.
struct FacilityBuilder {
  Facility& f;
  const Scenario& sc;
  std::vector<std::vector<std::int64_t>> cohort_type_gpus;  // per cohort: its GPUs by rack type
  Problems problems;

  Vertex add(Element e) { return boost::add_vertex(std::move(e), f.g_); }
  void link(Vertex parent, Vertex child) { boost::add_edge(parent, child, f.g_); }

  // Jobs, in order, on the first free nodes.
  // Each job's nodes are labelled with its cohorts (one unless it has jitter): the job is placed
  // under its first cohort's label, then its nodes are relabelled in order into equal cohorts.
  void place_jobs(std::vector<TNode>& halls) {
    Placer free_gpus{sc, -1, true};
    int next_cohort = 0;
    for (std::size_t j = 0; j < sc.jobs.size(); ++j) {
      std::int64_t free = 0;
      for (const auto& h : halls) free += h.count * free_gpus.units(h);
      std::int64_t need = sc.jobs[j].gpus;
      const int first = next_cohort;
      free_gpus.place(halls, need, first);
      f.job_gpus_.push_back(sc.jobs[j].gpus - need);
      if (need > 0)
        problems.add(sc.source, sc.jobs[j].json_path + ".gpus",
                     "a count of whole nodes' GPUs that fits the " + std::to_string(free) +
                         " GPUs left free by earlier jobs (nodes are placed whole, in order)",
                     std::to_string(sc.jobs[j].gpus) + " (" + std::to_string(need) + " GPUs could not be placed)");
      const Placer nodes_of{sc, first, false};
      std::int64_t nodes = 0;
      for (const auto& h : halls) nodes += h.count * nodes_of.units(h);
      int k = 1;
      if (sc.jobs[j].jitter && sc.jobs[j].jitter->per_rack) {
        int next = first;
        split_racks(halls, nodes_of, next);
        k = std::max(1, next - first);
      } else {
        k = static_cast<int>(std::max<std::int64_t>(1, std::min<std::int64_t>(sc.jobs[j].cohorts(), nodes)));
        for (int i = 1; i < k; ++i) {
          std::int64_t take = nodes / k + (i < nodes % k ? 1 : 0);
          nodes_of.place(halls, take, first + i);
        }
      }
      f.job_first_cohort_.push_back(first);
      f.job_cohort_count_.push_back(k);
      for (int i = 0; i < k; ++i) f.cohort_job_.push_back(static_cast<int>(j));
      next_cohort += k;
    }
    if (!problems.empty()) throw InputError(problems);
  }

  // Per-rack cohorts: every rack holding nodes labelled `of.from` becomes a group of its own (the
  // hall and row groups above it too) and its nodes take the labels next, next + 1, ... in
  // placement order (`next` starts at of.from; on return it is one past the last label used).
  void split_racks(std::vector<TNode>& v, const Placer& of, int& next) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (of.units(v[i]) == 0) continue;
      if (v[i].level == 3) continue;  // below a rack: labelled by assign_all
      split_front(v, i, 1);
      if (v[i].level == 2) {
        const Placer relabel{sc, of.from, false};
        if (next != of.from) relabel.assign_all(v[i], next);
        ++next;
      } else {
        split_racks(v[i].children, of, next);
      }
    }
  }

  // The graph: utility meter -> feeds -> each hall group's lineup -> busways -> racks -> nodes.
  void build_graph(const std::vector<TNode>& halls) {
    f.job_nodes_.assign(sc.jobs.size(), 0);
    f.job_racks_.assign(sc.jobs.size(), 0);
    f.cohort_gpus_.assign(f.cohort_job_.size(), 0);
    cohort_type_gpus.assign(f.cohort_job_.size(), std::vector<std::int64_t>(sc.rack_types.size(), 0));
    f.job_profile_.assign(sc.jobs.size(), -1);
    const Vertex feeds = add_utility();
    for (const TNode& hn : halls) add_hall(hn, feeds);
    if (!problems.empty()) throw InputError(problems);
    boost::topological_sort(f.g_, std::back_inserter(f.order_));  // children first
    f.cohort_rack_type_.assign(f.cohort_job_.size(), -1);
    for (std::size_t c = 0; c < f.cohort_job_.size(); ++c) {
      const auto& by_type = cohort_type_gpus[c];
      const auto best = std::max_element(by_type.begin(), by_type.end());
      if (best != by_type.end() && *best > 0) f.cohort_rack_type_[c] = static_cast<int>(best - by_type.begin());
    }
  }

  // The utility meter (the root) and the feeds below it; returns the feeds.
  Vertex add_utility() {
    Element u;
    u.stage = Stage::Utility;
    u.name = "utility meter";
    u.spec_path = "$.campus.utility";
    f.root_ = add(u);

    Element fd;
    fd.stage = Stage::Feed;
    fd.name = "utility feeds";
    fd.spec_path = "$.campus.utility.feeds";
    fd.needed = sc.feeds.count;
    fd.installed = sc.feeds.installed();
    fd.redundancy = sc.feeds.redundancy;
    fd.rating_w = sc.feeds.capacity_w;
    const Vertex feeds = add(fd);
    link(f.root_, feeds);
    return feeds;
  }

  // A hall group: its lineup (transformer -> switchgear -> UPS) and its rows.
  void add_hall(const TNode& hn, Vertex feeds) {
    const HallSpec& hs = sc.halls[static_cast<std::size_t>(hn.spec)];
    const std::string hall_path = hs.json_path.empty() ? "$.campus.halls[" + std::to_string(hn.spec) + "]" : hs.json_path;
    const std::string hall_where = instance_label(hall_path, hn.first, hn.count, hs.of_instances > 0 ? hs.of_instances : hs.count);
    const std::string hall_name = hs.name + " " + hall_where;
    Element base;
    base.instances = hall_where;
    base.multiplicity = hn.count;
    base.needed = hs.lineups.count;

    Element tr = base;
    tr.stage = Stage::Transformer;
    tr.redundancy = hs.lineups.transformer_redundancy;
    tr.installed = hs.lineups.installed(tr.redundancy);
    tr.name = hall_name + " / lineup transformer";
    tr.spec_path = hall_path + ".lineups.transformer";
    tr.transformer = hs.lineups.transformer;
    tr.rating_w = hs.lineups.transformer.rated_kva * 1e3 * sc.power_factor;
    Element sg = base;
    sg.stage = Stage::Switchgear;
    sg.redundancy = hs.lineups.switchgear_redundancy;
    sg.installed = hs.lineups.installed(sg.redundancy);
    sg.name = hall_name + " / lineup switchgear";
    sg.spec_path = hall_path + ".lineups.switchgear";
    sg.conductor = hs.lineups.switchgear;
    sg.rating_w = hs.lineups.switchgear.rated_w;
    Element up = base;
    up.stage = Stage::Ups;
    up.redundancy = hs.lineups.ups_redundancy;
    up.installed = hs.lineups.installed(up.redundancy);
    up.name = hall_name + " / lineup UPS";
    up.spec_path = hall_path + ".lineups.ups";
    up.ups = hs.lineups.ups;
    up.rating_w = hs.lineups.ups.rated_w;
    const Vertex vt = add(tr), vs = add(sg), vu = add(up);
    link(feeds, vt);
    link(vt, vs);
    link(vs, vu);
    for (const TNode& rn : hn.children) add_row(hn, rn, hall_path, hall_name, hall_where, vu);
  }

  // A row group of a hall: its busway and its racks.
  void add_row(const TNode& hn, const TNode& rn, const std::string& hall_path, const std::string& hall_name,
               const std::string& hall_where, Vertex ups) {
    const HallSpec& hs = sc.halls[static_cast<std::size_t>(hn.spec)];
    const RowSpec& rs = hs.rows[static_cast<std::size_t>(rn.spec)];
    const std::int64_t row_mult = hn.count * rn.count;
    const std::string row_path = rs.json_path.empty() ? hall_path + ".rows[" + std::to_string(rn.spec) + "]" : rs.json_path;
    const std::string row_where = instance_label(row_path, rn.first, rn.count, rs.of_instances > 0 ? rs.of_instances : rs.count);
    const std::string row_name = hall_name + " / " + row_where;
    Element bw;
    bw.instances = hall_where + " / " + row_where;
    bw.stage = Stage::Busway;
    bw.name = row_name + " / busway";
    bw.spec_path = row_path + ".busway";
    bw.multiplicity = row_mult;
    bw.needed = rs.busway.count;
    bw.installed = rs.busway.installed();
    bw.redundancy = rs.busway.redundancy;
    bw.conductor = rs.busway.params;
    bw.rating_w = rs.busway.params.rated_w;
    const Vertex vb = add(bw);
    link(ups, vb);
    for (const TNode& kn : rn.children) add_rack(kn, row_mult, row_name, bw.instances, vb);
  }

  // A rack group: the rack, its power shelf (if any) and its node groups.
  void add_rack(const TNode& kn, std::int64_t row_mult, const std::string& row_name, const std::string& where, Vertex busway) {
    const RackType& rt = sc.rack_types[static_cast<std::size_t>(kn.spec)];
    const std::int64_t rack_mult = row_mult * kn.count;
    Element rk;
    rk.instances = where;
    rk.stage = Stage::Rack;
    rk.name = row_name + " / rack " + rt.name + times(kn.count);
    rk.spec_path = rt.json_path;
    rk.multiplicity = rack_mult;
    rk.rack_equipment = rt.rack_equipment;
    rk.rack_type = kn.spec;
    const Vertex vr = add(rk);
    link(busway, vr);
    {
      std::vector<char> seen(sc.jobs.size(), 0);
      for (const TNode& nn : kn.children)
        if (nn.job >= 0) seen[static_cast<std::size_t>(f.cohort_job_[static_cast<std::size_t>(nn.job)])] = 1;
      for (std::size_t j = 0; j < seen.size(); ++j)
        if (seen[j]) f.job_racks_[j] += rack_mult;
    }
    Vertex parent = vr;
    if (rt.power_shelf) {
      Element shelf = psu_element(Stage::PowerShelf, rk.name + " / power shelf", rt.json_path + ".power_shelf", rack_mult, *rt.power_shelf);
      shelf.instances = where;
      parent = add(shelf);
      link(vr, parent);
    }
    for (const TNode& nn : kn.children) add_node(kn, nn, rack_mult, rk.name, where, parent);
  }

  // A node group: its PSUs (if any) and the nodes; counts its GPUs to its cohort and job.
  void add_node(const TNode& kn, const TNode& nn, std::int64_t rack_mult, const std::string& rack_name, const std::string& where,
                Vertex parent) {
    const NodeType& nt = sc.node_types[static_cast<std::size_t>(nn.spec)];
    const std::int64_t node_mult = rack_mult * nn.count;
    const std::string job = nn.job >= 0 ? f.cohort_name(nn.job) : "idle";
    Element nd;
    nd.instances = where;
    nd.stage = Stage::Node;
    nd.name = rack_name + " / node " + nt.name + times(nn.count) + " (" + job + ")";
    nd.spec_path = nt.json_path;
    nd.multiplicity = node_mult;
    nd.node_type = nn.spec;
    nd.job = nn.job;
    nd.rack_type = kn.spec;
    Vertex node_parent = parent;
    if (nt.psu) {
      Element psus = psu_element(Stage::NodePsu, nd.name + " / PSUs", nt.json_path + ".psu", node_mult, *nt.psu);
      psus.instances = where;
      node_parent = add(psus);
      link(parent, node_parent);
    }
    const Vertex vn = add(nd);
    link(node_parent, vn);
    if (nn.job < 0) return;
    f.cohort_gpus_[static_cast<std::size_t>(nn.job)] += node_mult * nt.server.gpus;
    cohort_type_gpus[static_cast<std::size_t>(nn.job)][static_cast<std::size_t>(kn.spec)] += node_mult * nt.server.gpus;
    const auto j = static_cast<std::size_t>(f.cohort_job_[static_cast<std::size_t>(nn.job)]);
    f.job_nodes_[j] += node_mult;
    if (f.job_profile_[j] < 0) f.job_profile_[j] = nt.profile;
    if (f.job_profile_[j] != nt.profile)
      problems.add(sc.source, sc.jobs[j].json_path + ".gpus",
                   "nodes of one GPU kind (a synchronous job; placement fills nodes in order)",
                   "GPUs of \"" + sc.profiles[static_cast<std::size_t>(f.job_profile_[j])].name + "\" and \"" +
                       sc.profiles[static_cast<std::size_t>(nt.profile)].name + "\"");
  }
};

Facility::Facility(const Scenario& sc) : sc_(sc) {
  std::vector<TNode> halls = template_tree(sc);
  FacilityBuilder b{*this, sc, {}, {}};
  b.place_jobs(halls);
  b.build_graph(halls);
}

std::string Facility::cohort_name(int cohort) const {
  const auto c = static_cast<std::size_t>(cohort);
  const auto j = static_cast<std::size_t>(cohort_job_.at(c));
  return "job " + sc_.jobs[j].name +
         (job_cohort_count_[j] > 1 ? " cohort " + std::to_string(cohort - job_first_cohort_[j]) : "");
}

namespace {
int stage_slot(Stage s) {
  for (std::size_t i = 0; i < kDistributionLossStages.size(); ++i)
    if (kDistributionLossStages[i] == s) return static_cast<int>(i);
  return -1;
}

void add_into(FacilityEvaluator::Aggregate& a, const FacilityEvaluator::Aggregate& b) {
  a.it.gpu_w += b.it.gpu_w;
  a.it.cpu_w += b.it.cpu_w;
  a.it.memory_w += b.it.memory_w;
  a.it.nic_w += b.it.nic_w;
  a.it.storage_w += b.it.storage_w;
  a.it.other_w += b.it.other_w;
  a.it.fan_w += b.it.fan_w;
  a.it.rack_equipment_w += b.it.rack_equipment_w;
  a.it.psu_loss_w += b.it.psu_loss_w;
  a.it.rack_storage_w += b.it.rack_storage_w;
  for (std::size_t i = 0; i < a.loss_w.size(); ++i) a.loss_w[i] += b.loss_w[i];
  a.it_w += b.it_w;
}

// Every component of `it` times k (racks without supply: k = 1 - the share off).
void scale_into(ItBreakdown& it, double k) {
  for (double* x : {&it.gpu_w, &it.cpu_w, &it.memory_w, &it.nic_w, &it.storage_w, &it.other_w, &it.fan_w,
                    &it.rack_equipment_w, &it.psu_loss_w, &it.rack_storage_w})
    *x *= k;
}

bool same_bits(double x, double y) { return std::memcmp(&x, &y, sizeof x) == 0; }
}  // namespace

bool same_job_state(const JobState& a, const JobState& b) {
  return a.running == b.running && a.phase == b.phase && same_bits(a.gpu_w, b.gpu_w) &&
         same_bits(a.active_fraction, b.active_fraction) && same_bits(a.leak_w, b.leak_w) &&
         same_bits(a.fan_gpu_w, b.fan_gpu_w) && same_bits(a.fan_active, b.fan_active);
}

void Facility::evaluate_vertex(Vertex v, const std::vector<JobState>& jobs, bool nameplate, FacilityEvaluator& ev) const {
  const Element& e = g_[v];
  double out = 0;
  bool act = false;
  FacilityEvaluator::Aggregate agg;
  for (auto [it, end] = boost::adjacent_vertices(v, g_); it != end; ++it) {
    out += ev.in_w_[*it];
    act = act || ev.active_[*it];
    add_into(agg, ev.agg_[*it]);
  }
  double loss = 0;
  const double units = static_cast<double>(e.units());
  switch (e.stage) {
    case Stage::Node: {
      const NodeType& nt = sc_.node_types[static_cast<std::size_t>(e.node_type)];
      if (nameplate) {
        out = static_cast<double>(e.multiplicity) * nt.nameplate_w;
        act = true;
        break;
      }
      const auto& profile = sc_.profiles[static_cast<std::size_t>(nt.profile)];
      const JobState* js = e.job >= 0 ? &jobs[static_cast<std::size_t>(e.job)] : nullptr;
      const bool running = js != nullptr && js->running;
      const double m = static_cast<double>(e.multiplicity);
      const double m_active = running ? m * js->active_fraction : 0.0;
      auto add_nodes = [&](double count, const power::ServerPower& sp) {
        if (count <= 0) return;
        agg.it.gpu_w += count * sp.gpu_w;
        agg.it.cpu_w += count * sp.cpu_w;
        agg.it.memory_w += count * sp.memory_w;
        agg.it.nic_w += count * sp.nic_w;
        agg.it.storage_w += count * sp.storage_w;
        agg.it.other_w += count * sp.other_w;
        agg.it.fan_w += count * sp.fan_w;
        out += count * sp.total_w();
      };
      // Fan control: every node's fans at the lagged heat of the cohort's mean node (JobState).
      const bool lagged = js != nullptr && !std::isnan(js->fan_gpu_w);
      const double fan_heat = lagged ? power::server_heat_w(nt.server, js->fan_gpu_w, js->fan_active) : 0.0;
      auto node_power = [&](double gpu_each, bool active) {
        return lagged ? power::server_power(nt.server, gpu_each, active, fan_heat) : power::server_power(nt.server, gpu_each, active);
      };
      if (m_active > 0) {
        const double gpu_each = (std::isnan(js->gpu_w) ? power::gpu_power_w(profile, js->phase) : js->gpu_w) + js->leak_w;
        add_nodes(m_active, node_power(gpu_each, true));
      }
      const double leak = js != nullptr ? js->leak_w : 0.0;
      // (add_nodes adds nothing for no idle nodes: their power is not computed then)
      if (m - m_active > 0) add_nodes(m - m_active, node_power(power::gpu_power_w(profile, power::GpuPhase::Idle) + leak, false));
      act = m_active > 0;
      break;
    }
    case Stage::NodePsu:
    case Stage::PowerShelf:
      if (nameplate && e.stage == Stage::NodePsu) break;  // nameplate is already the AC input
      loss = units * power::psu_loss_w(e.psu, out / units);
      agg.it.psu_loss_w += loss;
      break;
    case Stage::Rack: {
      const double eq = static_cast<double>(e.multiplicity) * (act ? e.rack_equipment.active_w : e.rack_equipment.idle_w);
      out += eq;
      agg.it.rack_equipment_w += eq;
      if (!ev.rack_off_.empty() && ev.rack_off_[v] > 0) {  // racks without supply draw nothing
        const double on = 1.0 - ev.rack_off_[v];
        out *= on;
        scale_into(agg.it, on);
      }
      if (!ev.rack_storage_w_.empty()) {  // storage at the rack input (sim/facility/rack_storage.h)
        ev.rack_load_w_[v] = out;
        out += ev.rack_storage_w_[v];
        agg.it.rack_storage_w += ev.rack_storage_w_[v];
      }
      break;
    }
    case Stage::Busway:
    case Stage::Switchgear:
      loss = units * power::conductor_loss_w(e.conductor, out / units);
      break;
    case Stage::Ups:
      loss = units * power::ups_loss_w(e.ups, out / units);
      break;
    case Stage::Transformer:
      loss = units * power::transformer_loss_w(e.transformer, out / units, sc_.power_factor);
      break;
    case Stage::Feed:
    case Stage::Utility:
      break;
  }
  const double in = out + loss;
  if (const int slot = stage_slot(e.stage); slot >= 0) agg.loss_w[static_cast<std::size_t>(slot)] += loss;
  if (e.stage == Stage::Rack) agg.it_w += in;
  ev.in_w_[v] = in;
  ev.active_[v] = act;
  ev.agg_[v] = agg;
  ev.unit_load_[v] = out / units;
}

FacilityPower Facility::evaluate_impl(const std::vector<JobState>& jobs, std::vector<double>* unit_load_w,
                                      bool nameplate) const {
  FacilityEvaluator ev(*this, nameplate);
  const FacilityPower fp = ev.update(jobs);
  if (unit_load_w) *unit_load_w = ev.unit_load_w();
  return fp;
}

FacilityEvaluator::FacilityEvaluator(const Facility& f, bool nameplate) : f_(f), nameplate_(nameplate) {
  const std::size_t n = f.vertex_count();
  in_w_.assign(n, 0.0);
  active_.assign(n, 0);
  agg_.assign(n, Aggregate{});
  unit_load_.assign(n, 0.0);
  position_.assign(n, 0);
  queued_.assign(n, 0);
  for (std::size_t i = 0; i < f.order_.size(); ++i) position_[f.order_[i]] = static_cast<int>(i);
  cohort_nodes_.assign(f.cohorts(), {});
  for (auto [it, end] = boost::vertices(f.g_); it != end; ++it)
    if (f.g_[*it].stage == Stage::Node && f.g_[*it].job >= 0) cohort_nodes_[static_cast<std::size_t>(f.g_[*it].job)].push_back(*it);
}

const FacilityPower& FacilityEvaluator::update(const std::vector<JobState>& jobs, const std::vector<std::size_t>* candidates) {
  // One state per cohort (the nameplate evaluation reads none): a shorter vector would be read
  // past its end by the node groups of the missing cohorts.
  if (!nameplate_ && jobs.size() != f_.cohorts())
    throw std::invalid_argument("Facility::evaluate: " + std::to_string(jobs.size()) + " job states for " +
                                std::to_string(f_.cohorts()) + " cohorts (one state per cohort expected)");
  changed_.clear();
  if (!evaluated_ || last_.size() != jobs.size()) {
    for (const int pos : heap_) queued_[f_.order_[static_cast<std::size_t>(pos)]] = 0;  // rack storage pushes
    heap_.clear();
    for (const Vertex v : f_.order_) f_.evaluate_vertex(v, jobs, nameplate_, *this);
    changed_ = f_.order_;
    recomputed_ += f_.order_.size();
    evaluated_ = true;
    last_ = jobs;
  } else {
    // The cohorts whose state changed (bit for bit); last_ takes their new states.
    changed_cohorts_.clear();
    auto consider = [&](std::size_t c) {
      if (!same_job_state(jobs[c], last_[c])) {
        changed_cohorts_.push_back(c);
        last_[c] = jobs[c];
      }
    };
    if (candidates) {
      for (const std::size_t c : *candidates) consider(c);
      std::sort(changed_cohorts_.begin(), changed_cohorts_.end());  // as the full scan finds them
    } else {
      for (std::size_t c = 0; c < jobs.size(); ++c) consider(c);
    }
    // Their node groups, then every vertex above them, children first. Unchanged vertices keep
    // what they hold: the same inputs give the same bits.
    if (changed_cohorts_.size() * 4 > jobs.size()) {
      // Many cohorts (e.g. every cohort's leakage at a thermal step): flags swept in the
      // children-first order, without the heap. Queued rack storage pushes keep their flags.
      heap_.clear();
      for (const std::size_t c : changed_cohorts_)
        for (const Vertex v : cohort_nodes_[c]) queued_[v] = 1;
      for (const Vertex v : f_.order_) {
        if (!queued_[v]) continue;
        queued_[v] = 0;
        f_.evaluate_vertex(v, jobs, nameplate_, *this);
        changed_.push_back(v);
        ++recomputed_;
        for (auto [it, end] = boost::inv_adjacent_vertices(v, f_.g_); it != end; ++it) queued_[*it] = 1;
      }
    } else {
      for (const std::size_t c : changed_cohorts_)
        for (const Vertex v : cohort_nodes_[c]) push(v);
      while (!heap_.empty()) {
        std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
        const int pos = heap_.back();
        heap_.pop_back();
        const Vertex v = f_.order_[static_cast<std::size_t>(pos)];
        queued_[v] = 0;
        f_.evaluate_vertex(v, jobs, nameplate_, *this);
        changed_.push_back(v);
        ++recomputed_;
        for (auto [it, end] = boost::inv_adjacent_vertices(v, f_.g_); it != end; ++it) push(*it);
      }
    }
  }
  const Aggregate& root = agg_[f_.root_];
  fp_ = FacilityPower{};
  fp_.it = root.it;
  fp_.loss_w = root.loss_w;
  fp_.it_w = root.it_w;
  fp_.utility_w = in_w_[f_.root_];
  return fp_;
}

void FacilityEvaluator::enable_rack_storage() {
  rack_storage_w_.assign(in_w_.size(), 0.0);
  rack_load_w_.assign(in_w_.size(), 0.0);
  evaluated_ = false;
}

void FacilityEvaluator::set_rack_storage_w(Vertex v, double w) {
  if (same_bits(rack_storage_w_[v], w)) return;
  rack_storage_w_[v] = w;
  if (evaluated_) push(v);
}

void FacilityEvaluator::set_rack_unpowered(Vertex v, double fraction) {
  if (f_.g_[v].stage != Stage::Rack || !(fraction >= 0 && fraction <= 1))
    throw std::invalid_argument("FacilityEvaluator::set_rack_unpowered: a rack vertex and a fraction in [0, 1]");
  if (rack_off_.empty()) {
    if (fraction == 0) return;
    rack_off_.assign(in_w_.size(), 0.0);
  }
  if (same_bits(rack_off_[v], fraction)) return;
  rack_off_[v] = fraction;
  if (evaluated_) push(v);
}

void FacilityEvaluator::push(Vertex v) {
  if (queued_[v]) return;
  queued_[v] = 1;
  heap_.push_back(position_[v]);
  std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
}

}  // namespace dctwin
