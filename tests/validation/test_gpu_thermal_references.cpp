// The GPU profiles' thermal figures (scenarios/profiles/*.json "thermal") against the public
// figures their sources cite (docs/references.md, "GPU thermal figures"). A profile edit that
// drifts from a cited figure, or drops the "assumption:" label where no public figure exists for
// the part, fails here.
#include <doctest/doctest.h>

#include <cmath>

#include "models/thermal/air_handler.h"
#include "models/thermal/cold_plate.h"
#include "sim/input/gpu_profile.h"

using namespace dctwin;

namespace {
bool starts_with(const std::string& s, const std::string& pre) { return s.rfind(pre, 0) == 0; }
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("validation: GPU temperature thresholds are nvidia-smi -q's Hopper SXM figures, labelled per part") {
  // Public nvidia-smi -q of an H800 (GH100, SXM5, 700 W limit): GPU Max Operating Temp 87 C,
  // GPU Slowdown Temp 89 C, GPU Shutdown Temp 92 C.
  for (const auto& name : builtin_profile_names()) {
    CAPTURE(name);
    const power::GpuProfile g = load_builtin_profile(name);
    REQUIRE(g.thermal.has_value());
    CHECK(g.thermal->max_operating_c == 87.0);
    CHECK(g.thermal->slowdown_c == 89.0);
    CHECK(g.thermal->shutdown_c == 92.0);
    const std::string src = g.sources.at("thermal_limits");
    // No part's own public nvidia-smi -q copy was found: every profile says so.
    CHECK(starts_with(src, "assumption:"));
    CHECK(contains(src, "GPU Max Operating Temp 87 C"));
    CHECK(contains(src, "GPU Slowdown Temp 89 C"));
    CHECK(contains(src, "GPU Shutdown Temp 92 C"));
  }
}

TEST_CASE("validation: cold-plate R spans the OCP 1 kW OAM plate's case-to-inlet figure plus a junction share, and tau is Modelica's") {
  // OCP OAI liquid cooling guidelines (Chen et al. 2023, fig. 8): 0.0160 K/W case-to-inlet at
  // 3 L/min. Junction-to-inlet must exceed it (it adds die, lid and interface) and stay at or
  // below the < 0.03 K/W GB200 cold-plate design target the source also cites.
  const double lpm3_kg_s = 3.0 / 60.0 * 0.997;
  const double ocp_case_inlet = thermal::cold_plate_resistance_k_w(thermal::ocp_1kw_oam_water_resistance(), lpm3_kg_s);
  CHECK(ocp_case_inlet == doctest::Approx(0.0160).epsilon(1e-3));
  for (const auto& name : builtin_profile_names()) {
    CAPTURE(name);
    const power::GpuProfile g = load_builtin_profile(name);
    REQUIRE(g.thermal.has_value());
    CHECK(g.thermal->cold_plate_r_th_k_w > ocp_case_inlet);
    CHECK(g.thermal->cold_plate_r_th_k_w <= 0.03);
    // Modelica Buildings Racks.ColdPlateR_P: ~2 s (the project's cold plate carries it).
    CHECK(g.thermal->cold_plate_tau_s == thermal::cold_plate_h100_class_illustrative().tau_s);
    const std::string src = g.sources.at("thermal_cold_plate");
    CHECK(starts_with(src, "assumption:"));
    CHECK(contains(src, "0.0160 K/W at 3 L/min"));
  }
}

TEST_CASE("validation: air heat-sink R is the bound (max operating - ASHRAE A1 allowable top) / TDP") {
  // ASHRAE TC 9.9 (5th ed.): class A1 allowable inlet up to 32 C. The bound: the largest R with
  // which the GPU holds its datasheet TDP at its max operating temperature with that inlet.
  const double inlet_c = thermal::ashrae_allowable_range(thermal::AshraeAirClass::A1).high_c;
  CHECK(inlet_c == 32.0);
  for (const auto& name : builtin_profile_names()) {
    CAPTURE(name);
    const power::GpuProfile g = load_builtin_profile(name);
    REQUIRE(g.thermal.has_value());
    const double bound = (g.thermal->max_operating_c - inlet_c) / g.tdp_w;
    CHECK(g.thermal->air_r_th_k_w == doctest::Approx(std::round(bound * 1000.0) / 1000.0).epsilon(1e-12));
    CHECK(g.thermal->air_tau_s > g.thermal->cold_plate_tau_s);  // a heat sink's mass, no public figure
    const std::string src = g.sources.at("thermal_air");
    CHECK(starts_with(src, "assumption:"));
    CHECK(contains(src, "32 C inlet air"));
  }
}
