// Training dynamics on tests/data/tiny.json (one 1-GPU job on one of two 1-GPU nodes; toy GPU
// 1000 W compute, 200 W communication, 100 W idle, 190 W checkpoint; step 1 s + 1 s):
// dominant frequency, failures and goodput, checkpoints, power caps, smoothing, start ramp,
// inference load, model-derived steps, determinism.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/run.h"
#include "sim/output/spectrum.h"
#include "tests/support.h"

using namespace dctwin;
using power::GpuPhase;

namespace {

RunResult run_tiny(std::vector<std::string> overrides) {
  const Scenario sc = test::load_tiny(std::move(overrides));
  return run_scenario(sc);
}

std::vector<double> series(const RunResult& r, int column) {
  std::vector<double> v(r.engine.recorder.bin_count());
  for (std::size_t k = 0; k < v.size(); ++k) v[k] = r.engine.recorder.bin_mean_w(k, column);
  return v;
}

}  // namespace

TEST_CASE("dynamics: the step period is the dominant frequency of facility power") {
  // Step 1 s + 1 s: 0.5 Hz. 200 s at 0.1 s: 2000 samples, bin 200 of the periodogram.
  const RunResult r = run_tiny({"simulation.duration_s=200", "simulation.output_step_s=0.1"});
  REQUIRE(!r.summary["dominant_frequency_hz"].is_null());
  CHECK(r.summary["dominant_frequency_hz"].get<double>() == doctest::Approx(0.5).epsilon(1e-9));
  CHECK(r.summary["step_period_s"].get<double>() == doctest::Approx(2.0).epsilon(1e-12));
  // A 3 s step (1 s + 2 s) moves the peak to 1/3 Hz (bin 2000 * 0.1 / 3 is not whole: nearest bin).
  const RunResult r3 = run_tiny({"simulation.duration_s=300", "simulation.output_step_s=0.1", "jobs.0.step.1.duration_s=2"});
  CHECK(r3.summary["dominant_frequency_hz"].get<double>() == doctest::Approx(1.0 / 3.0).epsilon(2e-3));
}

TEST_CASE("dynamics: swing is the compute-to-communication amplitude at the meter") {
  // Facility power in compute and communication (test_facility.cpp): 2184.047135465 W and
  // 1156.662110166 W; half the time each, so the 5th and 95th percentiles are those levels.
  const RunResult r = run_tiny({"simulation.duration_s=100", "simulation.output_step_s=0.5"});
  CHECK(r.summary["swing_mw"].get<double>() * 1e6 == doctest::Approx(2184.047135465 - 1156.662110166).epsilon(1e-9));
}

TEST_CASE("dynamics: a failure drops the job to idle within one step, restarts and reloads") {
  // Node MTBF 0.01 h = 36 s, one node: a failure every 36 s on average. Restart 5 s at idle
  // (GPU 100 W, node still allocated: components active), reload 3 s at checkpoint power.
  const RunResult r = run_tiny({"simulation.duration_s=400", "simulation.output_step_s=0.01",
                                R"(jobs.0.failures={"node_mtbf_h":0.01,"restart_s":5,"reload_s":3})"});
  const json& job = r.summary["jobs"][0];
  REQUIRE(job["failures"].get<int>() >= 2);
  CHECK(r.summary["failures"] == job["failures"]);
  // Expected meter power while restarting: the job's node active with its GPU at idle.
  const Scenario sc = test::load_tiny();
  const Facility f(sc);
  const double restarting_w = f.evaluate({JobState{true, GpuPhase::Idle, 100.0, 1.0}}).utility_w;
  const double t_fail = job["failure_times_s"][0].get<double>();
  const auto& rec = r.engine.recorder;
  // One step (2 s) after the failure the meter reads the restart level.
  const std::size_t k = static_cast<std::size_t>((t_fail + 1.0) / 0.01);
  CHECK(rec.bin_mean_w(k, kUtility) == doctest::Approx(restarting_w).epsilon(1e-12));
  // And 6 s after (in the 3 s reload) at checkpoint power.
  const double reload_w = f.evaluate({JobState{true, GpuPhase::Checkpoint, 190.0, 1.0}}).utility_w;
  const std::size_t k2 = static_cast<std::size_t>((t_fail + 6.5) / 0.01);
  if (job["failures"].get<int>() > 0 && (job["failure_times_s"].size() < 2 || job["failure_times_s"][1].get<double>() > t_fail + 8))
    CHECK(rec.bin_mean_w(k2, kUtility) == doctest::Approx(reload_w).epsilon(1e-12));
  // Goodput: with no checkpoints every failure loses all progress so far.
  const double goodput = job["goodput"].get<double>();
  CHECK(goodput >= 0.0);
  CHECK(goodput < 0.5);
  const double useful = (job["steps_completed"].get<double>() - job["steps_lost"].get<double>()) * 2.0;
  CHECK(goodput == doctest::Approx(useful / 400.0).epsilon(1e-12));
}

