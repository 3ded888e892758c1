// sim/input/gpu_profile.h: the built-in profiles read back from the JSON the writer makes, loading
// by name or file, and the calibration merge of fitted figures into a base profile, checked
// against h100-sxm's figures (scenarios/profiles/h100-sxm.json: tdp 700 W, idle 70 W; phases idle
// 70, compute 700, communication 140, optimizer 420, checkpoint 133 W).
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

#include "core/json_input.h"
#include "sim/input/gpu_profile.h"
#include "tests/support.h"

using namespace dctwin;

namespace {

// The reference trace of a calibration: one GPU, every phase but communication and checkpoint seen.
ProfileFit h100_fit() {
  ProfileFit f;
  f.trace_file = "traces/run1.csv";
  f.trace_format = "dctwin";
  f.gpus = 1;
  f.power_limit_w = 700;
  f.phase_power_w = {80, 650, NAN, 400, NAN};
  f.tau_rise_s = 0.05;
  f.tau_fall_s = 0.08;
  return f;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

TEST_CASE("gpu profile: every built-in profile reads back unchanged from the JSON written for it") {
  for (const auto& name : builtin_profile_names()) {
    CAPTURE(name);
    const power::GpuProfile g = load_builtin_profile(name);
    Problems problems;
    const json doc = gpu_profile_json(g);
    JsonReader r(doc, "$", problems, "written");
    const power::GpuProfile back = read_gpu_profile(r);
    CHECK(problems.empty());
    CHECK(back.name == g.name);
    CHECK(back.description == g.description);
    CHECK(back.tdp_w == g.tdp_w);
    CHECK(back.idle_w == g.idle_w);
    CHECK(back.phase_power_w == g.phase_power_w);
    CHECK(back.sources == g.sources);
    CHECK(back.tau_rise_s == g.tau_rise_s);
    REQUIRE(back.thermal.has_value());
    CHECK(back.thermal->max_operating_c == g.thermal->max_operating_c);
    CHECK(back.thermal->slowdown_c == g.thermal->slowdown_c);
    CHECK(back.thermal->shutdown_c == g.thermal->shutdown_c);
    CHECK(back.thermal->cold_plate_r_th_k_w == g.thermal->cold_plate_r_th_k_w);
    CHECK(back.thermal->cold_plate_tau_s == g.thermal->cold_plate_tau_s);
    CHECK(back.thermal->air_r_th_k_w == g.thermal->air_r_th_k_w);
    CHECK(back.thermal->air_tau_s == g.thermal->air_tau_s);
  }
  const json h100 = gpu_profile_json(load_builtin_profile("h100-sxm"));
  CHECK(h100["phase_power_w"].dump() ==
        R"({"idle":70.0,"compute":700.0,"communication":140.0,"optimizer":420.0,"checkpoint":133.0})");
  CHECK_FALSE(h100.contains("power_lag"));  // h100-sxm has none
}

TEST_CASE("gpu profile: loaded by built-in name or from a file, with every problem named") {
  std::string described;
  CHECK(load_gpu_profile("b200", &described).name == "b200");
  CHECK(described == "built-in profile b200");

  test::TempDir dir("gpu-profile");
  power::GpuProfile g = load_builtin_profile("h100-sxm");
  g.name = "mine";
  g.tau_rise_s = 0.02;
  g.tau_fall_s = 0.03;
  g.sources["power_lag"] = "assumption: made up for this test";
  write_gpu_profile(dir.file("mine.json"), g);
  const power::GpuProfile back = load_gpu_profile(dir.file("mine.json"), &described);
  CHECK(described == dir.file("mine.json"));
  CHECK(back.name == "mine");
  CHECK(back.tau_rise_s == 0.02);
  CHECK(back.sources.at("power_lag") == "assumption: made up for this test");

  Problems problems;
  (void)read_gpu_profile_file(dir.file("missing.json"), problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems.list()[0].file == dir.file("missing.json"));
  CHECK_THROWS_AS(load_gpu_profile("h100"), InputError);  // not a built-in name, not a file
}

TEST_CASE("gpu profile: calibration merge keeps unobserved phases from the base and takes the fitted ones") {
  const power::GpuProfile base = load_builtin_profile("h100-sxm");
  const power::GpuProfile g = merge_profile_fit(base, "built-in profile h100-sxm", h100_fit(), "", "out/cal.json");
  CHECK(g.name == "h100-sxm-calibrated");
  CHECK(g.idle_w == 80.0);
  CHECK(g.tdp_w == 700.0);  // what a trace cannot give stays the base's
  CHECK(g.memory_gb == base.memory_gb);
  // idle, compute and optimizer fitted; communication (140) and checkpoint (133) kept from the base.
  CHECK(g.phase_power_w == std::array<double, 5>{80, 650, 140, 400, 133});
  CHECK(g.sources.at("idle_w") ==
        "measured: idle level fitted by dctwin calibrate from traces/run1.csv (dctwin, 1 GPU, power limit 700 W)");
  CHECK(ends_with(g.sources.at("phase_power_w"),
                  "(dctwin, 1 GPU, power limit 700 W). communication not observed: kept from built-in profile h100-sxm. "
                  "checkpoint not observed: kept from built-in profile h100-sxm."));
  CHECK(g.sources.at("tdp_w") == base.sources.at("tdp_w"));
  CHECK(g.description == "Calibrated from run1.csv over h100-sxm; see cal.fit.json for the fit report.");
  CHECK(g.tau_rise_s == 0.05);
  CHECK(g.tau_fall_s == 0.08);
  CHECK(starts_with(g.sources.at("power_lag"), "measured: first-order rise/fall time constants"));
  const json j = gpu_profile_json(g);
  CHECK(j["power_lag"].dump() == R"({"tau_rise_s":0.05,"tau_fall_s":0.08})");
  CHECK(j["sources"].size() == 9);  // the five figures, power_lag, and the base's three thermal sources
  // The base profile's thermal figures are kept, with their provenance, and written back.
  REQUIRE(g.thermal.has_value());
  CHECK(g.thermal->air_r_th_k_w == base.thermal->air_r_th_k_w);
  CHECK(g.sources.at("thermal_limits") == base.sources.at("thermal_limits"));
  CHECK(j["thermal"]["max_operating_c"].get<double>() == base.thermal->max_operating_c);
  CHECK(j["thermal"]["cold_plate"]["tau_s"].get<double>() == base.thermal->cold_plate_tau_s);
  CHECK(gpu_profile_load_problems(g, "cal.json").empty());  // the written profile reads back
}

TEST_CASE("gpu profile: a fitted junction R and tau replace the base's figures of the fit's heat sink, with their provenance") {
  const power::GpuProfile base = load_builtin_profile("h100-sxm");
  REQUIRE(base.thermal.has_value());
  ProfileFit f = h100_fit();
  f.r_th_k_w = 0.061;
  f.thermal_tau_s = 3.9;
  f.thermal_source = "measured: junction-to-coolant resistance and time constant fitted by dctwin calibrate from run1.csv";
  const power::GpuProfile g = merge_profile_fit(base, "built-in profile h100-sxm", f, "", "out/cal.json");
  REQUIRE(g.thermal.has_value());
  CHECK(g.thermal->cold_plate_r_th_k_w == 0.061);
  CHECK(g.thermal->cold_plate_tau_s == 3.9);
  CHECK(g.sources.at("thermal_cold_plate") == f.thermal_source);
  // The other heat sink and the thresholds keep the base's figures and provenance.
  CHECK(g.thermal->air_r_th_k_w == base.thermal->air_r_th_k_w);
  CHECK(g.thermal->air_tau_s == base.thermal->air_tau_s);
  CHECK(g.thermal->slowdown_c == base.thermal->slowdown_c);
  CHECK(g.sources.at("thermal_air") == base.sources.at("thermal_air"));
  CHECK(g.sources.at("thermal_limits") == base.sources.at("thermal_limits"));
  const json j = gpu_profile_json(g);
  CHECK(j["thermal"]["cold_plate"]["r_th_k_w"].get<double>() == 0.061);
  CHECK(gpu_profile_load_problems(g, "cal.json").empty());
  // The air heat sink.
  f.heat_sink = "air";
  const power::GpuProfile a = merge_profile_fit(base, "built-in profile h100-sxm", f, "", "out/cal.json");
  CHECK(a.thermal->air_r_th_k_w == 0.061);
  CHECK(a.thermal->air_tau_s == 3.9);
  CHECK(a.thermal->cold_plate_r_th_k_w == base.thermal->cold_plate_r_th_k_w);
  CHECK(a.sources.at("thermal_air") == f.thermal_source);
  CHECK(a.sources.at("thermal_cold_plate") == base.sources.at("thermal_cold_plate"));
  // Not fitted (NaN): the base's figures.
  const power::GpuProfile n = merge_profile_fit(base, "built-in profile h100-sxm", h100_fit(), "", "out/cal.json");
  CHECK(n.thermal->cold_plate_r_th_k_w == base.thermal->cold_plate_r_th_k_w);
  CHECK(n.sources.at("thermal_cold_plate") == base.sources.at("thermal_cold_plate"));
}

TEST_CASE("gpu profile: calibration merge raises a kept phase to the fitted idle, refuses levels over tdp_w") {
  const power::GpuProfile base = load_builtin_profile("h100-sxm");
  ProfileFit f = h100_fit();
  f.phase_power_w[0] = 150;  // fitted idle above the base's checkpoint level (133 W)
  f.gpus = 8;
  f.synthetic = true;
  f.power_limit_w = NAN;
  const power::GpuProfile g = merge_profile_fit(base, "base.json", f, "toy", "p.json");
  CHECK(g.name == "toy");
  CHECK(g.phase_power_w[4] == 150.0);
  CHECK(g.sources.at("phase_power_w").find("checkpoint not observed: kept from base.json and raised to the fitted idle_w") !=
        std::string::npos);
  CHECK(starts_with(g.sources.at("idle_w"), "assumption: fitted from a SYNTHETIC trace (not a measurement): "));
  CHECK(ends_with(g.sources.at("idle_w"), "(dctwin, 8 GPUs, mean, power limit n/a W)"));
  CHECK(starts_with(g.description, "SYNTHETIC-trace fit (not a measurement) from run1.csv"));

  f.phase_power_w[1] = 800;  // compute over the 700 W tdp
  try {
    (void)merge_profile_fit(base, "base.json", f, "toy", "p.json");
    FAIL("expected InputError");
  } catch (const InputError& e) {
    REQUIRE(e.problems().size() == 1);
    const Problem& p = e.problems().list()[0];
    CHECK(p.file == "traces/run1.csv");
    CHECK(p.where == "phase compute");
    CHECK(starts_with(p.found, "800.0 W; likely cause: the traced GPU draws more than the base profile's tdp_w"));
    CHECK(p.expected == "a fitted power within [idle_w 150.0 W, tdp_w 700 W] (tdp_w from base.json; the scenario loader "
                        "refuses a profile outside it)");
  }
}

TEST_CASE("gpu profile: calibration refuses a phase below idle with the cause for the power field fitted") {
  // The square-wave case: an instantaneous trace under a column read as a 1-s average; undoing
  // the averaging drives the low phase far below idle (negative).
  const power::GpuProfile base = load_builtin_profile("h100-sxm");
  ProfileFit f = h100_fit();
  f.trace_format = "nvidia-smi";
  f.field = "average";
  f.field_column = "power.draw [W]";
  f.phase_power_w[2] = -686;
  try {
    (void)merge_profile_fit(base, "built-in profile h100-sxm", f, "", "p.json");
    FAIL("expected InputError");
  } catch (const InputError& e) {
    REQUIRE(e.problems().size() == 1);
    const Problem& p = e.problems().list()[0];
    CHECK(p.where == "phase communication");
    CHECK(starts_with(p.expected, "a fitted power within [idle_w 80.0 W, tdp_w 700 W]"));
    CHECK(starts_with(p.found, "-686.0 W; likely cause: column \"power.draw [W]\" was fitted as a 1-s average (inferred from its name)"));
    CHECK(p.found.find("fix: if the column is instantaneous power (GA100 and older GPUs), rerun with --field instant") != std::string::npos);
  }
  // The same level from the instant field: the cause is the idle level or the phases, not averaging.
  f.field = "instant";
  f.field_inferred = false;
  try {
    (void)merge_profile_fit(base, "built-in profile h100-sxm", f, "", "p.json");
    FAIL("expected InputError");
  } catch (const InputError& e) {
    const Problem& p = e.problems().list()[0];
    CHECK(p.found.find("likely cause: the fitted idle level") != std::string::npos);
    CHECK(p.found.find("rerun with --field average") != std::string::npos);
  }
  // A negative fitted idle: bounds [0, tdp_w].
  f = h100_fit();
  f.phase_power_w[0] = -5;
  try {
    (void)merge_profile_fit(base, "b.json", f, "", "p.json");
    FAIL("expected InputError");
  } catch (const InputError& e) {
    CHECK(e.problems().list()[0].where == "phase idle");
    CHECK(starts_with(e.problems().list()[0].expected, "a fitted power within [0 W, tdp_w 700 W]"));
  }
}

TEST_CASE("gpu profile: write_gpu_profile reads the text back through the loader and writes nothing it would refuse") {
  test::TempDir dir("profile-readback");
  power::GpuProfile g = load_builtin_profile("h100-sxm");
  g.tau_rise_s = 20;  // the loader accepts lags up to 10 s
  g.tau_fall_s = 0.1;
  g.sources["power_lag"] = "assumption: made up for this test";
  CHECK(gpu_profile_load_problems(g, "x.json").size() == 1);
  try {
    write_gpu_profile(dir.file("bad.json"), g);
    FAIL("expected InputError");
  } catch (const InputError& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(e.problems().list()[0].file == dir.file("bad.json") + " (not written: the scenario loader would refuse it)");
    CHECK(e.problems().list()[0].where == "$.power_lag.tau_rise_s");
  }
  CHECK_FALSE(std::filesystem::exists(dir.file("bad.json")));
  g.tau_rise_s = 0.1;
  CHECK(gpu_profile_load_problems(g, "x.json").empty());
  write_gpu_profile(dir.file("good.json"), g);
  CHECK(std::filesystem::exists(dir.file("good.json")));
}

TEST_CASE("gpu profile: a calibration without resolved lags drops the base's, and the report path") {
  power::GpuProfile base = load_builtin_profile("h100-sxm");
  base.tau_rise_s = base.tau_fall_s = 0.1;
  base.sources["power_lag"] = "datasheet: made up";
  ProfileFit f = h100_fit();
  f.tau_rise_s = f.tau_fall_s = NAN;
  const power::GpuProfile g = merge_profile_fit(base, "b", f, "", "p.json");
  CHECK(g.tau_rise_s == 0.0);
  CHECK(g.sources.count("power_lag") == 0);
  CHECK_FALSE(gpu_profile_json(g).contains("power_lag"));
  CHECK(profile_fit_report_path("a/b/cal.json") == "a/b/cal.fit.json");
  CHECK(profile_fit_report_path("cal.json") == "cal.fit.json");
}

TEST_CASE("gpu profile: thermal figures are checked (threshold order, ranges, provenance)") {
  json doc = gpu_profile_json(load_builtin_profile("h100-sxm"));
  auto problems_of = [](const json& d) {
    Problems problems;
    JsonReader r(d, "$", problems, "p.json");
    (void)read_gpu_profile(r);
    return problems;
  };
  CHECK(problems_of(doc).empty());
  json swapped = doc;
  swapped["thermal"]["slowdown_c"] = 95;  // above shutdown 92
  const Problems p1 = problems_of(swapped);
  REQUIRE(p1.size() == 1);
  CHECK(p1.list()[0].where == "$.thermal.slowdown_c");
  json no_source = doc;
  no_source["sources"].erase("thermal_air");
  const Problems p2 = problems_of(no_source);
  REQUIRE(p2.size() == 1);
  CHECK(p2.list()[0].where == "$.sources.thermal_air");
  json bad_r = doc;
  bad_r["thermal"]["cold_plate"]["r_th_k_w"] = 0;
  CHECK(problems_of(bad_r).size() == 1);
  json no_thermal = doc;
  no_thermal.erase("thermal");
  for (const char* k : {"thermal_limits", "thermal_cold_plate", "thermal_air"}) no_thermal["sources"].erase(k);
  CHECK(problems_of(no_thermal).empty());  // optional
}
