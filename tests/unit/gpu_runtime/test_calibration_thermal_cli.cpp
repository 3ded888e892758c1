// `dctwin calibrate --coolant-c` with a temperature column: the junction fit in the fit report and
// the gpu_thermal figures printed; bad temperature input exits 2 with the line.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "core/json_reader.h"
#include "gpu_runtime/common/synthetic_trace.h"
#include "gpu_runtime/common/trace.h"
#include "tests/support.h"

namespace test = dctwin::test;
using dctwin::json;
using namespace dctwin::gpu;

namespace {

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
std::string q(const std::string& s) { return test::shell_quote(s); }

std::string nvidia_smi_csv(const Trace& tr) {
  // nvidia-smi --query-gpu=timestamp,index,power.draw.instant,temperature.gpu --format=csv: whole degrees.
  std::string out = "timestamp, index, power.draw.instant [W], temperature.gpu\n";
  const GpuSeries& g = tr.gpus[0];
  for (std::size_t i = 0; i < g.size(); ++i) {
    const double t = g.t_s[i];
    const int ms = static_cast<int>(std::round(t * 1000));
    char b[128];
    std::snprintf(b, sizeof b, "2024/05/14 10:%02d:%02d.%03d, 0, %.2f W, %.0f\n", 20 + ms / 60000, (ms / 1000) % 60, ms % 1000, g.power_w[i],
                  g.temperature_c[i]);
    out += b;
  }
  return out;
}

}  // namespace

TEST_CASE("calibrate CLI: --coolant-c with an nvidia-smi temperature column fits R and tau into the fit report") {
  test::TempDir dir("calibrate-thermal");
  SyntheticSpec s;
  s.sample_hz = 20;
  s.r_th_k_w = 0.06;
  s.tau_th_s = 4.0;
  s.coolant_c = 30;
  s.tail_idle_s = 20;
  s.temperature_quantum_c = 1;
  const std::string csv = dir.file("smi.csv");
  test::write_file(csv, nvidia_smi_csv(make_synthetic_trace(s)));
  const std::string out = dir.file("p.json");
  const test::CliRun r = test::run_cli("calibrate " + q(csv) + " --base h100-sxm --coolant-c 30 -o " + q(out));
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(has(r.out, "\"gpu_thermal\": {"));
  CHECK(has(r.out, "(whole-degree readings)"));
  const json rep = json::parse(test::read_file(dir.file("p.fit.json")));
  const json& th = rep["thermal"];
  CHECK(std::abs(th["gpu_thermal"]["r_th_k_w"].get<double>() - 0.06) < 0.006);
  CHECK(std::abs(th["gpu_thermal"]["tau_s"].get<double>() - 4.0) < 0.4);
  CHECK(th["source"].get<std::string>().rfind("measured: ", 0) == 0);  // an nvidia-smi file is a measurement to the CLI
  CHECK(th["traces"][0]["gpus"][0]["samples_used"].get<int>() > 1000);
  CHECK(th["traces"][0]["gpus"][0]["quantised"].get<bool>());
  CHECK_FALSE(th["gpu_thermal"].contains("leakage"));
  CHECK_FALSE(th["leakage"]["fitted"].get<bool>());

  // The profile carries them: the cold-plate figures (the default --heat-sink) with the fit's
  // provenance; the thresholds and the air figures keep the base's.
  const json prof = json::parse(test::read_file(out));
  CHECK(std::abs(prof["thermal"]["cold_plate"]["r_th_k_w"].get<double>() - 0.06) < 0.006);
  CHECK(std::abs(prof["thermal"]["cold_plate"]["tau_s"].get<double>() - 4.0) < 0.4);
  CHECK(prof["thermal"]["cold_plate"]["r_th_k_w"] == th["gpu_thermal"]["r_th_k_w"]);
  CHECK(prof["sources"]["thermal_cold_plate"].get<std::string>().rfind("measured: junction-to-coolant", 0) == 0);
  CHECK(prof["sources"]["thermal_limits"].get<std::string>().rfind("measured:", 0) != 0);
  CHECK(prof["sources"]["thermal_air"].get<std::string>().rfind("measured:", 0) != 0);
  // --heat-sink air: the air figures instead.
  const test::CliRun air =
      test::run_cli("calibrate " + q(csv) + " --base h100-sxm --coolant-c 30 --heat-sink air -o " + q(dir.file("air.json")));
  REQUIRE(air.code == 0);
  const json pa = json::parse(test::read_file(dir.file("air.json")));
  CHECK(std::abs(pa["thermal"]["air"]["r_th_k_w"].get<double>() - 0.06) < 0.006);
  CHECK(pa["sources"]["thermal_air"].get<std::string>().rfind("measured: ", 0) == 0);
  CHECK(pa["thermal"]["cold_plate"] != prof["thermal"]["cold_plate"]);
  CHECK(test::run_cli("calibrate " + q(csv) + " --base h100-sxm --coolant-c 30 --heat-sink water -o " + q(dir.file("w.json"))).code == 2);

  // Without --coolant-c: no thermal fit.
  const test::CliRun plain = test::run_cli("calibrate " + q(csv) + " --base h100-sxm -o " + q(dir.file("p2.json")));
  REQUIRE(plain.code == 0);
  CHECK_FALSE(json::parse(test::read_file(dir.file("p2.fit.json"))).contains("thermal"));
}

