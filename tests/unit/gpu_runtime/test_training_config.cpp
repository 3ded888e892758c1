// The training-step emulator's configuration (gpu_runtime/common/training_config.cpp): defaults,
// several devices and the communication mode they imply, and one problem line per bad value.
#include <doctest/doctest.h>

#include <fstream>

#include "gpu_runtime/training_step.h"
#include "tests/support.h"

namespace {

std::string write(dctwin::test::TempDir& dir, const std::string& text) {
  const std::string path = dir.file("emulator.json");
  std::ofstream(path) << text;
  return path;
}

std::vector<std::string> problems_of(const std::string& path) {
  std::vector<std::string> out;
  try {
    dctwin::gpu::read_training_config(path);
  } catch (const dctwin::InputError& e) {
    for (const auto& p : e.problems().list()) out.push_back(p.where + ": expected " + p.expected + ", found " + p.found);
  }
  return out;
}

}  // namespace

TEST_CASE("training config: defaults are one GPU with paced traffic") {
  dctwin::test::TempDir dir("tcfg");
  const auto c = dctwin::gpu::read_training_config(write(dir, "{}"));
  CHECK(dctwin::gpu::device_list(c) == std::vector<int>{0});
  CHECK(c.comm_mode == "auto");
  CHECK(dctwin::gpu::effective_comm_mode(c) == "traffic");
  CHECK(c.hidden == 4096);
  CHECK(c.ffn == 16384);
}

TEST_CASE("training config: several devices mean an NCCL all-reduce unless a mode is given") {
  dctwin::test::TempDir dir("tcfg");
  auto c = dctwin::gpu::read_training_config(write(dir, R"({"devices": [2, 0, 1]})"));
  CHECK(dctwin::gpu::device_list(c) == std::vector<int>{2, 0, 1});
  CHECK(dctwin::gpu::effective_comm_mode(c) == "nccl");
  c = dctwin::gpu::read_training_config(write(dir, R"({"devices": [0, 1], "comm_mode": "idle"})"));
  CHECK(dctwin::gpu::effective_comm_mode(c) == "idle");
  // NCCL on one GPU is allowed when asked for (a one-rank clique: the collective is a local copy).
  c = dctwin::gpu::read_training_config(write(dir, R"({"device": 3, "comm_mode": "nccl"})"));
  CHECK(dctwin::gpu::device_list(c) == std::vector<int>{3});
  CHECK(dctwin::gpu::effective_comm_mode(c) == "nccl");
}

TEST_CASE("training config: bad devices and modes are one problem each with their JSON path") {
  dctwin::test::TempDir dir("tcfg");
  auto p = problems_of(write(dir, R"({"devices": [0, 0, -1, 1.5, "a"]})"));
  REQUIRE(p.size() == 4);
  CHECK(p[0] == "$.devices[1]: expected a device not listed before, found 0 (repeated)");
  CHECK(p[1].rfind("$.devices[2]: expected a CUDA device index from 0 to 1023", 0) == 0);
  CHECK(p[2].rfind("$.devices[3]: expected a CUDA device index", 0) == 0);
  CHECK(p[3].rfind("$.devices[4]: expected a CUDA device index", 0) == 0);
  p = problems_of(write(dir, R"({"device": 0, "devices": [1]})"));
  REQUIRE(p.size() == 1);
  CHECK(p[0].find("either device or devices") != std::string::npos);
  p = problems_of(write(dir, R"({"devices": []})"));
  REQUIRE(p.size() == 1);
  CHECK(p[0].rfind("$.devices: expected an array of 1 to 64 CUDA device indices", 0) == 0);
  p = problems_of(write(dir, R"({"comm_mode": "mpi"})"));
  REQUIRE(p.size() == 1);
  CHECK(p[0].find("$.comm_mode") == 0);
  p = problems_of(write(dir, R"({"hidden": 4096, "heads": 3})"));
  REQUIRE(p.size() == 1);
  CHECK(p[0] == "$.heads: expected a divisor of hidden (4096), found 3");
}
