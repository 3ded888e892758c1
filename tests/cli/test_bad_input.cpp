// Bad input, systematically: for every input of the command line — scenario files,
// `--set` overrides, command-line values, GPU profile files, weather files, traces, checkpoints,
// run folders — missing, empty, truncated, binary, wrongly encoded, huge, wrong types, negative,
// zero, NaN, infinite, absurd and unknown values. Each must give exit code 2 and only lines of the
// form "FILE: WHERE: expected ..., found ..." (plus the closing count): never a crash, a raw
// exception text, an internal error or a silent default.
#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

#include <sys/stat.h>

#include "core/json_reader.h"
#include "tests/support.h"

namespace dctwin {
namespace {

// Checks one bad invocation: exit 2, every line a well-formed problem, `expect` somewhere in it.
void bad(const std::string& args, const std::string& expect) {
  CAPTURE(args);
  const auto r = test::run_cli(args);
  CAPTURE(r.out);
  CHECK(r.code == 2);
  CHECK(r.out.find(expect) != std::string::npos);
  for (const char* raw : {"internal error", "terminate called", "what():", "Segmentation", "Aborted", "sanitizer"})
    CHECK(r.out.find(raw) == std::string::npos);
  std::istringstream lines(r.out);
  int problems = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.find(" found; ") != std::string::npos && line.find("problem") != std::string::npos) continue;  // the count
    if (line.rfind("dctwin: ", 0) == 0 && line.find("expected") == std::string::npos &&
        line.rfind("dctwin: command line: ", 0) != 0)
      continue;  // progress and information lines
    if (line.rfind("dctwin: command line: ", 0) == 0) {
      ++problems;
      continue;
    }
    CAPTURE(line);
    CHECK(line.find(": expected ") != std::string::npos);
    CHECK(line.find(", found ") != std::string::npos);
    ++problems;
  }
  CHECK(problems >= 1);
}

std::string tiny() { return test::tiny_path(); }

// tiny.json with `edit` applied to its JSON, written to `dir/name`.
std::string edited(const test::TempDir& dir, const std::string& name, const std::function<void(json&)>& edit) {
  json doc = json::parse(test::read_file(tiny()));
  edit(doc);
  const std::string path = dir.file(name);
  test::write_file(path, doc.dump(2));
  return path;
}

}  // namespace

TEST_CASE("bad scenario files: missing, a folder, empty, truncated, binary, wrong encoding, huge, duplicate keys") {
  test::TempDir d("bad-files");
  const std::string text = test::read_file(tiny());
  bad("validate " + d.file("nope.json"), "no such file");
  bad("validate " + d.str(), "a directory");
  bad("validate /dev/null", "a regular file");
  test::write_file(d.file("empty.json"), "");
  bad("validate " + d.file("empty.json"), "empty.json");
  test::write_file(d.file("trunc.json"), text.substr(0, text.size() / 2));
  bad("validate " + d.file("trunc.json"), "line ");
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 2654435761u) >> 13);
  test::write_file(d.file("garbage.json"), garbage);
  bad("validate " + d.file("garbage.json"), "garbage.json");
  // UTF-16 (as Windows editors save): every ASCII byte followed by NUL, with a byte-order mark.
  std::string utf16 = "\xff\xfe";
  for (char c : text) utf16 += std::string(1, c) + '\0';
  test::write_file(d.file("utf16.json"), utf16);
  bad("validate " + d.file("utf16.json"), "utf16.json");
  // Latin-1 in a string (not UTF-8).
  std::string latin1 = text;
  latin1.replace(latin1.find("\"tiny\""), 6, "\"t\xe9st\"");
  test::write_file(d.file("latin1.json"), latin1);
  bad("validate " + d.file("latin1.json"), "latin1.json");
  // Larger than the 64 MiB limit (sparse: nothing is written).
  { std::ofstream(d.file("huge.json")); }
  std::filesystem::resize_file(d.file("huge.json"), (std::uintmax_t{64} << 20) + 1);
  bad("validate " + d.file("huge.json"), "bytes");
  // Nesting two million deep (recursive code would overflow its stack; path tracking would use
  // gigabytes): refused at the bracket that goes too deep.
  test::write_file(d.file("deep.json"), "{\"name\": " + std::string(2000000, '[') + std::string(2000000, ']') + "}");
  bad("validate " + d.file("deep.json"), "nested at most 256 deep");
  std::string dup = text;
  dup.replace(dup.find("\"name\": \"tiny\","), 15, "\"name\": \"tiny\", \"name\": \"again\",");
  test::write_file(d.file("dup.json"), dup);
  bad("validate " + d.file("dup.json"), "$.name");
  bad("validate " + edited(d, "nosim.json", [](json& j) { j.erase("simulation"); }), "$.simulation");
  bad("validate " + edited(d, "nojobs.json", [](json& j) { j["jobs"][0].erase("gpus"); }), "$.jobs[0].gpus");
  bad("validate " + edited(d, "array.json", [](json& j) { j = json::array({j}); }), "$");
}

