// Event queue: ordered by time, then priority (lower first), then insertion order.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/engine/event_queue.h"

using dctwin::EventQueue;
using dctwin::SimTime;

TEST_CASE("event_queue: time, then priority, then insertion order") {
  EventQueue<std::string> q;
  q.push(30, 0, "t30");
  q.push(10, 2, "t10-p2-first");
  q.push(10, 1, "t10-p1");
  q.push(10, 2, "t10-p2-second");
  q.push(5, 9, "t5-p9");
  q.push(10, 2, "t10-p2-third");
  q.push(10, -1, "t10-p-1");
  CHECK(q.size() == 7);
  std::vector<std::string> order;
  while (!q.empty()) order.push_back(q.pop().payload);
  const std::vector<std::string> expected = {"t5-p9",         "t10-p-1",      "t10-p1",
                                             "t10-p2-first",  "t10-p2-second", "t10-p2-third",
                                             "t30"};
  CHECK(order == expected);
}

TEST_CASE("event_queue: many equal events come out in insertion order") {
  EventQueue<int> q;
  for (int i = 0; i < 1000; ++i) q.push(42, 0, i);
  for (int i = 0; i < 1000; ++i) {
    const auto it = q.pop();
    CHECK(it.payload == i);
    CHECK(it.time == 42);
  }
  CHECK(q.empty());
}

TEST_CASE("event_queue: interleaved push and pop keep the order") {
  EventQueue<int> q;
  q.push(100, 0, 1);
  q.push(50, 0, 2);
  CHECK(q.top().payload == 2);
  CHECK(q.pop().payload == 2);
  q.push(75, 0, 3);
  q.push(100, 0, 4);  // same time as payload 1, pushed later
  CHECK(q.pop().payload == 3);
  CHECK(q.pop().payload == 1);
  CHECK(q.pop().payload == 4);
}

TEST_CASE("event_queue: time conversions are exact to the nanosecond") {
  CHECK(dctwin::to_simtime(1.0) == 1'000'000'000);
  CHECK(dctwin::to_simtime(0.1) == 100'000'000);
  CHECK(dctwin::to_simtime(2.3) == 2'300'000'000);  // 2.3 * 1e9 = 2299999999.9999995 rounds to 2.3e9
  CHECK(dctwin::to_simtime(-0.5) == -500'000'000);
  CHECK(dctwin::to_seconds(1'500'000'000) == 1.5);
  // 10 steps of 0.1 s sum to exactly 1 s in integer time (no floating drift).
  SimTime t = 0;
  for (int i = 0; i < 10; ++i) t += dctwin::to_simtime(0.1);
  CHECK(t == dctwin::kNsPerS);
}