TEST_CASE("dynamics: failures are seeded: same seed same times, another seed other times") {
  const std::vector<std::string> base = {"simulation.duration_s=400", R"(jobs.0.failures={"node_mtbf_h":0.01,"restart_s":5,"reload_s":3})"};
  auto with_seed = [&](int seed) {
    auto o = base;
    o.push_back("simulation.seed=" + std::to_string(seed));
    return run_tiny(o).summary["jobs"][0]["failure_times_s"];
  };
  CHECK(with_seed(1) == with_seed(1));
  CHECK(with_seed(1) != with_seed(2));
}

TEST_CASE("dynamics: checkpoints every interval, at checkpoint power, bound the work lost") {
  // Checkpoint after the step that crosses each 10 s of training, 1 s long: steps end at 2, 4, ...
  // 10 s -> checkpoint 10..11, then steps 11..13, ..., 21 -> checkpoint 21..22, ... In 100 s:
  // checkpoints at 10, 21, 32, 43, 54, 65, 76, 87, 98 -> 9 completed (the 9th ends at 99 s).
  const RunResult r = run_tiny({"simulation.duration_s=100", R"(jobs.0.checkpoint={"interval_s":10,"duration_s":1})"});
  const json& job = r.summary["jobs"][0];
  CHECK(job["checkpoint_count"].get<int>() == 9);
  CHECK(r.summary["checkpoint_count"].get<int>() == 9);
  // 100 s = 9 checkpoints (9 s) + 45 full steps (90 s) + 1 s of an unfinished step.
  CHECK(job["steps_completed"].get<int>() == 45);
  CHECK(job["goodput"].get<double>() == doctest::Approx(90.0 / 100.0).epsilon(1e-12));
}

TEST_CASE("dynamics: a power cap slows the compute-bound phase by the DVFS relation") {
  // Cap 550 W, static (idle) 100 W, compute 1000 W, exponent 3:
  //   f/f0 = ((550-100)/(1000-100))^(1/3) = 0.5^(1/3) = 0.793700526; slowdown 1.259921050
  //   compute 1 s -> 1.259921050 s at 550 W; communication (200 W) under the cap: unchanged.
  const RunResult r = run_tiny({R"(jobs.0.power_cap={"gpu_w":550})"});
  const json& job = r.summary["jobs"][0];
  CHECK(job["power_cap_slowdown"].get<double>() == doctest::Approx(1.259921050).epsilon(1e-9));
  CHECK(job["step_phases"][0]["duration_s"].get<double>() == doctest::Approx(1.259921050).epsilon(1e-8));
  CHECK(job["step_phases"][0]["gpu_w"].get<double>() == 550.0);
  CHECK(job["step_phases"][1]["duration_s"].get<double>() == 1.0);
  CHECK(job["step_phases"][1]["gpu_w"].get<double>() == 200.0);
  CHECK(job["step_period_s"].get<double>() == doctest::Approx(2.259921050).epsilon(1e-8));
  // Goodput counts progress in uncapped steps (2 s): in the 10 s run, floor(10 / 2.259921050) = 4
  // steps complete, worth 4 x 2 s of uncapped work: 8 / 10 (not 4 x 2.2599 / 10 = 0.904).
  CHECK(job["steps_completed"].get<int>() == 4);
  CHECK(job["goodput"].get<double>() == doctest::Approx(0.8).epsilon(1e-12));
  // Energy per step falls: 550 * 1.2599 + 200 = 892.96 J against 1000 + 200 = 1200 J per GPU.
  CHECK(r.summary["peak_gpu_mw"].get<double>() * 1e6 == doctest::Approx(550.0 + 100.0).epsilon(1e-12));
  // Exponent 2: slowdown 0.5^(-1/2) = 1.414213562.
  const RunResult r2 = run_tiny({R"(jobs.0.power_cap={"gpu_w":550,"dvfs_exponent":2})"});
  CHECK(r2.summary["jobs"][0]["power_cap_slowdown"].get<double>() == doctest::Approx(1.414213562).epsilon(1e-9));
}