TEST_CASE("bad --set overrides: wrong types, negative, zero, NaN, infinite, absurd, unknown enums and keys, bad paths") {
  const std::string v = "validate " + tiny() + " --set ";
  bad(v + "jobs.0.gpus=-1", "$.jobs[0].gpus");
  bad(v + "jobs.0.gpus=0", "$.jobs[0].gpus");
  bad(v + "jobs.0.gpus=1e30", "$.jobs[0].gpus");
  bad(v + "jobs.0.gpus=1.5", "$.jobs[0].gpus");
  bad(v + "jobs.0.gpus=nan", "$.jobs[0].gpus");
  bad(v + "jobs.0.gpus=1e400", "$.jobs[0].gpus");
  bad(v + "campus.halls.0.count=1e30", "$.campus.halls[0].count");
  bad(v + "simulation.duration_s=3.156e16", "$.simulation.duration_s");  // a billion years
  bad(v + "simulation.duration_s=-1", "$.simulation.duration_s");
  bad(v + "simulation.duration_s=0", "$.simulation.duration_s");
  bad(v + "simulation.duration_s=inf", "$.simulation.duration_s");
  bad(v + "simulation.duration_s=\\\"10\\\"", "$.simulation.duration_s");
  bad(v + "simulation.duration_s=true", "$.simulation.duration_s");
  bad(v + "simulation.duration_s=null", "$.simulation.duration_s");
  bad(v + "simulation.output_step_s=0", "$.simulation.output_step_s");
  bad(v + "simulation.seed=-1", "$.simulation.seed");
  bad(v + "simulation.seed=1e30", "$.simulation.seed");
  bad(v + "campus.halls.0.lineups.redundancy=N+7x", "$.campus.halls[0].lineups.redundancy");
  bad(v + "campus.halls.0.lineups.ups.mode=turbo", "$.campus.halls[0].lineups.ups.mode");
  bad(v + "jobs.0.kind=mining", "$.jobs[0].kind");
  bad(v + "simulation.durration_s=10", "did you mean");
  bad(v + "nosuch.key=1", "--set");
  bad(v + "jobs.99.gpus=1", "--set");
  bad(v + "jobs.99999999999999999999999.gpus=1", "--set");
  bad(v + "jobs.99999999999999999999999=1", "--set");
  bad(v + "jobs.0.gpus", "--set");
  bad(v + "=1", "--set");
  bad(v + "jobs='{}'", "$.jobs");
  bad(v + "'name=\xff\xfe'", "--set");
  bad(v + "description=" + std::string(60000, '[') + std::string(60000, ']'), "nested at most 256 deep");
  bad(v + "simulation.rack_series_step_s=0", "$.simulation.rack_series_step_s");
}

