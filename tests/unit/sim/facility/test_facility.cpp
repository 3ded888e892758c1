// Facility: the power chain worked out by hand on tests/data/tiny.json, placement (groups split
// where jobs cover part of them), placement errors, and the size of the graph at 100K GPUs.
#include <doctest/doctest.h>

#include <map>

#include "sim/facility/facility.h"
#include "tests/support.h"

using namespace dctwin;
using dctwin::power::GpuPhase;

namespace {

// tiny.json, by hand. One rack of two one-GPU nodes "n1"; the job (1 GPU) takes node 1, node 2
// stays idle for the whole run.
//
// Node DC power (server.h): Q = GPU + components; fan = 50 W x max(Q / 1150, 0.4)^3.
//   components active: cpu 60 + memory 30 + nic 20 + storage 10 + other 30 = 150 W
//   components idle:   30 + 15 + 10 + 5 + 15                               =  75 W
//   job node, compute:       Q = 1000 + 150 = 1150 -> s = 1.0, fan 50 W       -> DC 1200 W
//   job node, communication: Q =  200 + 150 =  350 -> s = 0.4, fan 3.2 W      -> DC 353.2 W
//   node without job:        Q =  100 +  75 =  175 -> s = 0.4, fan 3.2 W      -> DC 178.2 W
//
// PSUs: N+1 with N = 1, so 2 installed per node sharing the load; rated 2000 W; curve
// (0.1, 0.8) - (0.7, 0.9). Floor loss below 10 % load: 200 / 0.8 - 200 = 50 W per PSU.
//   compute: 600 W each, x = 0.3, eta = 0.8 + (0.2 / 0.6) x 0.1 = 5/6, loss 600 x 6/5 - 600 = 120 W
//            each -> 240 W; AC 1440 W
//   communication: 176.6 W each, x = 0.0883 < 0.1 -> floor, 2 x 50 = 100 W; AC 453.2 W
//   no job:         89.1 W each -> floor 100 W; AC 278.2 W
//
// Rack input (= IT) = node AC inputs + rack equipment (200 W when a node runs a job, else 100 W):
//   compute 1440 + 278.2 + 200 = 1918.2 W;  communication 453.2 + 278.2 + 200 = 931.4 W;
//   job not running 2 x 278.2 + 100 = 656.4 W.
//
// Upstream, each element at the output load P of what it feeds:
//   busway (N+1: 2 units, 10 kW, 1 %): loss = 2 x 0.01 x 10000 x (P / 2 / 10000)^2 = 5e-7 P^2
//   UPS (N: 1 unit, 10 kW, a0 1 %, a1 2 %, a2 5 %): loss = 10000 (0.01 + 0.02 x + 0.05 x^2), x = P/1e4
//   switchgear (10 kW, 0.1 %): loss = 0.001 x 10000 x (P / 10000)^2 = 1e-7 P^2
//   transformer (20 kVA, P0 100 W, Pk 400 W, pf 0.8): loss = 100 + 400 (P / 0.8 / 20000)^2
//   feeds and meter: no loss.
struct Hand {
  double it, busway, ups, switchgear, transformer, utility;
};
Hand chain(double it) {
  Hand h{};
  h.it = it;
  h.busway = 5e-7 * it * it;
  const double ups_out = it + h.busway;
  const double x = ups_out / 1e4;
  h.ups = 1e4 * (0.01 + 0.02 * x + 0.05 * x * x);
  const double sg_out = ups_out + h.ups;
  h.switchgear = 1e-7 * sg_out * sg_out;
  const double tr_out = sg_out + h.switchgear;
  const double s = tr_out / 0.8 / 20000;
  h.transformer = 100 + 400 * s * s;
  h.utility = tr_out + h.transformer;
  return h;
}

void check_chain(const FacilityPower& fp, const Hand& h) {
  CHECK(fp.it_w == doctest::Approx(h.it).epsilon(1e-12));
  CHECK(fp.loss_w[0] == doctest::Approx(h.busway).epsilon(1e-12));  // order of kDistributionLossStages
  CHECK(fp.loss_w[1] == doctest::Approx(h.ups).epsilon(1e-12));
  CHECK(fp.loss_w[2] == doctest::Approx(h.switchgear).epsilon(1e-12));
  CHECK(fp.loss_w[3] == doctest::Approx(h.transformer).epsilon(1e-12));
  CHECK(fp.utility_w == doctest::Approx(h.utility).epsilon(1e-12));
  CHECK(fp.utility_w == doctest::Approx(fp.it_w + fp.losses_w()).epsilon(1e-14));
  CHECK(fp.it_w == doctest::Approx(fp.it.total_w()).epsilon(1e-14));
}

std::vector<JobState> one_job(bool running, GpuPhase phase) { return {JobState{running, phase}}; }

}  // namespace