TEST_CASE("dynamics: smoothing holds the floor and never exceeds its ramp rates") {
  // Floor 50 % of TDP = 500 W; ramps 2000 W/s up, 1000 W/s down, quantum 10 ms, no hysteresis.
  // One GPU, so the GPU column (W) is the smoothed power of that GPU plus the idle GPU (100 W).
  const std::vector<std::string> smooth = {
      "simulation.duration_s=40", "simulation.output_step_s=0.01",
      R"(jobs.0.smoothing={"floor_pct_tdp":50,"ramp_up_w_per_s":2000,"ramp_down_w_per_s":1000})"};
  const RunResult r = run_tiny(smooth);
  const auto gpu = series(r, kGpu);
  double max_up = 0, max_down = 0, min_w = 1e9;
  for (std::size_t k = 1; k < gpu.size(); ++k) {
    max_up = std::max(max_up, (gpu[k] - gpu[k - 1]) / 0.01);
    max_down = std::max(max_down, (gpu[k - 1] - gpu[k]) / 0.01);
  }
  for (std::size_t k = 100; k < gpu.size(); ++k) min_w = std::min(min_w, gpu[k]);
  CHECK(max_up <= 2000.0 * (1 + 1e-9));
  CHECK(max_down <= 1000.0 * (1 + 1e-9));
  CHECK(max_up > 1500.0);  // the ramps are actually used
  CHECK(min_w >= 500.0 + 100.0 - 1e-6);  // the floor (plus the idle GPU)
  // Mitigation energy = GPU energy with smoothing - without, exactly.
  const RunResult plain = run_tiny({"simulation.duration_s=40", "simulation.output_step_s=0.01"});
  const double extra_mwh = r.summary["gpu_energy_mwh"].get<double>() - plain.summary["gpu_energy_mwh"].get<double>();
  CHECK(r.summary["mitigation_energy_mwh"].get<double>() == doctest::Approx(extra_mwh).epsilon(1e-9));
  CHECK(extra_mwh > 0);
  // Hand computation of one steady step: demand 1000 W for 1 s, then 200 W for 1 s; the target
  // in communication is max(200, 500) = 500 W.
  //   fall 1000 -> 500 at 1000 W/s takes 0.5 s: above demand by ((1000+500)/2 - 200) * 0.5 = 275 J
  //   then at the 500 W floor for 0.5 s:           (500 - 200) * 0.5                  = 150 J
  //   rise 500 -> 1000 at 2000 W/s takes 0.25 s into compute, below demand by
  //                                                0.5 * 0.25 * 500                  = -62.5 J
  //   per step 362.5 J (the staircase differs from the linear ramp by under one quantum).
  // 20 steps in 40 s; the first starts from idle (100 W, rise 0.45 s): close to, not exactly, 20x.
  const double per_step_j = r.summary["mitigation_energy_mwh"].get<double>() * 3.6e9 / 20.0;
  CHECK(per_step_j == doctest::Approx(362.5).epsilon(0.02));
}

TEST_CASE("dynamics: hysteresis holds power through short communication phases") {
  // Hysteresis 1.5 s is longer than the 1 s communication phase: the GPU never ramps down after
  // the first compute phase, so the GPU column stays at 1000 W (+100 W idle GPU) from then on.
  const RunResult r = run_tiny({"simulation.duration_s=20", "simulation.output_step_s=0.1",
                                R"(jobs.0.smoothing={"floor_pct_tdp":0,"ramp_up_w_per_s":0,"ramp_down_w_per_s":1000,"hysteresis_s":1.5})"});
  const auto gpu = series(r, kGpu);
  for (std::size_t k = 0; k < gpu.size(); ++k) CHECK(gpu[k] == doctest::Approx(1100.0).epsilon(1e-12));
}