TEST_CASE("bad command-line values: negative, zero, NaN, not numbers, absurd") {
  test::TempDir out("bad-cli");
  const std::string r = "run " + tiny() + " --no-report -o " + out.file("out") + " ";
  bad(r + "--duration-s -5", "--duration-s");
  bad(r + "--duration-s 0", "--duration-s");
  bad(r + "--duration-s nan", "--duration-s");
  bad(r + "--duration-s inf", "--duration-s");
  bad(r + "--duration-s 3.156e16", "--duration-s");
  bad(r + "--duration-s abc", "command line");
  bad(r + "--dt-s 0", "--dt-s");
  bad(r + "--seed -1", "$.simulation.seed");
  bad(r + "--seed 1e30", "command line");
  bad(r + "--checkpoint-every-s 0", "--checkpoint-every-s");
  bad(r + "--checkpoint-every-s nan", "--checkpoint-every-s");
  bad(r + "--max-memory-gb -1", "--max-memory-gb");
  bad(r + "--no-such-option", "command line");
  bad("report /nonexistent-dctwin-run", "nonexistent-dctwin-run");
  CHECK_FALSE(std::filesystem::exists(out.file("out")));  // nothing was run
  // Output folders that cannot be created (a file stands in the way).
  test::TempDir d("bad-out");
  test::write_file(d.file("a-file"), "x");
  bad("run " + tiny() + " --no-report -o " + d.file("a-file"), "output folder (-o)");
  bad("run " + tiny() + " --no-report -o " + d.file("a-file") + "/sub", "output folder (-o)");
  const std::string cooled = test::source_path("tests/data/tiny-cooling.json");
  bad("whatif " + cooled + " -o " + d.file("a-file") + " --vary jobs.0.gpus=1", "output folder (-o)");
  // whatif: an empty value in a list is a problem, never silently dropped.
  bad("whatif " + cooled + " -o " + d.str() + " --vary jobs.0.gpus=1,,2", "jobs.0.gpus=1,,2");
  bad("whatif " + cooled + " -o " + d.str() + " --vary jobs.0.gpus=1,", "--vary");
  bad("whatif " + cooled + " -o " + d.str() + " --vary jobs.0.gpus=-1,1", "$.jobs[0].gpus");
  std::string many = "whatif " + cooled + " -o " + d.str();  // 10^21 combinations: no wrap-around
  for (int i = 0; i < 7; ++i) {
    many += " --vary jobs.0.gpus=";
    for (int k = 1; k <= 1000; ++k) many += (k > 1 ? "," : "") + std::to_string(k);
  }
  bad(many, "at most 1000 combinations");
  bad("report " + test::source_path("tests/data") + " --margin-pct nan", "margin");
  bad("report " + test::source_path("tests/data") + " --margin-pct -5", "margin");
  bad("report " + test::source_path("tests/data") + " --kind pretty", "command line");
}

TEST_CASE("report --baseline: a missing run, or one of another duration, is bad input") {
  test::TempDir d("baseline");
  REQUIRE(test::run_cli("run " + tiny() + " --no-report -o " + d.file("a") + " --duration-s 60").code == 0);
  REQUIRE(test::run_cli("run " + tiny() + " --no-report -o " + d.file("b") + " --duration-s 30").code == 0);
  bad("report " + d.file("a") + " --baseline /nonexistent-dctwin-run", "nonexistent-dctwin-run");
  bad("report " + d.file("a") + " --baseline " + d.file("b"), "duration_s");
  CHECK_FALSE(std::filesystem::exists(d.file("a") + "/report.html"));
}

TEST_CASE("a run that would not fit in memory is refused before allocating, with the estimate and the limit") {
  test::TempDir d("mem");
  // 3e8 s at 6 s (5e7 intervals) and a rack series at 1 ms: far beyond any machine.
  bad("run " + tiny() + " --no-report -o " + d.str() +
          " --set simulation.duration_s=3e8 --set simulation.output_step_s=6 --set simulation.rack_series_step_s=0.001",
      "estimated");
  const auto r = test::run_cli("run " + tiny() + " --no-report -o " + d.str() + " --duration-s 100000 --max-memory-gb 0.01");
  CHECK(r.code == 2);
  CHECK(r.out.find("fits in 0.01 GiB (--max-memory-gb)") != std::string::npos);
  CHECK(r.out.find("an estimated 0.") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(d.file("summary.json")));
  CHECK(test::run_cli("run " + tiny() + " --no-report -o " + d.str() + " --max-memory-gb 1").code == 0);
}