TEST_CASE("facility: tiny.json, compute phase, by hand through the whole chain") {
  const Scenario sc = test::load_tiny();
  const Facility f(sc);
  CHECK(f.vertex_count() == 11);  // meter, feeds, transformer, switchgear, UPS, busway, rack, 2 x (PSUs, node)
  std::vector<double> unit;
  const FacilityPower fp = f.evaluate(one_job(true, GpuPhase::Compute), &unit);

  // IT breakdown: GPU 1000 + 100; components 150 + 75; fans 50 + 3.2; PSU losses 240 + 100; rack 200.
  CHECK(fp.it.gpu_w == doctest::Approx(1100));
  CHECK(fp.it.cpu_w == doctest::Approx(90));
  CHECK(fp.it.memory_w == doctest::Approx(45));
  CHECK(fp.it.nic_w == doctest::Approx(30));
  CHECK(fp.it.storage_w == doctest::Approx(15));
  CHECK(fp.it.other_w == doctest::Approx(45));
  CHECK(fp.it.fan_w == doctest::Approx(53.2));
  CHECK(fp.it.psu_loss_w == doctest::Approx(340).epsilon(1e-12));
  CHECK(fp.it.rack_equipment_w == doctest::Approx(200));
  CHECK(fp.it_w == doctest::Approx(1918.2).epsilon(1e-12));

  // Upstream with P = 1918.2 W:
  //   busway      5e-7 x 1918.2^2                                   =    1.83974562 W
  //   UPS out     1918.2 + 1.83974562 = 1920.03974562 W, x = 0.192003974562
  //   UPS loss    10000 (0.01 + 0.02 x + 0.05 x^2)                   =  156.833558036 W
  //   switchgear  1e-7 x 2076.873303656^2                            =    0.431340272 W
  //   transformer out 2077.304643928 W: 100 + 400 (2077.3046 / 16000)^2 = 106.742491537 W
  //   meter       2077.304643928 + 106.742491537                     = 2184.047135465 W
  check_chain(fp, chain(1918.2));
  CHECK(fp.loss_w[0] == doctest::Approx(1.83974562).epsilon(1e-9));
  CHECK(fp.loss_w[1] == doctest::Approx(156.833558036).epsilon(1e-9));
  CHECK(fp.loss_w[2] == doctest::Approx(0.431340272).epsilon(1e-8));
  CHECK(fp.loss_w[3] == doctest::Approx(106.742491537).epsilon(1e-9));
  CHECK(fp.utility_w == doctest::Approx(2184.047135465).epsilon(1e-11));

  // Per-unit loads, for capacity checks.
  const PowerGraph& g = f.graph();
  std::map<Stage, std::vector<double>> by_stage;
  for (std::size_t v = 0; v < f.vertex_count(); ++v) by_stage[g[v].stage].push_back(unit[v]);
  CHECK(by_stage[Stage::Feed].at(0) == doctest::Approx(2184.047135465).epsilon(1e-11));
  CHECK(by_stage[Stage::Transformer].at(0) == doctest::Approx(2077.304643928).epsilon(1e-11));
  CHECK(by_stage[Stage::Switchgear].at(0) == doctest::Approx(2076.873303656).epsilon(1e-11));
  CHECK(by_stage[Stage::Ups].at(0) == doctest::Approx(1920.03974562).epsilon(1e-11));
  CHECK(by_stage[Stage::Busway].at(0) == doctest::Approx(959.1).epsilon(1e-12));  // 1918.2 / 2 units
  REQUIRE(by_stage[Stage::NodePsu].size() == 2);
  std::sort(by_stage[Stage::NodePsu].begin(), by_stage[Stage::NodePsu].end());
  CHECK(by_stage[Stage::NodePsu][0] == doctest::Approx(89.1));  // 178.2 / 2
  CHECK(by_stage[Stage::NodePsu][1] == doctest::Approx(600));   // 1200 / 2
}