TEST_CASE("dynamics: a start ramp brings the job's nodes in over start_ramp_s") {
  // Two-GPU job over both nodes, 10 s ramp in 20 increments of 0.5 s: during [0, 0.5) 1/20 of the
  // nodes run; the GPU column in the first 0.5 s compute phase is 2 * (1000/20 + 100 * 19/20).
  const RunResult r = run_tiny({"simulation.duration_s=20", "simulation.output_step_s=0.5", "jobs.0.gpus=2", "jobs.0.start_ramp_s=10"});
  REQUIRE(r.engine.recorder.bin_count() == 40);
  const auto gpu = series(r, kGpu);
  CHECK(gpu[0] == doctest::Approx(2 * (1000.0 / 20 + 100.0 * 19 / 20)).epsilon(1e-12));
  CHECK(gpu[1] == doctest::Approx(2 * (1000.0 * 2 / 20 + 100.0 * 18 / 20)).epsilon(1e-12));
  // t = 8.0..8.5 s is compute with 17/20 of the nodes running: 2 * (1000 * 17/20 + 100 * 3/20).
  CHECK(gpu[16] == doctest::Approx(2 * (1000.0 * 17 / 20 + 100.0 * 3 / 20)).epsilon(1e-12));
  // From 10 s on, all nodes run: compute at 2 x 1000 W.
  CHECK(gpu[20] == doctest::Approx(2000.0).epsilon(1e-12));
}

TEST_CASE("dynamics: an inference service follows its diurnal load") {
  // u(h) = 0.2 + 0.6 (1 + cos(2 pi (h - 14)/24)) / 2: at 14 h u = 0.8, at 2 h u = 0.2: the request
  // rate is u / c per GPU (models/workload/llm_serving.h, default figures, 1000 + 300 tokens):
  //   c = 1000 / 30800 + 300 (5.99e-3 + 256 x 5.62e-5) / 256 GPU-s per request
  //   f_p = u (1000 / 30800) / c; decode keeps up with a batch b between 1 and 256 (checked below:
  //   b = 85 at 14 h, 7.7 at 2 h), running back to back in the time prefill leaves: f_d = 1 - f_p.
  //   14 h: 694.4 W; 2 h: 498.3 W.
  // GPU power = 100 + f_p 900 + f_d 0.37 x 900 (plus the idle GPU's 100 W).
  const RunResult r = run_tiny({"simulation.duration_s=86400", "simulation.output_step_s=3600",
                                R"(jobs.0={"name":"chat","kind":"inference","gpus":1,"start_s":0,"stop_s":null,)"
                                R"("inference":{"min_utilization":0.2,"max_utilization":0.8,"peak_hour":14,"update_s":3600}})"});
  const double t0 = 5.99e-3, t1 = 5.62e-5, prefill_s = 1000.0 / 30800;
  const double c = prefill_s + 300 * (t0 + 256 * t1) / 256;
  const auto gpu_w = [&](double u) {
    const double fp = u * prefill_s / c, d = u / c * 300, b = d * t0 / (1 - fp - d * t1);
    CHECK(b > 1);
    CHECK(b < 256);
    return 100 + fp * 900 + (1 - fp) * 0.37 * 900;
  };
  const auto gpu = series(r, kGpu);
  CHECK(gpu[14] == doctest::Approx(gpu_w(0.8) + 100.0).epsilon(1e-9));
  CHECK(gpu[2] == doctest::Approx(gpu_w(0.2) + 100.0).epsilon(1e-9));
  CHECK(r.summary["goodput"].is_null());  // no training job
  // 24 h of output tokens at u/c x 300 per second, each hour at its start's u.
  double tokens = 0;
  for (int h = 0; h < 24; ++h) tokens += (0.2 + 0.6 * 0.5 * (1 + std::cos(2 * M_PI * (h - 14) / 24.0))) / c * 300 * 3600;
  CHECK(r.summary["jobs"][0]["output_tokens"].get<double>() == doctest::Approx(tokens).epsilon(1e-9));
}