TEST_CASE("bad referenced files: GPU profiles and EPW weather missing, a folder, garbage, truncated, relative to the scenario") {
  test::TempDir d("bad-refs");
  auto profile_ref = [&](const std::string& file) {
    return edited(d, "s.json", [&](json& j) {
      j["gpu_profiles"]["toy-gpu"] = json{{"file", file}};
    });
  };
  bad("validate " + profile_ref("missing.json"), "$.gpu_profiles.toy-gpu.file");
  std::filesystem::create_directory(d.file("dir.json"));
  bad("validate " + profile_ref("dir.json"), "a directory");
  test::write_file(d.file("garbage.json"), std::string("\x00\x01\x02\xff{", 5));
  bad("validate " + profile_ref("garbage.json"), "garbage.json");
  json prof = json::parse(test::read_file(tiny()))["gpu_profiles"]["toy-gpu"];
  prof["tdp_w"] = -1;
  test::write_file(d.file("neg.json"), prof.dump());
  bad("validate " + profile_ref("neg.json"), "$.tdp_w");
  // Resolved relative to the scenario file, not the working directory: the same name one folder up
  // does not count.
  prof["tdp_w"] = 1000;
  test::write_file(d.file("ok.json"), prof.dump());
  std::filesystem::create_directory(d.file("sub"));
  const std::string in_sub = edited(d, "sub/s.json", [&](json& j) { j["gpu_profiles"]["toy-gpu"] = json{{"file", "ok.json"}}; });
  bad("validate " + in_sub, "ok.json");
  CHECK(test::run_cli("validate " + edited(d, "s2.json", [&](json& j) { j["gpu_profiles"]["toy-gpu"] = json{{"file", "ok.json"}}; }))
            .code == 0);

  const std::string cooled = test::source_path("tests/data/tiny-cooling.json");
  auto epw = [&](const std::string& file) {
    json j = json::parse(test::read_file(cooled));
    j["cooling"]["weather"] = json{{"epw_file", file}};
    test::write_file(d.file("c.json"), j.dump());
    return d.file("c.json");
  };
  bad("validate " + epw("none.epw"), "$.cooling.weather.epw_file");
  bad("validate " + epw("sub"), "$.cooling.weather.epw_file");
  test::write_file(d.file("empty.epw"), "");
  bad("validate " + epw("empty.epw"), "$.cooling.weather.epw_file");
  test::write_file(d.file("bin.epw"), std::string(3000, '\xfe'));
  bad("validate " + epw("bin.epw"), "$.cooling.weather.epw_file");
  const std::string real = test::read_file(test::source_path("data/weather/chicago.epw"));
  if (!real.empty()) {
    test::write_file(d.file("half.epw"), real.substr(0, real.size() / 2));
    bad("validate " + epw("half.epw"), "$.cooling.weather.epw_file");
  }
}

TEST_CASE("bad traces for calibrate: missing, empty, binary, truncated, wrong format, bad values") {
  test::TempDir d("bad-traces");
  const std::string cal = "calibrate --base h100-sxm -o " + d.file("p.json") + " ";
  bad(cal + d.file("none.csv"), "none.csv");
  bad(cal + d.str(), "a directory");
  REQUIRE(mkfifo(d.file("fifo.csv").c_str(), 0600) == 0);  // would block a reader forever
  bad(cal + d.file("fifo.csv"), "a regular file");
  test::write_file(d.file("empty.csv"), "");
  bad(cal + d.file("empty.csv"), "empty.csv");
  test::write_file(d.file("bin.csv"), std::string("\x89PNG\r\n\x1a\n\0\0\0", 11) + std::string(2000, '\x07'));
  bad(cal + d.file("bin.csv"), "bin.csv");
  const std::string smi = test::read_file(test::source_path("tests/data/traces/nvidia-smi-2gpu.csv"));
  test::write_file(d.file("trunc.csv"), smi.substr(0, smi.find('\n') + 1));
  bad(cal + d.file("trunc.csv"), "trunc.csv");
  std::string neg = smi;
  const auto pos = neg.find('\n', neg.find('\n') + 1);
  neg.insert(pos + 1, "2024/01/01 00:00:00.000, 0, NVIDIA H100, -5 W, 700 W, 1980 MHz, 50\n");
  test::write_file(d.file("neg.csv"), neg);
  bad(cal + "--format nvidia-smi " + d.file("neg.csv"), "neg.csv");
  bad(cal + "--format dcgm " + test::source_path("tests/data/traces/nvidia-smi-2gpu.csv"), "nvidia-smi-2gpu.csv");
  bad(cal + "--format punchcard " + test::source_path("tests/data/traces/nvidia-smi-2gpu.csv"), "--format");
  bad(cal + "--dcgm-delay-ms -1 " + test::source_path("tests/data/traces/dcgm-dmon.txt"), "delay");
  bad(cal + "--dcgm-delay-ms nan " + test::source_path("tests/data/traces/dcgm-dmon.txt"), "delay");
  bad("calibrate --base nosuch-gpu -o " + d.file("p.json") + " " + test::source_path("tests/data/traces/dctwin-trace.csv"), "nosuch-gpu");
}