TEST_CASE("facility: tiny.json, communication phase and job not running") {
  const Scenario sc = test::load_tiny();
  const Facility f(sc);
  {
    // IT = 453.2 + 278.2 + 200 = 931.4 W; GPUs 200 + 100; PSU losses at the floor, 4 x 50 W.
    const FacilityPower fp = f.evaluate(one_job(true, GpuPhase::Communication));
    CHECK(fp.it.gpu_w == doctest::Approx(300));
    CHECK(fp.it.psu_loss_w == doctest::Approx(200));
    CHECK(fp.it.fan_w == doctest::Approx(6.4));
    check_chain(fp, chain(931.4));
    CHECK(fp.utility_w == doctest::Approx(1156.6621101656).epsilon(1e-11));
  }
  {
    // Not running (whatever the phase says): both nodes idle, rack equipment idle.
    // IT = 2 x 278.2 + 100 = 656.4 W.
    const FacilityPower fp = f.evaluate(one_job(false, GpuPhase::Compute));
    CHECK(fp.it.gpu_w == doctest::Approx(200));
    CHECK(fp.it.cpu_w == doctest::Approx(60));
    CHECK(fp.it.rack_equipment_w == doctest::Approx(100));
    check_chain(fp, chain(656.4));
    CHECK(fp.utility_w == doctest::Approx(872.8941775424).epsilon(1e-11));
  }
}

TEST_CASE("facility: the multiplicity of identical groups scales power exactly") {
  // 3 identical halls with no job: every element of the chain carries 3x the groups, so the meter
  // is exactly 3x the one-hall figure (the feeds have no loss).
  const Scenario one = test::load_tiny({"jobs=[]"});
  const Scenario three = test::load_tiny({"jobs=[]", "campus.halls.0.count=3"});
  const Facility f1(one), f3(three);
  CHECK(f3.vertex_count() == f1.vertex_count());  // grouped, not copied
  const FacilityPower p1 = f1.evaluate({}), p3 = f3.evaluate({});
  check_chain(p1, chain(656.4));
  CHECK(p3.utility_w == doctest::Approx(3 * p1.utility_w).epsilon(1e-13));
  CHECK(p3.it_w == doctest::Approx(3 * 656.4).epsilon(1e-13));
}

TEST_CASE("facility: evaluate refuses a state vector that is not one state per cohort") {
  const Scenario sc = test::load_tiny();
  const Facility f(sc);
  REQUIRE(f.cohorts() == 1);
  CHECK_THROWS_WITH_AS(f.evaluate({}), doctest::Contains("0 job states for 1 cohorts"), std::invalid_argument);
  std::vector<JobState> two = one_job(true, GpuPhase::Compute);
  two.push_back(two.front());
  CHECK_THROWS_AS(f.evaluate(two), std::invalid_argument);
  CHECK_NOTHROW(f.evaluate(one_job(true, GpuPhase::Compute)));
  CHECK_NOTHROW(f.evaluate_nameplate());
}

TEST_CASE("facility: placement splits groups where a job covers part of them") {
  // 3 racks of 2 one-GPU nodes; a 3-GPU job: rack 1 whole, rack 2 half, rack 3 idle.
  const Scenario sc = test::load_tiny({"campus.halls.0.rows.0.racks.0.count=3", "jobs.0.gpus=3"});
  const Facility f(sc);
  CHECK(f.job_gpus(0) == 3);
  const PowerGraph& g = f.graph();
  std::int64_t job_nodes = 0, idle_nodes = 0, racks = 0;
  int rack_vertices = 0;
  std::vector<std::int64_t> job_groups;
  for (std::size_t v = 0; v < f.vertex_count(); ++v) {
    const Element& e = g[v];
    if (e.stage == Stage::Rack) {
      ++rack_vertices;
      racks += e.multiplicity;
      CHECK(e.multiplicity == 1);
    }
    if (e.stage == Stage::Node) {
      (e.job == 0 ? job_nodes : idle_nodes) += e.multiplicity;
      if (e.job == 0) job_groups.push_back(e.multiplicity);
    }
  }
  CHECK(rack_vertices == 3);  // the group of 3 racks split into 1 + 1 + 1
  CHECK(racks == 3);
  CHECK(job_nodes == 3);
  CHECK(idle_nodes == 3);
  std::sort(job_groups.begin(), job_groups.end());
  CHECK(job_groups == std::vector<std::int64_t>{1, 2});  // 2 nodes of rack 1, 1 node of rack 2

  // Power, compute phase: rack 1 = 2 x 1440 + 200 = 3080 W; rack 2 = 1440 + 278.2 + 200 = 1918.2 W;
  // rack 3 = 656.4 W. IT = 5654.6 W.
  const FacilityPower fp = f.evaluate(one_job(true, GpuPhase::Compute));
  CHECK(fp.it_w == doctest::Approx(5654.6).epsilon(1e-12));
  CHECK(fp.it.gpu_w == doctest::Approx(3 * 1000 + 3 * 100));
}

