// Device, server and rack figures against the public figures in docs/references.md.
// Each check cites its source. These tests load the shipped profiles and scenarios, so a profile
// or scenario edit that drifts from the public figures fails here.
#include <doctest/doctest.h>

#include "sim/facility/facility.h"
#include "sim/input/scenario_loader.h"

using namespace dctwin;
using power::GpuPhase;

namespace {
Scenario load_shipped(const std::string& name) {
  return load_scenario_file(std::string(DCTWIN_SOURCE_DIR) + "/scenarios/" + name);
}

// Per-rack input power (W) of every rack group with all jobs in `phase`.
std::vector<double> rack_inputs(const Scenario& sc, GpuPhase phase) {
  Facility f(sc);
  std::vector<JobState> jobs(f.cohorts(), JobState{true, phase});  // one state per cohort (jitter splits a job)
  std::vector<double> unit;
  f.evaluate(jobs, &unit);
  std::vector<double> out;
  for (std::size_t v = 0; v < f.vertex_count(); ++v)
    if (f.graph()[v].stage == Stage::Rack) out.push_back(unit[v]);
  return out;
}
}  // namespace

TEST_CASE("validation: H100 SXM profile matches the NVIDIA H100 datasheet and public idle traces") {
  const auto g = load_builtin_profile("h100-sxm");
  CHECK(g.tdp_w == 700.0);                   // NVIDIA H100 datasheet: SXM5 TDP 700 W
  CHECK(g.memory_gb == 80.0);                // NVIDIA H100 datasheet: 80 GB HBM3
  CHECK(g.peak_dense_bf16_tflops == doctest::Approx(989).epsilon(0.01));  // datasheet: ~989 TFLOP/s dense BF16
  CHECK(g.idle_w == doctest::Approx(70).epsilon(0.15));  // public 8xH100 nvidia-smi traces: ~70 W idle
  // Choukse et al., arXiv 2508.14318: compute near TDP, communication near idle.
  CHECK(g.phase_power_w[static_cast<int>(GpuPhase::Compute)] >= 0.9 * g.tdp_w);
  CHECK(g.phase_power_w[static_cast<int>(GpuPhase::Communication)] <= 0.3 * g.tdp_w);
}

TEST_CASE("validation: H200, B200 and GB200 profiles match their datasheet figures") {
  const auto h200 = load_builtin_profile("h200-sxm");
  CHECK(h200.tdp_w == 700.0);      // NVIDIA H200 datasheet: up to 700 W
  CHECK(h200.memory_gb == 141.0);  // NVIDIA H200 datasheet: 141 GB HBM3e
  const auto b200 = load_builtin_profile("b200");
  CHECK(b200.tdp_w == 1000.0);     // NVIDIA DGX B200 documentation: up to 1,000 W per GPU
  const auto gb200 = load_builtin_profile("gb200");
  // Every figure carries a provenance; the GB200 per-GPU TDP is not in a public datasheet we cite,
  // so it must be labelled an assumption rather than presented as a datasheet value.
  CHECK(gb200.sources.at("tdp_w").rfind("assumption:", 0) == 0);
  for (const auto& name : builtin_profile_names()) {
    const auto g = load_builtin_profile(name);
    CHECK_MESSAGE(g.sources.size() == 8, name);  // five figures + thermal_limits, thermal_cold_plate, thermal_air
    CHECK_MESSAGE(g.phase_power_w[static_cast<int>(GpuPhase::Idle)] == g.idle_w, name);
  }
}

