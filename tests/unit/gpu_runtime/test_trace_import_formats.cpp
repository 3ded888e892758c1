// Trace importers (gpu_runtime/common/trace.h) on the hand-written samples in tests/data/traces/
// (vendors' documented layouts, not recordings), the dctwin format round trip, and the errors for
// malformed input: file and line, what was expected, what was found.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "gpu_runtime/common/synthetic_trace.h"
#include "gpu_runtime/common/trace.h"
#include "core/problems.h"
#include "tests/support.h"

using namespace dctwin::gpu;
namespace test = dctwin::test;

namespace {

std::string sample(const std::string& name) { return test::source_path("tests/data/traces/" + name); }

// The error text of parsing `text` as `file` (empty when it parses).
std::string parse_error(const std::string& text, TraceFormat f = TraceFormat::Auto) {
  try {
    parse_trace(text, "bad.csv", f);
  } catch (const dctwin::InputError& e) {
    return e.what();
  }
  return "";
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("trace import: nvidia-smi CSV with units, two GPUs interleaved") {
  const Trace t = read_trace_file(sample("nvidia-smi-2gpu.csv"));
  CHECK(t.format == "nvidia-smi");
  REQUIRE(t.gpus.size() == 2);
  for (const auto& g : t.gpus) {
    CHECK(g.size() == 40);
    CHECK(g.has_power);      // power.draw.instant
    CHECK(g.has_power_avg);  // power.draw (1-s average on Ampere+)
    CHECK(g.has_sm_clock);
    CHECK(g.has_power_limit);
    CHECK(g.has_throttle);
    CHECK(g.t_s.front() == doctest::Approx(0.0));
    CHECK(g.t_s.back() == doctest::Approx(3.9));
  }
  CHECK(t.gpus[1].gpu == 1);
  CHECK(t.gpus[0].power_w[0] == doctest::Approx(69.20));
  CHECK(t.gpus[0].power_avg_w[0] == doctest::Approx(71.60));
  CHECK(t.gpus[0].sm_clock_mhz[0] == doctest::Approx(1755));
  CHECK(t.power_limit_w() == doctest::Approx(700));
}

TEST_CASE("trace import: nvidia-smi nounits, across midnight") {
  const Trace t = read_trace_file(sample("nvidia-smi-nounits.csv"), TraceFormat::NvidiaSmi);
  REQUIRE(t.gpus.size() == 1);
  const GpuSeries& g = t.gpus[0];
  CHECK_FALSE(g.has_power);
  CHECK(g.has_power_avg);
  CHECK(g.size() == 30);
  CHECK(g.t_s.back() == doctest::Approx(5.8));
  CHECK(std::isnan(t.power_limit_w()));
}

TEST_CASE("trace import: dcgmi dmon text") {
  const Trace t = read_trace_file(sample("dcgm-dmon.txt"), TraceFormat::Auto, 0.1);
  CHECK(t.format == "dcgm");
  REQUIRE(t.gpus.size() == 2);
  const GpuSeries& g = t.gpus[0];
  CHECK(g.size() == 30);
  CHECK(g.has_power_avg);  // POWER = field 155
  CHECK_FALSE(g.has_power);
  CHECK(g.has_energy);     // TOTEC, mJ -> J
  CHECK(g.energy_j[0] == doctest::Approx(1234574.999));
  CHECK(g.t_s[1] == doctest::Approx(0.1));
  CHECK(g.sm_clock_mhz[0] == doctest::Approx(1755));
}

TEST_CASE("trace import: dctwin format with markers, and a write/read round trip") {
  const Trace t = read_trace_file(sample("dctwin-trace.csv"));
  CHECK(t.format == "dctwin");
  REQUIRE(t.gpus.size() == 1);
  CHECK(t.gpus[0].size() == 9);
  REQUIRE(t.markers.size() == 5);
  CHECK(t.markers[1].phase == "compute");
  CHECK(t.markers[1].step == 0);
  CHECK(t.markers.back().phase == "end");
  CHECK(t.gpus[0].throttle_reasons[0] == 1);
  CHECK(t.meta.at("device") == "hand-written sample (not recorded)");

  SyntheticSpec s;
  s.steps = 3;
  s.markers = true;
  s.gpus = 2;
  const Trace a = make_synthetic_trace(s);
  const Trace b = parse_trace(format_dctwin_trace(a), "roundtrip.csv");
  REQUIRE(b.gpus.size() == 2);
  CHECK(b.markers.size() == a.markers.size());
  CHECK(b.meta.at("synthetic") == "true");
  for (std::size_t g = 0; g < 2; ++g) {
    REQUIRE(b.gpus[g].size() == a.gpus[g].size());
    for (std::size_t i = 0; i < a.gpus[g].size(); i += 37) {
      CHECK(b.gpus[g].t_s[i] == doctest::Approx(a.gpus[g].t_s[i]).epsilon(1e-9));
      CHECK(b.gpus[g].power_w[i] == doctest::Approx(a.gpus[g].power_w[i]).epsilon(1e-8));
    }
  }
}

TEST_CASE("trace import: a dctwin coolant_c or inlet_c column, read per sample, checked like the other fields") {
  const std::string head = "# dctwin-trace 1\nrecord,t_s,gpu,power_w,temperature_c,";
  const Trace t = parse_trace(head + "coolant_c\nsample,0,0,100,40,30.5\nsample,0.1,0,600,41,31\n", "c.csv");
  REQUIRE(t.gpus.size() == 1);
  CHECK(t.gpus[0].has_coolant);
  REQUIRE(t.gpus[0].coolant_c.size() == 2);
  CHECK(t.gpus[0].coolant_c[1] == 31.0);
  const Trace i = parse_trace(head + "inlet_c\nsample,0,0,100,40,24\nsample,0.1,0,600,41,25\n", "i.csv");
  CHECK(i.gpus[0].coolant_c[0] == 24.0);
  // Without the column: none (and an empty vector).
  const Trace n = parse_trace("# dctwin-trace 1\nrecord,t_s,gpu,power_w\nsample,0,0,100\nsample,0.1,0,600\n", "n.csv");
  CHECK_FALSE(n.gpus[0].has_coolant);
  CHECK(n.gpus[0].coolant_c.empty());
  CHECK(has(parse_error(head + "coolant_c\nsample,0,0,100,40,30\nsample,0.1,0,600,41,400\n"),
            "bad.csv: line 4: expected a coolant or inlet temperature in [-40, 100] °C for GPU 0"));
  CHECK(has(parse_error(head + "coolant_c\nsample,0,0,100,40,30\nsample,0.1,0,600,41,\n"), "a value of coolant temperature for GPU 0"));
  CHECK(has(parse_error(head + "coolant_c,inlet_c\nsample,0,0,100,40,30,30\n"), "one coolant column (coolant_c or inlet_c)"));
}

TEST_CASE("trace import: malformed input names file and line") {
  const std::string smi = "timestamp, index, power.draw [W]\n";
  // A bad number.
  std::string e = parse_error(smi + "2024/05/14 10:21:05.123, 0, 71.6 W\n2024/05/14 10:21:05.223, 0, abc W\n");
  CHECK(has(e, "bad.csv: line 3: expected a number in W in column power.draw [W], found \"abc W\""));
  // NaN.
  e = parse_error(smi + "2024/05/14 10:21:05.123, 0, 71.6\n2024/05/14 10:21:05.223, 0, nan\n");
  CHECK(has(e, "bad.csv: line 3: expected a finite number"));
  // Time going backwards for one GPU.
  e = parse_error(smi + "2024/05/14 10:21:05.123, 0, 71.6\n2024/05/14 10:21:05.023, 0, 72.0\n2024/05/14 10:21:05.323, 0, 72.0\n");
  CHECK(has(e, "bad.csv: line 3: expected time increasing for GPU 0"));
  // A missing column (no power).
  e = parse_error("timestamp, index, temperature.gpu\n2024/05/14 10:21:05.123, 0, 30\n", TraceFormat::NvidiaSmi);
  CHECK(has(e, "bad.csv: line 1: expected a power column"));
  // A short row.
  e = parse_error(smi + "2024/05/14 10:21:05.123, 0\n");
  CHECK(has(e, "bad.csv: line 2: expected 3 comma-separated fields"));
  // dctwin: unknown column with a hint, and a bad phase.
  e = parse_error("# dctwin-trace 1\nrecord,t_s,gpu,powr_w\n");
  CHECK(has(e, "did you mean \"power_w\"?"));
  e = parse_error("# dctwin-trace 1\nrecord,t_s,gpu,power_w,phase\nmarker,0,,,compute\nmarker,1,,,warmup\n");
  CHECK(has(e, "bad.csv: line 4: expected a phase"));
  // dctwin: a field present in some samples only.
  e = parse_error("# dctwin-trace 1\nrecord,t_s,gpu,power_w,energy_j\nsample,0,0,70,1\nsample,1,0,71,\nsample,2,0,72,3\n");
  CHECK(has(e, "bad.csv: line 4: expected a value of energy for GPU 0"));
  // dcgm: a row before the header; an unknown format.
  e = parse_error("GPU 0  70.0\n", TraceFormat::Dcgm);
  CHECK(has(e, "bad.csv: line 1: expected the \"#Entity ...\" header"));
  e = parse_error("hello\nworld\n");
  CHECK(has(e, "bad.csv: line 1: expected a trace in a known format"));
  // A missing file.
  try {
    read_trace_file("/nonexistent/trace.csv");
    FAIL("expected an InputError");
  } catch (const dctwin::InputError& ex) {
    CHECK(has(ex.what(), "/nonexistent/trace.csv: file: expected an existing file"));
  }
}

// Found by fuzz_trace_nvidia_smi (tests/fuzz): a GPU index of 8.9e108 was cast to int (undefined
// behaviour); a negative or fractional DCGM entity id was skipped silently. Each is now a problem.
TEST_CASE("trace import: absurd, negative or fractional GPU indices are problems with their line") {
  const std::string smi = "timestamp, index, power.draw [W]\n2024/05/14 23:59:58.000, 8.88889e108, 70.0\n";
  auto problem_of = [](const std::string& text, TraceFormat f) {
    try {
      (void)parse_trace(text, "t.csv", f);
    } catch (const dctwin::InputError& e) {
      return e.problems().list().front().str();
    }
    return std::string("accepted");
  };
  CHECK(problem_of(smi, TraceFormat::NvidiaSmi).find("t.csv: line 2: expected a GPU index (integer 0 .. 1000000) in column index") == 0);
  const std::string dcgm = "#Entity   POWER\nID\nGPU -1     300.0\n";
  CHECK(problem_of(dcgm, TraceFormat::Dcgm).find("expected a GPU index (integer 0 .. 1000000) in column entity id") != std::string::npos);
  const std::string dcgm_frac = "#Entity   POWER\nID\nGPU 0.5     300.0\n";
  CHECK(problem_of(dcgm_frac, TraceFormat::Dcgm).find("found \"0.5\"") != std::string::npos);
}

// Found by fuzz_trace_dctwin in CI (tests/fuzz): a marker's step of 1e76 was cast to long
// (undefined behaviour). A step must be a whole number 0 .. 2^53.
TEST_CASE("trace import: an absurd, negative or fractional marker step is a problem with its line") {
  auto problem_of = [](const std::string& text) {
    try {
      (void)parse_trace(text, "t.csv", TraceFormat::Dctwin);
    } catch (const dctwin::InputError& e) {
      return e.problems().list().front().str();
    }
    return std::string("accepted");
  };
  const std::string head = "# dctwin-trace 1\nrecord,t_s,gpu,power_w,phase,step\nsample,0,0,70,,\n";
  CHECK(problem_of(head + "marker,0,,,compute,1e76\n") ==
        "t.csv: line 4: expected a step number (integer 0 .. 2^53) in column step, found \"1e76\"");
  CHECK(problem_of(head + "marker,0,,,compute,-1\n").find("line 4: expected a step number") != std::string::npos);
  CHECK(problem_of(head + "marker,0,,,compute,2.5\n").find("found \"2.5\"") != std::string::npos);
}

// The importers list at most 20 problems, then one line with the count of the rest (here for the
// whole file, since the last one, no power value for GPU 0, is on line 2); found text is in double
// quotes, control bytes shown as \xNN.
TEST_CASE("trace import: a badly broken file gives 20 problems and a count of the rest") {
  std::string text = "timestamp, index, power.draw [W]\n";
  for (int i = 10; i < 35; ++i) text += "2024/05/14 10:21:" + std::to_string(i) + ".000, 0, bad\n";  // lines 2 .. 26
  try {
    (void)parse_trace(text, "t.csv", TraceFormat::NvidiaSmi);
    FAIL("expected an InputError");
  } catch (const dctwin::InputError& e) {
    const auto& list = e.problems().list();
    REQUIRE(list.size() == 21);
    CHECK(list[0].str() == "t.csv: line 2: expected a number in W in column power.draw [W], found \"bad\"");
    CHECK(list[19].str().rfind("t.csv: line 21: ", 0) == 0);
    CHECK(list[20].str() == "t.csv: file: expected at most 20 problems listed, found 6 more not shown");
  }
  const std::string e = parse_error("# dctwin-trace 1\nrecord,t_s,gpu,power_w\nsample,0,0,7\x01\n");
  CHECK(has(e, "bad.csv: line 3: expected a number in column power_w, found \"7\\x01\""));
}