TEST_CASE("facility: a group of identical racks fully used stays one group") {
  // 4 racks, a 4-GPU job: racks 1-2 whole in the job (one group x2), racks 3-4 idle (one group x2).
  const Scenario sc = test::load_tiny({"campus.halls.0.rows.0.racks.0.count=4", "jobs.0.gpus=4"});
  const Facility f(sc);
  int rack_vertices = 0;
  for (std::size_t v = 0; v < f.vertex_count(); ++v)
    if (f.graph()[v].stage == Stage::Rack) {
      ++rack_vertices;
      CHECK(f.graph()[v].multiplicity == 2);
    }
  CHECK(rack_vertices == 2);
}

TEST_CASE("facility: a job that is not whole nodes is an InputError naming $.jobs[0].gpus") {
  // Two-GPU nodes, 4 GPUs in all; a 3-GPU job cannot be made of whole nodes.
  const Scenario sc = test::load_tiny({"node_types.n1.gpus=2", "jobs.0.gpus=3"});
  CHECK(sc.total_gpus() == 4);
  try {
    Facility f(sc);
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    REQUIRE(e.problems().size() == 1);
    const Problem& p = e.problems().list()[0];
    CHECK(p.file == test::tiny_path());
    CHECK(p.where == "$.jobs[0].gpus");
    CHECK(p.found.find("1 GPUs could not be placed") != std::string::npos);
  }
}

TEST_CASE("facility: a second job that does not fit the nodes left free is an InputError") {
  // Two 1-GPU jobs on 2 nodes fit; with 2-GPU nodes, job 0 takes 2 GPUs (one node) and job 1 asks
  // for 1 GPU: only a whole 2-GPU node is left.
  const std::string job = R"({"name": "%", "kind": "training", "gpus": G, "start_s": 0, "stop_s": null,
                              "step": [{"phase": "compute", "duration_s": 1}]})";
  auto make = [&](const std::string& name, int gpus) {
    std::string s = job;
    s.replace(s.find('%'), 1, name);
    s.replace(s.find('G'), 1, std::to_string(gpus));
    return s;
  };
  const Scenario ok = test::load_tiny({"jobs=[" + make("a", 1) + "," + make("b", 1) + "]"});
  CHECK_NOTHROW(Facility{ok});
  const Scenario bad = test::load_tiny({"node_types.n1.gpus=2", "jobs=[" + make("a", 2) + "," + make("b", 1) + "]"});
  CHECK_THROWS_WITH_AS(Facility{bad}, doctest::Contains("$.jobs[1].gpus"), InputError);
}

TEST_CASE("facility: shipped scenarios stay small graphs with every GPU accounted for") {
  for (const auto& path : test::shipped_scenarios()) {
    CAPTURE(path);
    const Scenario sc = load_scenario_file(path);
    const Facility f(sc);
    std::int64_t gpus = 0, in_jobs = 0;
    for (std::size_t v = 0; v < f.vertex_count(); ++v) {
      const Element& e = f.graph()[v];
      if (e.stage != Stage::Node) continue;
      const std::int64_t n = e.multiplicity * sc.node_types[static_cast<std::size_t>(e.node_type)].server.gpus;
      gpus += n;
      if (e.job >= 0) in_jobs += n;
    }
    CHECK(gpus == sc.total_gpus());
    std::int64_t asked = 0;
    for (std::size_t j = 0; j < sc.jobs.size(); ++j) {
      CHECK(f.job_gpus(static_cast<int>(j)) == sc.jobs[j].gpus);
      asked += sc.jobs[j].gpus;
    }
    CHECK(in_jobs == asked);
    CHECK(f.vertex_count() < 500);
  }
}

