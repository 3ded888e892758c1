#include "sim/jobs/job_plan.h"

#include <algorithm>
#include <cmath>

#include "models/power/power_cap.h"
#include "sim/jobs/network_timing.h"

namespace dctwin {

namespace {

// The DP gradient all-reduce of a model-described job as a SimGrid request: the data-parallel
// peers of one (tensor, pipeline) rank, with Megatron's rank order (tensor fastest, then
// pipeline, then data).
CollectiveRequest dp_request(const TrainingModelSpec& m, int dp, int gpus_per_node, int domain, int first_node) {
  const auto& s = m.shape;
  const int mp = s.tp * s.pp;  // GPUs between consecutive members of a DP group
  CollectiveRequest r;
  r.kind = Collective::AllReduce;
  r.group_size = dp;
  r.bytes = workload::dp_gradient_bytes(s, m.gradient_bytes_per_param);
  r.inside_nvlink_domain = static_cast<std::int64_t>(mp) * dp <= domain;
  r.ranks_per_node = mp >= gpus_per_node ? 1 : std::min(dp, gpus_per_node / mp);
  r.stride_nodes = std::max(1, mp / gpus_per_node);
  r.first_node = first_node;
  return r;
}

// Pipeline fill and drain: 2 (pp - 1) activation transfers of micro_batch * seq * hidden bf16
// over one NIC (analytic: point-to-point, no contention).
double pp_comm_s(const Scenario& sc, const TrainingModelSpec& m) {
  const auto& s = m.shape;
  if (s.pp <= 1) return 0.0;
  const double act_bytes = s.micro_batch * s.sequence_length * m.hidden_size * 2.0;
  return 2.0 * (s.pp - 1) * (act_bytes / sc.network->nic_bytes_s + sc.network->link_latency_s);
}

// The DVFS curve a job's cap follows: an explicit dvfs_exponent (no knee, P_s = idle), else the
// profile's fitted curve, else exponent 3.
power::DvfsCurve cap_curve(const power::GpuProfile& g, const PowerCapSpec& cap) {
  if (!cap.dvfs_exponent && g.power_cap) return *g.power_cap;
  return power::DvfsCurve{g.idle_w, cap.dvfs_exponent.value_or(3.0), 0.0};
}

// Step phases with the job's power cap applied (compute-bound phases slow down by DVFS).
void set_step(const Scenario& sc, const JobSpec& job, JobPlan& p, const std::vector<JobPhaseSpec>& phases) {
  const power::GpuProfile& g = sc.profiles[static_cast<std::size_t>(p.profile)];
  p.step.clear();
  p.period = 0;
  p.uncapped_period = 0;
  for (const auto& ph : phases) {
    const bool compute_bound = ph.phase == power::GpuPhase::Compute;
    const double w = power::gpu_power_w(g, ph.phase);
    const auto c = job.power_cap ? power::apply_power_cap(w, cap_curve(g, *job.power_cap), job.power_cap->gpu_w, compute_bound)
                                 : power::CappedPhase{w, 1.0, 1.0};
    const SimTime d = to_simtime(ph.duration_s * c.slowdown);
    if (d <= 0) continue;  // a zero-length phase (e.g. no exposed communication)
    p.step.push_back({ph.phase, d, c.power_w, c.power_w, 1.0});
    p.period += d;
    p.uncapped_period += to_simtime(ph.duration_s);
  }
}

}  // namespace

std::vector<JobPlan> plan_jobs(const Scenario& sc, const Facility& facility) {
  std::vector<JobPlan> plans;
  std::vector<std::size_t> model_jobs;
  Problems problems;
  for (std::size_t j = 0; j < sc.jobs.size(); ++j) {
    const JobSpec& job = sc.jobs[j];
    const int ji = static_cast<int>(j);
    JobPlan p;
    p.profile = facility.job_profile(ji);
    p.gpus = facility.job_gpus(ji);
    p.nodes = facility.job_nodes(ji);
    p.racks = facility.job_racks(ji);
    for (int c = 0; c < facility.cohort_count(ji); ++c) p.cohort_gpus.push_back(facility.cohort_gpus(facility.first_cohort(ji) + c));
    const power::GpuProfile& g = sc.profiles[static_cast<std::size_t>(p.profile)];
    p.tdp_w = g.tdp_w;
    p.idle_w = g.idle_w;
    p.tau_rise_s = g.tau_rise_s;
    p.tau_fall_s = g.tau_fall_s;
    auto capped = [&](double w, bool compute_bound) {
      if (!job.power_cap) return power::CappedPhase{w, 1.0, 1.0};
      return power::apply_power_cap(w, cap_curve(g, *job.power_cap), job.power_cap->gpu_w, compute_bound);
    };
    if (job.power_cap && job.power_cap->gpu_w <= std::max(g.idle_w, cap_curve(g, *job.power_cap).static_w))
      problems.add(sc.source, job.json_path + ".power_cap.gpu_w",
                   "a cap above the GPU's idle power (" + std::to_string(g.idle_w) + " W) and its DVFS curve's static power (" +
                       std::to_string(cap_curve(g, *job.power_cap).static_w) + " W)",
                   std::to_string(job.power_cap->gpu_w));
    p.checkpoint_w = capped(power::gpu_power_w(g, power::GpuPhase::Checkpoint), false).power_w;
    p.wait_w = capped(power::gpu_power_w(g, power::GpuPhase::Communication), false).power_w;
    const auto compute = capped(power::gpu_power_w(g, power::GpuPhase::Compute), true);
    p.busy_w = compute.power_w;
    p.compute_slowdown = compute.slowdown;
    if (job.model) {
      const auto& s = job.model->shape;
      const std::int64_t mp = static_cast<std::int64_t>(s.tp) * s.pp;
      if (p.gpus % mp != 0)
        problems.add(sc.source, job.json_path + ".gpus",
                     "a multiple of tensor_parallel x pipeline_parallel (" + std::to_string(mp) + ")", std::to_string(p.gpus));
      if (g.peak_dense_bf16_tflops <= 0)
        problems.add(sc.source, job.json_path + ".model", "a GPU profile with peak_dense_bf16_tflops > 0", g.name);
      p.dp = static_cast<int>(p.gpus / mp);
      p.pp_comm_s = pp_comm_s(sc, *job.model);
      model_jobs.push_back(j);
    } else if (job.kind == "training") {
      set_step(sc, job, p, job.step);
      if (p.step.empty())
        problems.add(sc.source, job.json_path + ".step", "at least one phase longer than 1 ns", "none");
    }
    plans.push_back(p);
  }
  if (!problems.empty()) throw InputError(problems);
  if (model_jobs.empty()) return plans;

  // Model-described jobs: time their data-parallel all-reduces together on the campus fabric
  // with SimGrid (jobs sharing the fabric contend), then derive their step phases.
  const NetworkSpec& net = *sc.network;
  const JobPlan& first = plans[model_jobs[0]];
  FabricSpec fabric;
  fabric.gpus_per_node = static_cast<int>(first.gpus / std::max<std::int64_t>(1, first.nodes));
  fabric.gpus_per_nvlink_domain = net.gpus_per_nvlink_domain;
  fabric.nvlink_bw_bytes_s = net.nvlink_bytes_s;
  fabric.nvlink_latency_s = net.nvlink_latency_s;
  fabric.nics_per_node = net.nics_per_node;
  fabric.nic_bw_bytes_s = net.nic_bytes_s;
  fabric.link_latency_s = net.link_latency_s;
  fabric.oversubscription = net.oversubscription;
  std::vector<CollectiveRequest> requests;
  std::vector<std::size_t> timed;
  int node_offset = 0;
  for (std::size_t j : model_jobs) {
    const JobPlan& p = plans[j];
    if (p.dp > 1) {
      requests.push_back(dp_request(*sc.jobs[j].model, p.dp, fabric.gpus_per_node, fabric.gpus_per_nvlink_domain, node_offset));
      timed.push_back(j);
    }
    node_offset += static_cast<int>(p.nodes);
  }
  if (!requests.empty()) {
    try {
      CommTimer timer(fabric, std::max(node_offset, 1));
      const std::vector<double> times =
          requests.size() == 1 ? std::vector<double>{timer.time_s(requests[0])} : timer.time_concurrent_s(requests);
      for (std::size_t i = 0; i < timed.size(); ++i) plans[timed[i]].dp_allreduce_s = times[i];
    } catch (const std::invalid_argument& e) {
      problems.add(sc.source, "$.campus.network", "a fabric and job layout SimGrid can time", e.what());
      throw InputError(problems);
    }
  }
  for (std::size_t j : model_jobs) {
    JobPlan& p = plans[j];
    const JobSpec& job = sc.jobs[j];
    workload::TrainingShape s = job.model->shape;
    s.dp = p.dp;
    s.peak_flops = sc.profiles[static_cast<std::size_t>(p.profile)].peak_dense_bf16_tflops * 1e12;
    p.comm_method = p.dp > 1 ? "simgrid" : "none (data parallel degree 1)";
    const workload::StepTimes t = workload::step_times(s, p.dp_allreduce_s, p.pp_comm_s);
    p.model_times = t;
    if (!t.feasible()) {
      problems.add(sc.source, job.json_path + ".model.mfu",
                   "a lower end-to-end MFU: at this one the step period (" + std::to_string(t.mfu_period_s) +
                       " s) leaves no compute time after the modelled exposed communication and optimizer (" +
                       std::to_string(t.exposed_s() + t.optimizer_s) + " s)",
                   std::to_string(s.mfu));
      throw InputError(problems);
    }
    // The pipeline bubbles are staggered over the stages: they ride in the forward-backward span
    // at the stages' mean power; only the exposed DP and pipeline transfers are a job-wide wait.
    set_step(sc, job, p, {{power::GpuPhase::Compute, t.compute_s + t.bubble_s},
                          {power::GpuPhase::Communication, t.exposed_s()},
                          {power::GpuPhase::Optimizer, t.optimizer_s}});
    if (!p.step.empty() && p.step[0].phase == power::GpuPhase::Compute && t.bubble_s > 0) {
      PlannedPhase& span = p.step[0];
      span.busy_share = t.compute_s / (t.compute_s + t.bubble_s);
      span.gpu_w = workload::pipeline_span_w(t, span.busy_w, p.wait_w);
    }
    if (p.step.empty()) {
      problems.add(sc.source, job.json_path + ".model", "a step longer than 1 ns", "none");
      throw InputError(problems);
    }
  }
  return plans;
}

}  // namespace dctwin