TEST_CASE("dynamics: a model-described job derives its step from 6 N T FLOPs and the network") {
  // 1e9 parameters, 1e5 tokens/step, 1 GPU (tp = pp = dp = 1), toy peak 100 TFLOP/s, MFU 0.5
  // (end to end):
  //   period = 6 * 1e9 * 1e5 / (1 * 100e12 * 0.5) = 12 s
  //   dp = 1: no all-reduce; pp = 1: no bubble, no pipeline transfers
  //   optimizer = 1e9 * 16 B / 2000 GB/s = 8 ms; compute = 12 - 0.008 = 11.992 s
  const std::string net = R"(campus.network={"gpus_per_nvlink_domain":1,"nvlink_gb_s":450,"nvlink_latency_us":1,"nics_per_node":1,"nic_gbit_s":400,"link_latency_us":2})";
  const std::string model = R"(jobs.0={"name":"m","kind":"training","gpus":1,"start_s":0,"stop_s":null,"model":{"parameters":1e9,"tokens_per_step":1e5,"sequence_length":1000,"tensor_parallel":1,"pipeline_parallel":1,"mfu":0.5,"overlap":0,"memory_bandwidth_gb_s":2000}})";
  const RunResult r = run_tiny({"simulation.duration_s=100", net, model});
  const json& m = r.summary["jobs"][0]["model"];
  CHECK(m["compute_s"].get<double>() == doctest::Approx(11.992).epsilon(1e-12));
  CHECK(m["optimizer_s"].get<double>() == doctest::Approx(0.008).epsilon(1e-12));
  CHECK(m["dp_allreduce_s"].get<double>() == 0.0);
  CHECK(r.summary["jobs"][0]["step_period_s"].get<double>() == doctest::Approx(12.0).epsilon(1e-12));
  // Two GPUs in data parallel over two nodes (NVLink domain = the 1-GPU node; 1 NIC of 50 GB/s),
  // 2 B gradients:
  //   S = 2e9 B; timed with SimGrid: bandwidth 2(2-1)/2 * 2e9 / 50e9 = 0.04 s, plus latency: each
  //   of the 2(N-1) = 2 ring steps crosses a 2-hop route (node - leaf switch - node) of 2 us per
  //   hop: 2 * 4e-6 s -> 0.040008 s; overlap 0.5 -> 0.020004 s exposed.
  const RunResult r2 = run_tiny({"simulation.duration_s=100", net, model, "jobs.0.gpus=2", "jobs.0.model.overlap=0.5"});
  const json& m2 = r2.summary["jobs"][0]["model"];
  CHECK(m2["data_parallel"].get<int>() == 2);
  // Period 6 s end to end: compute = 6 - 0.020004 - 0.008 = 5.971996 s.
  CHECK(m2["compute_s"].get<double>() == doctest::Approx(5.971996).epsilon(1e-9));
  CHECK(m2["communication_timing"] == "simgrid");
  CHECK(m2["dp_allreduce_s"].get<double>() == doctest::Approx(0.040008).epsilon(1e-9));
  CHECK(m2["exposed_dp_allreduce_s"].get<double>() == doctest::Approx(0.020004).epsilon(1e-9));
}

TEST_CASE("dynamics: a pipelined job's staggered bubbles ride in the compute span at the stages' mean power") {
  // 2 GPUs, TP 1, PP 2 (DP 1, no all-reduce), 4e4 tokens of 1000-token samples, micro-batch 10:
  //   m = 4e4 / (1 x 1000 x 10) = 4 micro-batches, bubble ratio 1/4
  //   period = 6 x 1e9 x 4e4 / (2 x 100e12 x 0.5) = 2.4 s (end-to-end MFU)
  //   pipeline transfers 2 x (10 x 1000 x 1000 x 2 B / 50e9 B/s + 2 us) = 8.04e-4 s
  //   optimizer = 1e9 / 2 x 16 B / 2000 GB/s = 0.004 s
  //   compute = (2.4 - 8.04e-4 - 0.004) / 1.25 = 1.9161568 s, bubble 0.4790392 s
  //   span = 2.395196 s at 0.8 x 1000 W + 0.2 x 200 W = 840 W; the job-wide wait is 8.04e-4 s
  const std::string net = R"(campus.network={"gpus_per_nvlink_domain":1,"nvlink_gb_s":450,"nvlink_latency_us":1,"nics_per_node":1,"nic_gbit_s":400,"link_latency_us":2})";
  const std::string model = R"(jobs.0={"name":"m","kind":"training","gpus":2,"start_s":0,"stop_s":null,"model":{"parameters":1e9,"tokens_per_step":4e4,"sequence_length":1000,"micro_batch":10,"tensor_parallel":1,"pipeline_parallel":2,"hidden_size":1000,"mfu":0.5,"overlap":0,"memory_bandwidth_gb_s":2000}})";
  const RunResult r = run_tiny({"simulation.duration_s=20", net, model});
  const json& job = r.summary["jobs"][0];
  CHECK(job["model"]["compute_s"].get<double>() == doctest::Approx(1.9161568).epsilon(1e-9));
  CHECK(job["model"]["pipeline_bubble_s"].get<double>() == doctest::Approx(0.4790392).epsilon(1e-9));
  CHECK(job["step_period_s"].get<double>() == doctest::Approx(2.4).epsilon(1e-9));
  CHECK(job["step_phases"][0]["duration_s"].get<double>() == doctest::Approx(2.395196).epsilon(1e-9));
  CHECK(job["step_phases"][0]["gpu_w"].get<double>() == doctest::Approx(840.0).epsilon(1e-12));
  CHECK(job["step_phases"][1]["duration_s"].get<double>() == doctest::Approx(8.04e-4).epsilon(1e-6));
}