TEST_CASE("facility: the 100K-GPU campus is under 500 vertices") {
  const Scenario sc = load_scenario_file(test::source_path("scenarios/campus-100k-h100.json"));
  CHECK(sc.total_gpus() == 102400);
  const Facility f(sc);
  CHECK(f.vertex_count() < 500);
  CHECK(f.vertex_count() > 10);
}

TEST_CASE("facility: racks without supply draw nothing (FacilityEvaluator::set_rack_unpowered), by hand through the chain") {
  // 3 racks: the job's (its node communicating, the other idle: 931.4 W, above) and a group of 2
  // idle racks (656.4 W each). All three: IT = 931.4 + 2 x 656.4 = 2244.2 W.
  const Scenario sc = test::load_tiny({"campus.halls.0.rows.0.racks.0.count=3"});
  const Facility f(sc);
  Vertex job_rack{}, idle_racks{}, busway{};
  int racks = 0;
  for (auto [it, end] = boost::vertices(f.graph()); it != end; ++it) {
    if (f.graph()[*it].stage == Stage::Busway) busway = *it;
    if (f.graph()[*it].stage != Stage::Rack) continue;
    ++racks;
    (f.graph()[*it].multiplicity == 2 ? idle_racks : job_rack) = *it;
  }
  REQUIRE(racks == 2);
  REQUIRE(f.graph()[idle_racks].multiplicity == 2);
  const auto state = one_job(true, GpuPhase::Communication);
  FacilityEvaluator plain(f);
  const FacilityPower all = plain.update(state);
  check_chain(all, chain(2244.2));

  FacilityEvaluator ev(f);
  ev.update(state);
  // A share of 0 changes nothing, bit for bit.
  ev.set_rack_unpowered(idle_racks, 0.0);
  FacilityPower p = ev.update(state);
  CHECK(p.utility_w == all.utility_w);
  CHECK(p.it_w == all.it_w);
  // One of the two idle racks off: IT = 931.4 + 656.4 = 1587.8 W; GPUs 200 + 100 (the job's rack)
  // + 2 x 100 (the idle rack left) = 500 W of 700 W.
  ev.set_rack_unpowered(idle_racks, 0.5);
  p = ev.update(state);
  check_chain(p, chain(1587.8));
  CHECK(all.it.gpu_w == doctest::Approx(700.0).epsilon(1e-12));
  CHECK(p.it.gpu_w == doctest::Approx(500.0).epsilon(1e-12));
  CHECK(ev.unit_load_w()[idle_racks] == doctest::Approx(656.4 / 2).epsilon(1e-12));  // the group's mean rack
  CHECK(ev.unit_load_w()[busway] == doctest::Approx(1587.8 / 2).epsilon(1e-12));   // 2 busway units share it
  // Both off: the job's rack alone, 931.4 W.
  ev.set_rack_unpowered(idle_racks, 1.0);
  p = ev.update(state);
  check_chain(p, chain(931.4));
  CHECK(p.it.rack_equipment_w == doctest::Approx(200.0).epsilon(1e-12));
  // The job's rack off and the idle racks back: 2 x 656.4 = 1312.8 W; every rack off: IT 0, the
  // chain's no-load losses alone (UPS 100 W, transformer 100 W + its load loss).
  ev.set_rack_unpowered(idle_racks, 0.0);
  ev.set_rack_unpowered(job_rack, 1.0);
  p = ev.update(state);
  check_chain(p, chain(1312.8));
  ev.set_rack_unpowered(idle_racks, 1.0);
  p = ev.update(state);
  CHECK(p.it_w == 0.0);
  CHECK(p.it.total_w() == 0.0);
  check_chain(p, chain(0.0));
  // Back on: the full evaluation again (to rounding of the incremental sums).
  ev.set_rack_unpowered(idle_racks, 0.0);
  ev.set_rack_unpowered(job_rack, 0.0);
  p = ev.update(state);
  CHECK(p.utility_w == doctest::Approx(all.utility_w).epsilon(1e-14));
  // Only rack vertices, and shares in [0, 1].
  CHECK_THROWS_AS(ev.set_rack_unpowered(busway, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(ev.set_rack_unpowered(job_rack, 1.5), std::invalid_argument);
}