TEST_CASE("validation: GB300 profile matches NVIDIA's Blackwell Ultra and GB300 NVL72 figures") {
  const auto g = load_builtin_profile("gb300");
  // NVIDIA technical blog "Inside NVIDIA Blackwell Ultra: The Chip Powering the AI Factory Era"
  // (developer.nvidia.com, 2025-08): max TDP 1,400 W per GPU (1,200 W for Blackwell).
  CHECK(g.tdp_w == 1400.0);
  // Same blog: 288 GB HBM3E per GPU; NVIDIA GB300 NVL72 page: up to 20 TB HBM3E for 72 GPUs.
  CHECK(g.memory_gb == 288.0);
  CHECK(72 * g.memory_gb / 1000 == doctest::Approx(20.7).epsilon(0.01));
  // NVIDIA GB300 NVL72 page: FP16/BF16 Tensor Core 360 PFLOPS per rack with sparsity, i.e. 180
  // PFLOPS dense, over 72 GPUs.
  CHECK(g.peak_dense_bf16_tflops == doctest::Approx(360e3 / 2 / 72));
  for (const char* k : {"tdp_w", "memory_gb", "peak_dense_bf16_tflops"})
    CHECK_MESSAGE(g.sources.at(k).rfind("datasheet:", 0) == 0, k);
  // No public idle or phase figures: they must say they are assumptions.
  for (const char* k : {"idle_w", "phase_power_w"}) CHECK_MESSAGE(g.sources.at(k).rfind("assumption:", 0) == 0, k);
  // Choukse et al., arXiv 2508.14318: compute near TDP, communication near idle.
  CHECK(g.phase_power_w[static_cast<int>(GpuPhase::Compute)] >= 0.9 * g.tdp_w);
  CHECK(g.phase_power_w[static_cast<int>(GpuPhase::Communication)] <= 0.3 * g.tdp_w);
  // The GB300 campus uses it, 72 GPUs per NVL72 rack.
  const Scenario sc = load_shipped("gb300-nvl72-campus.json");
  const NodeType& tray = sc.node_types.at(0);
  CHECK(sc.profiles.at(static_cast<std::size_t>(tray.profile)).name == "gb300");
  int gpus_per_rack = 0;
  for (const auto& slot : sc.rack_types.at(0).nodes)
    gpus_per_rack += slot.count * sc.node_types.at(static_cast<std::size_t>(slot.node_type)).server.gpus;
  CHECK(gpus_per_rack == 72);
}

TEST_CASE("validation: DGX H100 node stays within its 10.2 kW system maximum (DGX H100 user guide)") {
  const Scenario sc = load_shipped("mai1-15k-h100.json");
  const NodeType& dgx = sc.node_types.at(0);
  REQUIRE(dgx.psu.has_value());
  // DGX H100 user guide: 8 GPUs; six 3.3 kW PSUs in 4+2; system max 10.2 kW.
  CHECK(dgx.server.gpus == 8);
  CHECK(dgx.psu->installed() == 6);
  CHECK(dgx.psu->count == 4);
  CHECK(dgx.psu->params.rated_w == 3300.0);
  CHECK(dgx.nameplate_w == 10200.0);
  // Modelled worst case: every GPU at TDP, components active, fans at the heat they then see.
  const auto& profile = sc.profiles.at(static_cast<std::size_t>(dgx.profile));
  const power::ServerPower p = power::server_power(dgx.server, profile.tdp_w, true);
  const double dc = p.total_w();
  const double per_psu = dc / dgx.psu->installed();
  const double input = dc + dgx.psu->installed() * power::psu_loss_w(dgx.psu->params, per_psu);
  CHECK(input <= 10200.0);
  CHECK(input >= 0.75 * 10200.0);  // and not implausibly far below the rating
  // 4 PSUs (two lost) still carry the worst case: 4 x 3.3 kW = 13.2 kW.
  CHECK(dc / 4 <= 3300.0);
}

TEST_CASE("validation: GB200 NVL72 rack peak within the public ~120-132 kW (Oracle OCI, Supermicro)") {
  const Scenario sc = load_shipped("gb200-nvl72-campus.json");
  int gpus_per_rack = 0;
  for (const auto& slot : sc.rack_types.at(0).nodes)
    gpus_per_rack += slot.count * sc.node_types.at(static_cast<std::size_t>(slot.node_type)).server.gpus;
  CHECK(gpus_per_rack == 72);  // GB200 NVL72: 72 GPUs per rack
  const auto racks = rack_inputs(sc, GpuPhase::Compute);
  REQUIRE(!racks.empty());
  const double peak = *std::max_element(racks.begin(), racks.end());
  CHECK(peak >= 110e3);  // 120-132 kW public range, with 10 kW of allowance below for a
  CHECK(peak <= 132e3);  // model whose non-GPU figures are estimates; never above the range
}

TEST_CASE("validation: 80 PLUS Titanium DGX PSUs run in their efficient band at training load") {
  // 80 PLUS Titanium (230 V redundant): 90/94/96/91 % at 10/20/50/100 % load.
  const Scenario sc = load_shipped("mai1-15k-h100.json");
  const NodeType& dgx = sc.node_types.at(0);
  const auto& profile = sc.profiles.at(static_cast<std::size_t>(dgx.profile));
  const double dc = power::server_power(dgx.server, profile.phase_power_w[static_cast<int>(GpuPhase::Compute)], true).total_w();
  const double eff = power::psu_efficiency(dgx.psu->params, dc / dgx.psu->installed());
  CHECK(eff >= 0.94);
  CHECK(eff <= 0.96);
}
