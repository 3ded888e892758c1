#include "sim/job_plan.h"

#include <cmath>

#include "models/power/power_cap.h"

namespace dctwin {

double ring_allreduce_s(int n, double bytes, double bw_bytes_s, double latency_s) {
  if (n <= 1) return 0.0;
  return 2.0 * (n - 1) / n * bytes / bw_bytes_s + 2.0 * (n - 1) * latency_s;
}

namespace {

// Communication of a model-described job on the scenario's network (analytic, see README).
void time_model_comms(const Scenario& sc, const TrainingModelSpec& m, int dp, JobPlan& plan) {
  const NetworkSpec& net = *sc.network;
  const auto& s = m.shape;
  const double grad_bytes = workload::dp_gradient_bytes(s, m.gradient_bytes_per_param);
  // A data-parallel group is spread over tp*pp-strided GPUs; it stays inside one NVLink domain
  // only when the whole tp*dp block fits in it.
  const bool in_domain = static_cast<std::int64_t>(s.tp) * s.pp * dp <= net.gpus_per_nvlink_domain;
  const double bw = in_domain ? net.nvlink_bytes_s : net.nic_bytes_s / net.oversubscription;
  const double lat = in_domain ? net.nvlink_latency_s : net.link_latency_s;
  plan.dp_allreduce_s = ring_allreduce_s(dp, grad_bytes, bw, lat);
  // Pipeline fill and drain: 2 (pp - 1) activation transfers of micro_batch * seq * hidden bf16.
  const double act_bytes = s.micro_batch * s.sequence_length * m.hidden_size * 2.0;
  plan.pp_comm_s = s.pp > 1 ? 2.0 * (s.pp - 1) * (act_bytes / net.nic_bytes_s + net.link_latency_s) : 0.0;
  plan.comm_method = "analytic ring";
}

}  // namespace

std::vector<JobPlan> plan_jobs(const Scenario& sc, const Facility& facility) {
  std::vector<JobPlan> plans;
  Problems problems;
  for (std::size_t j = 0; j < sc.jobs.size(); ++j) {
    const JobSpec& job = sc.jobs[j];
    JobPlan p;
    p.profile = facility.job_profile(static_cast<int>(j));
    p.gpus = facility.job_gpus(static_cast<int>(j));
    p.nodes = facility.job_nodes(static_cast<int>(j));
    const power::GpuProfile& g = sc.profiles[static_cast<std::size_t>(p.profile)];
    p.tdp_w = g.tdp_w;
    p.idle_w = g.idle_w;
    auto capped = [&](double w, bool compute_bound) {
      if (!job.power_cap) return power::CappedPhase{w, 1.0, 1.0};
      return power::apply_power_cap(w, g.idle_w, job.power_cap->gpu_w, job.power_cap->dvfs_exponent, compute_bound);
    };
    if (job.power_cap && job.power_cap->gpu_w <= g.idle_w)
      problems.add(sc.source, job.json_path + ".power_cap.gpu_w",
                   "a cap above the GPU's idle power (" + std::to_string(g.idle_w) + " W)", std::to_string(job.power_cap->gpu_w));
    p.checkpoint_w = capped(power::gpu_power_w(g, power::GpuPhase::Checkpoint), false).power_w;
    p.wait_w = capped(power::gpu_power_w(g, power::GpuPhase::Communication), false).power_w;
    p.racks = facility.job_racks(static_cast<int>(j));
    for (int c = 0; c < facility.cohort_count(static_cast<int>(j)); ++c)
      p.cohort_gpus.push_back(facility.cohort_gpus(facility.first_cohort(static_cast<int>(j)) + c));
    const auto compute = capped(power::gpu_power_w(g, power::GpuPhase::Compute), true);
    p.busy_w = compute.power_w;
    p.compute_slowdown = compute.slowdown;

    std::vector<JobPhaseSpec> phases = job.step;
    if (job.model) {
      workload::TrainingShape s = job.model->shape;
      const std::int64_t mp = static_cast<std::int64_t>(s.tp) * s.pp;
      if (p.gpus % mp != 0) {
        problems.add(sc.source, job.json_path + ".gpus",
                     "a multiple of tensor_parallel x pipeline_parallel (" + std::to_string(mp) + ")", std::to_string(p.gpus));
        continue;
      }
      s.dp = static_cast<int>(p.gpus / mp);
      s.peak_flops = g.peak_dense_bf16_tflops * 1e12;
      if (s.peak_flops <= 0) {
        problems.add(sc.source, job.json_path + ".model", "a GPU profile with peak_dense_bf16_tflops > 0", g.name);
        continue;
      }
      p.dp = s.dp;
      time_model_comms(sc, *job.model, s.dp, p);
      const workload::StepTimes t = workload::step_times(s, p.dp_allreduce_s, p.pp_comm_s);
      p.model_times = t;
      phases = {{power::GpuPhase::Compute, t.compute_s},
                {power::GpuPhase::Communication, t.communication_s()},
                {power::GpuPhase::Optimizer, t.optimizer_s}};
    }
    for (const auto& ph : phases) {
      const bool compute_bound = ph.phase == power::GpuPhase::Compute;
      const auto c = capped(power::gpu_power_w(g, ph.phase), compute_bound);
      const SimTime d = to_simtime(ph.duration_s * c.slowdown);
      if (d <= 0) continue;  // a zero-length phase (e.g. no exposed communication)
      p.step.push_back({ph.phase, d, c.power_w});
      p.period += d;
    }
    if (job.kind == "training" && p.step.empty())
      problems.add(sc.source, job.json_path, "a step with at least one phase longer than 1 ns", "none");
    plans.push_back(p);
  }
  if (!problems.empty()) throw InputError(problems);
  return plans;
}

}  // namespace dctwin
