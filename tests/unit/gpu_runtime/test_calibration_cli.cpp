// CLI round trip: a seeded synthetic trace -> `dctwin calibrate` -> profile.json (+ .fit.json) ->
// `dctwin validate` of a scenario using it through gpu_profiles {"file": ...}. Also exit codes: 2 for
// malformed traces (file and line), 3 for gpu-trace without a usable GPU/driver or CUDA build.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "gpu_runtime/common/synthetic_trace.h"
#include "gpu_runtime/common/trace.h"
#include "gpu_runtime/device_info.h"
#include "core/json_reader.h"
#include "tests/support.h"
#include "tests/unit/gpu_runtime/square_wave.h"

namespace test = dctwin::test;
using dctwin::json;

namespace {

struct Run {
  int code = -1;
  std::string out;
};

std::string q(const std::string& s) { return test::shell_quote(s); }

Run cli(const std::string& args) {
  const test::CliRun run = test::run_cli(args);
  REQUIRE(run.code >= 0);
  return {run.code, run.out};
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("calibrate CLI: synthetic trace -> profile.json -> validate a scenario using it") {
  test::TempDir dir("calibrate");
  dctwin::gpu::SyntheticSpec s;
  s.seed = 42;
  s.markers = true;
  const std::string trace = dir.file("trace.csv");
  dctwin::gpu::write_dctwin_trace(dctwin::gpu::make_synthetic_trace(s), trace);
  const std::string prof = dir.file("toy-cal.json");
  const Run r = cli("calibrate " + q(trace) + " --base h100-sxm --name toy-gpu -o " + q(prof));
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(has(r.out, "[SYNTHETIC]"));
  CHECK(has(r.out, "RMSE"));
  CHECK(has(r.out, "energy error"));
  CHECK(has(r.out, "residuals:"));
  const json p = json::parse(test::read_file(prof));
  CHECK(p["name"] == "toy-gpu");
  CHECK(p["phase_power_w"]["compute"].get<double>() == doctest::Approx(s.compute_w).epsilon(0.03));
  CHECK(p["phase_power_w"]["communication"].get<double>() == doctest::Approx(s.communication_w).epsilon(0.03));
  CHECK(p["idle_w"].get<double>() == doctest::Approx(s.idle_w).epsilon(0.03));
  // A synthetic trace is never "measured".
  CHECK(p["sources"]["phase_power_w"].get<std::string>().rfind("assumption: fitted from a SYNTHETIC trace", 0) == 0);
  const json rep = json::parse(test::read_file(dir.file("toy-cal.fit.json")));
  CHECK(rep["step_period_s"].get<double>() == doctest::Approx(s.compute_s + s.communication_s + s.optimizer_s).epsilon(0.03));
  CHECK(rep["tau_rise_s"].get<double>() == doctest::Approx(s.tau_rise_s).epsilon(0.03));
  // The fitted lags go into the profile (the simulator then applies them), with their provenance.
  REQUIRE(p.contains("power_lag"));
  CHECK(p["power_lag"]["tau_rise_s"].get<double>() == doctest::Approx(s.tau_rise_s).epsilon(0.03));
  CHECK(p["power_lag"]["tau_fall_s"].get<double>() == doctest::Approx(s.tau_fall_s).epsilon(0.03));
  CHECK(p["sources"]["power_lag"].get<std::string>().rfind("assumption: fitted from a SYNTHETIC trace", 0) == 0);

  // tiny.json with its toy-gpu replaced by the calibrated file.
  std::string text = test::read_file(test::tiny_path());
  const auto a = text.find("\"toy-gpu\": {");
  const auto b = text.find("\"node_types\"");
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  text.replace(a, b - a, "\"toy-gpu\": { \"file\": \"toy-cal.json\" }\n  },\n  ");
  const std::string sc = dir.file("scenario.json");
  test::write_file(sc, text);
  const Run v = cli("validate " + q(sc));
  INFO(v.out);
  CHECK(v.code == 0);
  CHECK(has(v.out, ": valid ("));

  // The simulation uses the fitted powers: in tiny.json one GPU of two trains (1 s compute, 1 s
  // communication) and the other idles, so the peak GPU power is compute + idle once the fitted rise
  // lag (tens of ms) has settled within the 1 s compute phase: (fitted compute + fitted idle) W,
  // where the datasheet-free toy-gpu gave 1000 + 100 W.
  const Run run = cli("run " + q(sc) + " -o " + q(dir.file("out")) + " --no-report");
  INFO(run.out);
  REQUIRE(run.code == 0);
  const json sum = json::parse(test::read_file(dir.file("out/summary.json")));
  const double expect_w = p["phase_power_w"]["compute"].get<double>() + p["idle_w"].get<double>();
  CHECK(sum["peak_gpu_mw"].get<double>() * 1e6 == doctest::Approx(expect_w).epsilon(1e-6));
  CHECK(std::abs(expect_w - 1100.0) > 100.0);  // not the toy-gpu's figures
}

TEST_CASE("calibrate CLI: malformed traces exit 2 with file and line") {
  test::TempDir dir("calibrate-bad");
  const std::string bad = dir.file("bad.csv");
  test::write_file(bad, "timestamp, index, power.draw [W]\n2024/05/14 10:21:05.123, 0, 71.6 W\n2024/05/14 10:21:05.223, 0, NaN W\n");
  const Run r = cli("calibrate " + q(bad) + " --base h100-sxm -o " + q(dir.file("p.json")));
  CHECK(r.code == 2);
  CHECK(has(r.out, bad + ": line 3: expected a finite number"));
  const Run m = cli("calibrate /nonexistent.csv --base h100-sxm -o " + q(dir.file("p.json")));
  CHECK(m.code == 2);
  CHECK(has(m.out, "/nonexistent.csv: file: expected an existing file"));
}

TEST_CASE("gpu-trace CLI: exit 3 with a clear message without a usable GPU") {
  const auto qd = dctwin::gpu::query_devices();
  if (qd.ok) {
    MESSAGE("skipped: a GPU is present (the GPU test below runs gpu-trace)");
    return;
  }
  test::TempDir dir("gpu-trace");
  const Run r = cli("gpu-trace --duration-s 20 -o " + q(dir.file("t.csv")));
  CHECK(r.code == 3);
  CHECK((has(r.out, "built without CUDA") || has(r.out, "NVML") || has(r.out, "driver")));
}

TEST_CASE("[gpu] gpu-trace + calibrate on a real GPU: GEMM >= 60 % of the dense BF16 peak") {
  const auto qd = dctwin::gpu::query_devices();
  if (!qd.ok) {
    MESSAGE("skipped: no usable GPU (" << qd.error << ")");
    return;
  }
  test::TempDir dir("gpu-trace-real");
  const Run r = cli("gpu-trace --duration-s 30 -o " + q(dir.file("t.csv")));
  INFO(r.out);
  REQUIRE(r.code == 0);
  const auto pos = r.out.find("% of the");
  REQUIRE(pos != std::string::npos);
  const auto open = r.out.rfind('(', pos);
  const double pct = std::stod(r.out.substr(open + 1, pos - open - 1));
  MESSAGE(r.out);
  CHECK(pct >= 60.0);
  const Run c = cli("calibrate " + q(dir.file("t.csv")) + " --base h200-sxm -o " + q(dir.file("p.json")));
  INFO(c.out);
  CHECK(c.code == 0);
}

TEST_CASE("calibrate CLI: an impossible fit (phase below idle) is refused with cause and fix, nothing written") {
  test::TempDir dir("calibrate-square");
  const std::string trace = dir.file("square.csv");
  test::write_file(trace, dctwin::test::square_wave_smi_csv("power.draw [W]"));
  const std::string prof = dir.file("p.json");
  const Run r = cli("calibrate " + q(trace) + " --base h200-sxm -o " + q(prof));
  INFO(r.out);
  CHECK(r.code == 2);
  // The default is inferred from the column name and stated.
  CHECK(has(r.out, "power field average: column \"power.draw [W]\" read as a 1-s average (inferred from its name"));
  CHECK(has(r.out, trace + ": phase communication: expected a fitted power within [idle_w "));
  CHECK(has(r.out, "tdp_w 700 W]"));
  CHECK(has(r.out, "likely cause: column \"power.draw [W]\" was fitted as a 1-s average"));
  CHECK(has(r.out, "rerun with --field instant"));
  CHECK_FALSE(std::filesystem::exists(prof));
  CHECK_FALSE(std::filesystem::exists(dir.file("p.fit.json")));

  // --field instant: the right reading; the profile loads, and the step array round-trips.
  const Run ok = cli("calibrate " + q(trace) + " --base h200-sxm --field instant --name h200-square -o " + q(prof));
  INFO(ok.out);
  REQUIRE(ok.code == 0);
  CHECK(has(ok.out, "power field instant: column \"power.draw [W]\" read as instantaneous power (--field instant)"));
  const json p = json::parse(test::read_file(prof));
  CHECK(p["phase_power_w"]["communication"].get<double>() == doctest::Approx(250).epsilon(0.01));
  const json rep = json::parse(test::read_file(dir.file("p.fit.json")));
  CHECK(rep["power_field"]["field"] == "instant");
  CHECK(rep["power_field"]["inferred"] == false);
  const json step = rep["step"];
  REQUIRE(step.size() == 2);
  CHECK(step[0]["phase"] == "compute");
  CHECK(step[0]["duration_s"].get<double>() == doctest::Approx(2.0).epsilon(0.01));
  CHECK(step[1]["phase"] == "communication");
  CHECK(step[1]["duration_s"].get<double>() == doctest::Approx(1.0).epsilon(0.01));
  // The printed array is the report's, ready to paste.
  const auto at = ok.out.find("\"step\": [");
  REQUIRE(at != std::string::npos);
  const std::string printed = ok.out.substr(at + 8, ok.out.find('\n', at) - at - 8);
  CHECK(json::parse(printed) == step);

  // Pasted into a scenario that uses the calibrated profile: the loader accepts both, and the run
  // steps at the fitted period.
  std::string text = test::read_file(test::tiny_path());
  const auto a = text.find("\"toy-gpu\": {");
  const auto b = text.find("\"node_types\"");
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  text.replace(a, b - a, "\"h200-square\": { \"file\": \"p.json\" }\n  },\n  ");
  const std::string sc = dir.file("scenario.json");
  test::write_file(sc, text);
  const std::string sets = " --set node_types.n1.gpu=h200-square --set " + q("jobs.0.step=" + printed);
  const Run v = cli("validate " + q(sc) + sets);
  INFO(v.out);
  CHECK(v.code == 0);
  const Run run = cli("run " + q(sc) + sets + " -o " + q(dir.file("out")) + " --no-report");
  INFO(run.out);
  REQUIRE(run.code == 0);
  const json sum = json::parse(test::read_file(dir.file("out/summary.json")));
  CHECK(sum["step_period_s"].get<double>() ==
        doctest::Approx(step[0]["duration_s"].get<double>() + step[1]["duration_s"].get<double>()).epsilon(1e-9));
}

TEST_CASE("calibrate CLI: --field values, and an instant column inferred as instant") {
  test::TempDir dir("calibrate-field");
  const std::string trace = dir.file("instant.csv");
  test::write_file(trace, dctwin::test::square_wave_smi_csv("power.draw.instant [W]"));
  // Into a folder that does not exist yet (README: -o profiles/NAME.json): it is created.
  const Run r = cli("calibrate " + q(trace) + " --base h200-sxm -o " + q(dir.file("profiles/p.json")));
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(std::filesystem::exists(dir.file("profiles/p.json")));
  CHECK(std::filesystem::exists(dir.file("profiles/p.fit.json")));
  CHECK(has(r.out, "power field instant: column \"power.draw.instant [W]\" (inferred from its name: instantaneous power)"));
  const Run bad = cli("calibrate " + q(trace) + " --base h200-sxm --field peak -o " + q(dir.file("q.json")));
  CHECK(bad.code == 2);
  CHECK(has(bad.out, "--field: value: expected auto, instant or average, found \"peak\""));
}
