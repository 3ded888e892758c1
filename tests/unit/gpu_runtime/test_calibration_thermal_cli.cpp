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
