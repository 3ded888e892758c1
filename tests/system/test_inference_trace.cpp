// An inference service driven by a request-rate trace (tests/data/inference-trace.csv) on
// tests/data/tiny.json: GPU power per interval, tokens served and energy per output token in
// summary.json, worked out by hand; and a bad trace exits 2 with one line per problem.
#include <doctest/doctest.h>

#include <atomic>
#include <sstream>

#include "core/json_reader.h"
#include "sim/input/scenario_loader.h"
#include "sim/run.h"
#include "tests/support.h"

using namespace dctwin;

namespace {

// Toy serving figures: R_p 1000 tokens/s, t(b) = 0.01 + 0.001 b s, B = 10, decode at half the
// toy GPU's range (100 + 0.5 x 900 = 550 W).
const char* kJob =
    R"(jobs.0={"name":"chat","kind":"inference","gpus":1,"start_s":0,"stop_s":null,)"
    R"("inference":{"request_trace":"inference-trace.csv","prefill_tokens_per_s":1000,"decode_base_s":0.01,)"
    R"("decode_per_sequence_s":0.001,"max_batch":10,"decode_power_fraction":0.5}})";

}  // namespace

TEST_CASE("system: an inference service follows its request trace") {
  // Intervals (tests/unit/models/workload/test_llm_serving.cpp works each one out):
  //   0-10 s: 1 req/s, 100 + 5 tokens   -> 214.75 W, 5 output tokens/s (batch 1)
  //  10-20 s: 2 req/s, 100 + 50 tokens  -> 640 W, 100 tokens/s (batch 1.43)
  //  20-30 s: 10 req/s, 100 + 50 tokens -> 775 W, 250 tokens/s (batch 10, half the requests served)
  // GPU column: the job's GPU plus the idle node's 100 W.
  const Scenario sc = test::load_tiny({"simulation.duration_s=30", "simulation.output_step_s=1", kJob});
  const RunResult r = run_scenario(sc);
  std::vector<double> gpu(r.engine.recorder.bin_count());
  REQUIRE(gpu.size() == 30);
  for (std::size_t k = 0; k < gpu.size(); ++k) gpu[k] = r.engine.recorder.bin_mean_w(k, kGpu);
  CHECK(gpu[5] == doctest::Approx(214.75 + 100).epsilon(1e-9));
  CHECK(gpu[15] == doctest::Approx(640.0 + 100).epsilon(1e-9));
  CHECK(gpu[25] == doctest::Approx(775.0 + 100).epsilon(1e-9));
  const auto& job = r.summary["jobs"][0];
  // Tokens: 10 x (5 + 100 + 250) = 3550; energy 10 x (214.75 + 640 + 775) = 16297.5 J.
  CHECK(job["output_tokens"].get<double>() == doctest::Approx(3550.0).epsilon(1e-9));
  CHECK(job["energy_per_output_token_j"].get<double>() == doctest::Approx(16297.5 / 3550.0).epsilon(1e-9));
  // A training job's entry has them null (not modelled).
  const RunResult t = run_scenario(test::load_tiny({"simulation.duration_s=4"}));
  CHECK(t.summary["jobs"][0]["output_tokens"].is_null());
  CHECK(t.summary["jobs"][0]["energy_per_output_token_j"].is_null());
}

TEST_CASE("system: a bad request trace exits 2 with one line per problem naming file and line") {
  test::TempDir d("bad-trace");
  test::write_file(d.file("t.csv"), "t_s,requests_per_s,prompt_tokens,output_tokens\n0,1,100,5\n0,x,100,5\n-4,1,1,1\n");
  json doc = json::parse(test::read_file(test::tiny_path()));
  doc["jobs"][0] = json::parse(R"({"name":"chat","kind":"inference","gpus":1,"start_s":0,"stop_s":null,)"
                               R"("inference":{"request_trace":")" + d.file("t.csv") + R"("}})");
  test::write_file(d.file("s.json"), doc.dump());
  const auto r = test::run_cli("validate " + d.file("s.json"));
  CAPTURE(r.out);
  CHECK(r.code == 2);
  CHECK(r.out.find("t.csv: line 3: expected requests_per_s a number") != std::string::npos);
  CHECK(r.out.find("t.csv: line 4: expected t_s a number") != std::string::npos);
  // Diurnal keys with a trace, and an unknown key, are errors too.
  doc["jobs"][0]["inference"]["peak_hour"] = 14;
  doc["jobs"][0]["inference"]["max_batchh"] = 4;
  test::write_file(d.file("s2.json"), doc.dump());
  const auto r2 = test::run_cli("validate " + d.file("s2.json"));
  CAPTURE(r2.out);
  CHECK(r2.code == 2);
  CHECK(r2.out.find("peak_hour") != std::string::npos);
  CHECK(r2.out.find("max_batchh") != std::string::npos);
}

TEST_CASE("system: a checkpoint is refused when the request trace's content changed since it was written") {
  test::TempDir d("trace-ck");
  const std::string header = "t_s,requests_per_s,prompt_tokens,output_tokens\n";
  std::string rows;  // a row every 2 s: events, so the run can stop part-way
  for (int t = 0; t < 20; t += 2) rows += std::to_string(t) + "," + std::to_string(1 + t % 3) + ",100,50\n";
  test::write_file(d.file("t.csv"), header + rows);
  json doc = json::parse(test::read_file(test::tiny_path()));
  doc["simulation"]["duration_s"] = 20;
  doc["jobs"][0] = json::parse(R"({"name":"chat","kind":"inference","gpus":1,"start_s":0,"stop_s":null,)"
                               R"("inference":{"request_trace":"t.csv"}})");
  test::write_file(d.file("s.json"), doc.dump());
  const Scenario before = load_scenario_file(d.file("s.json"));
  std::atomic<bool> stop{false};
  RunOptions ro;
  ro.stop = &stop;
  ro.checkpoint_file = d.file("run.dctwin");
  ro.progress = [&stop](double f) {
    if (f >= 0.3) stop = true;
  };
  REQUIRE(run_scenario(before, ro).engine.partial);
  RunOptions resume;
  resume.resume_file = d.file("run.dctwin");
  // The same files: the checkpoint is taken.
  CHECK_FALSE(run_scenario(load_scenario_file(d.file("s.json")), resume).engine.partial);
  // The same scenario JSON with another trace content (one rate changed): refused, one line.
  test::write_file(d.file("t.csv"), header + rows.substr(0, rows.size() - 1) + "0\n");  // the last row's output tokens 50 -> 500
  const Scenario after = load_scenario_file(d.file("s.json"));
  CHECK(after.content_hash != before.content_hash);
  bool refused = false;
  try {
    (void)run_scenario(after, resume);
  } catch (const InputError& e) {
    refused = true;
    REQUIRE(e.problems().size() == 1);
    CHECK(e.problems().list()[0].str().find("another scenario") != std::string::npos);
  }
  CHECK(refused);
}
