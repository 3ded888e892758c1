// The training-step emulator's orchestration without a GPU (gpu_runtime/common/lockstep.h): CPU
// workers stand in for the GPUs' host threads. Lockstep steps and their markers, a failure before
// and during the steps (no worker left waiting, the first error kept), an exception, and the
// watchdog releasing workers blocked on one another outside the gate (as in an NCCL all-reduce).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "gpu_runtime/common/lockstep.h"

using dctwin::gpu::LockstepResult;
using dctwin::gpu::LockstepTiming;
using dctwin::gpu::LockstepWorker;
using dctwin::gpu::run_lockstep;

namespace {

LockstepTiming timing(double duration_s) {
  LockstepTiming t;
  t.origin = std::chrono::steady_clock::now();
  t.duration_s = duration_s;
  t.lead_idle_s = 0.05;
  t.tail_idle_s = 0.1;
  return t;
}

void sleep_s(double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); }

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("lockstep: every worker runs the same steps, marked once, in time order") {
  const LockstepTiming t = timing(0.8);
  std::atomic<long> steps_run[3] = {0, 0, 0};
  const LockstepResult r = run_lockstep(3, t, [&](LockstepWorker& w) {
    sleep_s(0.01 * w.rank());  // unequal set-up times
    if (!w.ready()) return;
    long step = 0;
    while (w.next_step(step)) {
      CHECK(step == steps_run[w.rank()]);
      sleep_s(0.02 + 0.005 * w.rank());  // unequal compute
      if (w.rank() == 0) w.mark("communication", step);
      sleep_s(0.01);
      if (w.rank() == 0) w.mark("optimizer", step);
      w.beat();
      ++steps_run[w.rank()];
    }
  });
  REQUIRE(r.ok);
  CHECK(r.error.empty());
  REQUIRE(r.steps >= 2);
  for (auto& s : steps_run) CHECK(s == r.steps);
  // idle, then per step compute / communication / optimizer, then idle (tail), then end.
  REQUIRE(r.markers.size() == static_cast<std::size_t>(3 * r.steps + 3));
  CHECK(r.markers.front().phase == "idle");
  for (long k = 0; k < r.steps; ++k) {
    const auto base = static_cast<std::size_t>(1 + 3 * k);
    CHECK(r.markers[base].phase == "compute");
    CHECK(r.markers[base].step == k);
    CHECK(r.markers[base + 1].phase == "communication");
    CHECK(r.markers[base + 2].phase == "optimizer");
  }
  CHECK(r.markers[r.markers.size() - 2].phase == "idle");
  CHECK(r.markers.back().phase == "end");
  for (std::size_t i = 1; i < r.markers.size(); ++i) CHECK(r.markers[i].t_s >= r.markers[i - 1].t_s);
  // The lead idle precedes the first step; no step starts after duration - tail; the end is at the duration.
  CHECK(r.markers[1].t_s - r.markers[0].t_s >= t.lead_idle_s - 1e-3);
  CHECK(r.markers[3 * static_cast<std::size_t>(r.steps) - 2].t_s < t.duration_s - t.tail_idle_s);
  CHECK(r.markers.back().t_s >= t.duration_s);
  CHECK(r.mean_step_s > 0.03);
}

TEST_CASE("lockstep: a worker failing in set-up stops the run at once with its error") {
  const LockstepTiming t = timing(5.0);
  std::atomic<int> ran_steps{0};
  const LockstepResult r = run_lockstep(3, t, [&](LockstepWorker& w) {
    if (w.rank() == 1) return w.fail("GPU 1: cannot allocate");
    if (!w.ready()) return;
    long step = 0;
    while (w.next_step(step)) ++ran_steps;
  });
  CHECK_FALSE(r.ok);
  CHECK(r.error == "GPU 1: cannot allocate");
  CHECK(ran_steps == 0);
  CHECK(seconds_since(t.origin) < 2.0);  // not the 5 s duration
}

TEST_CASE("lockstep: a worker failing mid-run stops the others at their next step, first error kept") {
  const LockstepTiming t = timing(5.0);
  std::atomic<long> last_step[3] = {-1, -1, -1};
  const LockstepResult r = run_lockstep(3, t, [&](LockstepWorker& w) {
    if (!w.ready()) return;
    long step = 0;
    while (w.next_step(step)) {
      last_step[w.rank()] = step;
      sleep_s(0.01);
      if (w.rank() == 2 && step == 3) return w.fail("GPU 2: CUDA error during the training step");
      if (w.rank() == 0 && step == 3) w.mark("communication", step);
    }
  });
  CHECK_FALSE(r.ok);
  CHECK(r.error == "GPU 2: CUDA error during the training step");
  for (auto& s : last_step) CHECK(s == 3);
  CHECK(seconds_since(t.origin) < 2.0);
}

TEST_CASE("lockstep: an exception in a worker is its failure") {
  const LockstepResult r = run_lockstep(2, timing(3.0), [&](LockstepWorker& w) {
    if (!w.ready()) return;
    long step = 0;
    while (w.next_step(step))
      if (w.rank() == 1) throw std::runtime_error("bad_alloc-like");
  });
  CHECK_FALSE(r.ok);
  CHECK(r.error == "worker 1: bad_alloc-like");
}

TEST_CASE("lockstep: the watchdog releases workers waiting for a failed one outside the gate") {
  // A stand-in for an NCCL all-reduce: each step, every worker waits until all have joined it, or
  // until abort() is called. Worker 1 fails before joining step 2's.
  LockstepTiming t = timing(30.0);
  t.stall_s = 0.3;
  std::mutex m;
  std::condition_variable cv;
  long joined = 0;
  bool aborted = false;
  std::atomic<int> abort_calls{0};
  const LockstepResult r = run_lockstep(
      3, t,
      [&](LockstepWorker& w) {
        if (!w.ready()) return;
        long step = 0;
        while (w.next_step(step)) {
          if (w.rank() == 1 && step == 2) return w.fail("GPU 1: illegal address");
          std::unique_lock<std::mutex> lock(m);
          ++joined;
          cv.notify_all();
          cv.wait(lock, [&] { return aborted || joined >= 3 * (step + 1); });
          if (aborted) return w.fail("collective aborted");
          lock.unlock();
          w.beat();
        }
      },
      [&] {
        ++abort_calls;
        std::lock_guard<std::mutex> lock(m);
        aborted = true;
        cv.notify_all();
      });
  CHECK_FALSE(r.ok);
  CHECK(r.error == "GPU 1: illegal address");
  CHECK(abort_calls == 1);
  CHECK(seconds_since(t.origin) < 10.0);  // released by the watchdog, not the 30 s duration
}

TEST_CASE("lockstep: one worker alone") {
  // 2 s (about 90 steps of 20 ms) so that a loaded machine, slow to start the worker's thread,
  // still leaves at least 3 steps (with 0.4 s it could leave none).
  const LockstepResult r = run_lockstep(1, timing(2.0), [&](LockstepWorker& w) {
    if (!w.ready()) return;
    long step = 0;
    while (w.next_step(step)) sleep_s(0.02);
  });
  REQUIRE(r.ok);
  CHECK(r.steps >= 3);
  CHECK(r.markers.back().phase == "end");
}