TEST_CASE("calibrate CLI: bad temperature input exits 2 with the line") {
  test::TempDir dir("calibrate-thermal-bad");
  const std::string csv = dir.file("hot.csv");
  test::write_file(csv, "timestamp, index, power.draw [W], temperature.gpu\n2024/05/14 10:21:05.123, 0, 71.6 W, 40\n"
                        "2024/05/14 10:21:05.223, 0, 75.0 W, 3000\n");
  const test::CliRun r = test::run_cli("calibrate " + q(csv) + " --base h100-sxm --coolant-c 30 -o " + q(dir.file("p.json")));
  CHECK(r.code == 2);
  CHECK(has(r.out, csv + ": line 3: expected a GPU temperature in [-40, 150] °C for GPU 0"));
  const test::CliRun c = test::run_cli("calibrate " + q(csv) + " --base h100-sxm --coolant-c 400 -o " + q(dir.file("p.json")));
  CHECK(c.code == 2);
  CHECK(has(c.out, "--coolant-c: value: expected a coolant or inlet temperature in [-40, 100] °C"));
}

TEST_CASE("calibrate CLI: a dctwin trace's coolant_c column stands in for --coolant-c, sample by sample") {
  // The synthetic trace's power (seeded), with a junction temperature simulated here by the fitted
  // model's recursion (thermal_fit.h) under a coolant drifting 26 -> 34 °C over the trace, read in
  // whole degrees; the coolant column to 0.1 K. A constant coolant does not fit such a trace (on a
  // like one, --coolant-c 26 or 29 gave tau 7.4 or 6.4 s for 4 s; 30 is refused: a reading at it).
  test::TempDir dir("calibrate-coolant-column");
  SyntheticSpec s;
  s.sample_hz = 20;
  s.tail_idle_s = 20;
  s.energy = s.average = false;
  const Trace tr = make_synthetic_trace(s);
  const GpuSeries& g = tr.gpus[0];
  const double r_th = 0.06, tau = 4.0;
  const double t0 = g.t_s.front(), span = g.t_s.back() - g.t_s.front();
  auto coolant = [&](double t) { return std::round(10 * (26 + 8 * (t - t0) / span)) / 10; };
  for (const char* name : {"coolant_c", "inlet_c"}) {
    std::string csv = "# dctwin-trace 1\nrecord,t_s,gpu,power_w,temperature_c," + std::string(name) + "\n";
    double temp = coolant(g.t_s[0]) + r_th * g.power_w[0];
    for (std::size_t i = 0; i < g.size(); ++i) {
      char b[160];
      std::snprintf(b, sizeof b, "sample,%.6f,0,%.3f,%.0f,%.1f\n", g.t_s[i], g.power_w[i], temp, coolant(g.t_s[i]));
      csv += b;
      if (i + 1 < g.size()) {
        const double target = coolant(g.t_s[i]) + r_th * g.power_w[i];
        temp = target + (temp - target) * std::exp(-(g.t_s[i + 1] - g.t_s[i]) / tau);
      }
    }
    const std::string path = dir.file(std::string(name) + ".csv");
    test::write_file(path, csv);
    const std::string out = dir.file(std::string(name) + ".json");
    const test::CliRun r = test::run_cli("calibrate " + q(path) + " --base h100-sxm -o " + q(out));
    INFO(r.out);
    REQUIRE(r.code == 0);
    const json th = json::parse(test::read_file(dir.file(std::string(name) + ".fit.json")))["thermal"];
    CHECK(std::abs(th["gpu_thermal"]["r_th_k_w"].get<double>() - r_th) < 0.006);  // 10 %
    CHECK(std::abs(th["gpu_thermal"]["tau_s"].get<double>() - tau) < 0.4);
    CHECK(std::abs(th["traces"][0]["coolant_c"].get<double>() - 30) < 0.5);  // the column's mean
    const json prof = json::parse(test::read_file(out));
    CHECK(prof["thermal"]["cold_plate"]["r_th_k_w"] == th["gpu_thermal"]["r_th_k_w"]);
  }
}