TEST_CASE("bad power-limit sweeps and price-carbon files: each bad field with its file, line and column") {
  test::TempDir d("bad-sweep-price");
  const std::string cal = "calibrate --base h100-sxm -o " + d.file("p.json") + " --limit-sweep ";
  bad(cal + d.file("none.csv"), "none.csv");
  test::write_file(d.file("s.csv"), "power_limit_w,step_time_s,avg_power_w\n700,1,650\n600,fast,590\n");
  bad(cal + d.file("s.csv"), "s.csv: line 3: expected column 2 (step_time_s)");
  test::write_file(d.file("h.csv"), "limit,time\n700,1\n");
  bad(cal + d.file("h.csv"), "h.csv: line 1: expected a header with column \"avg_power_w\"");
  bad("calibrate --base h100-sxm -o " + d.file("p.json"), "--limit-sweep");
  test::write_file(d.file("price.csv"), "t_s,usd_per_mwh,kg_co2_per_mwh\n0,50,10\n60,50,-3\n");
  const std::string sc = edited(d, "sc.json", [](json& j) { j["grid"] = {{"price_carbon_file", "price.csv"}}; });
  bad("validate " + sc, "price.csv: line 3: expected column 3 (kg_co2_per_mwh)");
  const std::string iso = edited(d, "iso.json", [](json& j) { j["grid"] = {{"price_carbon_file", "price.csv"}, {"start_time", "July 1"}}; });
  bad("validate " + iso, "start_time");
  const std::string missing = edited(d, "missing.json", [](json& j) { j["grid"] = {{"price_carbon_file", "nosuch.csv"}}; });
  bad("validate " + missing, "nosuch.csv");
}

}  // namespace dctwin

namespace dctwin {

TEST_CASE("bad voltage series for flicker: missing, binary, no header, bad values, too short, bad --line-hz") {
  test::TempDir d("bad-flicker");
  const std::string fl = "flicker -o " + d.file("out") + " --line-hz 50 ";
  bad(fl + d.file("none.csv"), "none.csv");
  bad(fl + d.str(), "a directory");
  test::write_file(d.file("empty.csv"), "");
  bad(fl + d.file("empty.csv"), "empty.csv");
  test::write_file(d.file("bin.csv"), std::string("\x89PNG\r\n\x1a\n\0\0\0", 11));
  bad(fl + d.file("bin.csv"), "binary");
  test::write_file(d.file("head.csv"), "t_s,volts\n0,230\n700,230\n");
  bad(fl + d.file("head.csv"), "\"v_rms\"");
  test::write_file(d.file("neg.csv"), "t_s,v_rms\n0,230\n1,-230\n2,nan\n3,abc\n700,230\n");
  bad(fl + d.file("neg.csv"), "line 3: expected v_rms");
  test::write_file(d.file("order.csv"), "t_s,v_rms\n0,230\n5,230\n5,231\n700,230\n");
  bad(fl + d.file("order.csv"), "line 4: expected t_s greater");
  test::write_file(d.file("short.csv"), "t_s,v_rms\n0,230\n599,231\n");
  bad(fl + d.file("short.csv"), "at least 600 s");
  test::write_file(d.file("ok.csv"), "t_s,v_rms\n0,230\n700,230\n");
  bad("flicker -o " + d.file("out") + " --line-hz 55 " + d.file("ok.csv"), "line-hz");
  bad("flicker -o " + d.file("out") + " " + d.file("ok.csv"), "line-hz");
  CHECK_FALSE(std::filesystem::exists(d.file("out")));
}

}  // namespace dctwin