TEST_CASE("dynamics: an end-to-end MFU that leaves no compute time is an input error") {
  // 2 GPUs in DP, 1e3 tokens: the period at MFU 1 is 6 x 1e9 x 1e3 / (2 x 100e12) = 0.03 s, less
  // than the exposed all-reduce (0.040008 s) plus the optimizer (0.008 s).
  const std::string net = R"(campus.network={"gpus_per_nvlink_domain":1,"nvlink_gb_s":450,"nvlink_latency_us":1,"nics_per_node":1,"nic_gbit_s":400,"link_latency_us":2})";
  const std::string model = R"(jobs.0={"name":"m","kind":"training","gpus":2,"start_s":0,"stop_s":null,"model":{"parameters":1e9,"tokens_per_step":1e3,"sequence_length":1000,"tensor_parallel":1,"pipeline_parallel":1,"mfu":1,"overlap":0,"memory_bandwidth_gb_s":2000}})";
  CHECK_THROWS_AS(run_tiny({net, model}), InputError);
}

TEST_CASE("dynamics: a model-described job without a network, or with bad parallelism, is an input error") {
  const std::string model = R"(jobs.0={"name":"m","kind":"training","gpus":2,"start_s":0,"stop_s":null,"model":{"parameters":1e9,"tokens_per_step":1e5,"sequence_length":1000,"tensor_parallel":1,"pipeline_parallel":1,"mfu":0.5,"overlap":0,"memory_bandwidth_gb_s":2000}})";
  CHECK_THROWS_AS(test::load_tiny({model}), InputError);
  const std::string net = R"(campus.network={"gpus_per_nvlink_domain":1,"nvlink_gb_s":450,"nvlink_latency_us":1,"nics_per_node":1,"nic_gbit_s":400,"link_latency_us":2})";
  CHECK_THROWS_AS(run_tiny({net, model, "jobs.0.model.tensor_parallel=4"}), InputError);
}

TEST_CASE("dynamics: energy balance holds with every dynamic feature at once") {
  const RunResult r = run_tiny({"simulation.duration_s=300", "simulation.output_step_s=0.05", "jobs.0.gpus=2", "jobs.0.start_ramp_s=7",
                                R"(jobs.0.failures={"node_mtbf_h":0.02,"restart_s":4,"reload_s":2})",
                                R"(jobs.0.checkpoint={"interval_s":20,"duration_s":1.5})",
                                R"(jobs.0.power_cap={"gpu_w":800})",
                                R"(jobs.0.smoothing={"floor_pct_tdp":30,"ramp_up_w_per_s":3000,"ramp_down_w_per_s":1500,"hysteresis_s":0.3})"});
  CHECK(r.summary["energy_balance_rel_error"].get<double>() <= 1e-9);
  // Interval energies add up to the totals (the recorder's bins are exact).
  double bins_j = 0;
  for (std::size_t k = 0; k < r.engine.recorder.bin_count(); ++k)
    bins_j += r.engine.recorder.bin_mean_w(k, kUtility) * to_seconds(r.engine.recorder.bin_length(k));
  CHECK(bins_j == doctest::Approx(r.engine.recorder.energy_j()[kUtility]).epsilon(1e-9));
}

TEST_CASE("dynamics: a checkpoint's pause can come from its size and the storage bandwidth") {
  // 10 GB at 10 GB/s: 1 s, the same as duration_s = 1 in the checkpoint test above: 9 checkpoints.
  const RunResult r = run_tiny({"simulation.duration_s=100", R"(jobs.0.checkpoint={"interval_s":10,"size_gb":10,"write_gb_s":10})"});
  CHECK(r.summary["jobs"][0]["checkpoint_count"].get<int>() == 9);
  CHECK_THROWS_AS(test::load_tiny({R"(jobs.0.checkpoint={"interval_s":10,"duration_s":1,"size_gb":10,"write_gb_s":10})"}), InputError);
  CHECK_THROWS_AS(test::load_tiny({R"(jobs.0.checkpoint={"interval_s":10,"size_gb":10})"}), InputError);
}
