#include <doctest/doctest.h>

#include "models/power/server.h"

using namespace dctwin::power;

namespace {
// Test values, not a real node.
ServerParams test_node() {
  ServerParams s;
  s.gpus = 8;
  s.cpu = {100.0, 400.0};
  s.memory = {50.0, 120.0};
  s.nic = {20.0, 80.0};
  s.storage = {10.0, 30.0};
  s.other = {40.0, 100.0};
  s.fans = {500.0, 0.2, 10000.0};
  return s;
}
}  // namespace

TEST_CASE("server: active node by hand") {
  const ServerPower p = server_power(test_node(), 700.0, true);
  // GPUs 8 * 700 = 5600; cpu 400, memory 120, nic 80, storage 30, other 100 -> heat 6330 W
  // s = 0.633 -> s^3 = 0.253636137 -> fans 500 * 0.253636137 = 126.8180685 W
  // total = 6330 + 126.8180685 = 6456.8180685 W
  CHECK(p.gpu_w == doctest::Approx(5600.0).epsilon(1e-12));
  CHECK(p.cpu_w == 400.0);
  CHECK(p.memory_w == 120.0);
  CHECK(p.nic_w == 80.0);
  CHECK(p.storage_w == 30.0);
  CHECK(p.other_w == 100.0);
  CHECK(p.fan_w == doctest::Approx(126.8180685).epsilon(1e-9));
  CHECK(p.total_w() == doctest::Approx(6456.8180685).epsilon(1e-9));
}

TEST_CASE("server: idle node, fans at minimum speed") {
  const ServerPower p = server_power(test_node(), 70.0, false);
  // GPUs 560; cpu 100, memory 50, nic 20, storage 10, other 40 -> heat 780 W
  // s = 0.078 < 0.2 -> s = 0.2 -> fans 500 * 0.008 = 4 W; total 784 W
  CHECK(p.cpu_w == 100.0);
  CHECK(p.other_w == 40.0);
  CHECK(p.fan_w == doctest::Approx(4.0).epsilon(1e-12));
  CHECK(p.total_w() == doctest::Approx(784.0).epsilon(1e-12));
}

TEST_CASE("server: heat above fan design is reported, not clipped") {
  const ServerPower p = server_power(test_node(), 1200.0, true);
  // heat = 9600 + 730 = 10330 W -> s = 1.033 -> s^3 = 1.102302937 -> fans 551.1514685 W > 500
  CHECK(p.fan_w == doctest::Approx(551.1514685).epsilon(1e-9));
  CHECK(p.fan_w > 500.0);
}

TEST_CASE("server: gpu count and no fans") {
  ServerParams s = test_node();
  s.gpus = 4;
  s.fans = FanParams{};
  const ServerPower p = server_power(s, 1000.0, true);
  // 4 * 1000 + 730 = 4730 W, no fans
  CHECK(p.gpu_w == 4000.0);
  CHECK(p.fan_w == 0.0);
  CHECK(p.total_w() == doctest::Approx(4730.0).epsilon(1e-12));
  const ServerParams defaults;  // zeroed components, no fans
  CHECK(server_power(defaults, 500.0, true).total_w() == doctest::Approx(4000.0).epsilon(1e-12));
}

TEST_CASE("server: total sums every field") {
  ServerPower p;
  p.gpu_w = 1; p.cpu_w = 2; p.memory_w = 3; p.nic_w = 4; p.storage_w = 5; p.other_w = 6; p.fan_w = 7;
  CHECK(p.total_w() == 28.0);
}
