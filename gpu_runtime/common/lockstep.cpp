// gpu_runtime/common/lockstep.cpp — run_lockstep (lockstep.h).
#include "gpu_runtime/common/lockstep.h"

#include <algorithm>
#include <condition_variable>
#include <thread>

namespace dctwin::gpu {

namespace {
double since(std::chrono::steady_clock::time_point origin) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - origin).count();
}
}  // namespace

// The gate's completion; std::barrier requires it not to throw.
struct GateStep {
  Lockstep* run;
  void operator()() noexcept;
};

class Lockstep {
 public:
  Lockstep(int n, const LockstepTiming& t) : timing(t), gate(n, GateStep{this}) {}

  void mark(const char* phase, long step) {
    std::lock_guard<std::mutex> lock(m);
    markers.push_back({since(timing.origin), phase, step});
  }
  void fail(const std::string& what) {
    std::lock_guard<std::mutex> lock(m);
    if (error.empty()) error = what;
    failed = true;
  }

  const LockstepTiming timing;
  std::barrier<GateStep> gate;
  std::mutex m;  // guards error and markers
  std::string error;
  std::vector<PhaseMarker> markers;
  std::atomic<bool> failed{false};
  // Written by the gate's completion only (which the barrier orders before every waiter's return);
  // the atomics are also read by the watchdog.
  std::atomic<bool> started{false};
  bool go = false, ended = false;
  long step = 0;
  std::atomic<double> steps_from_s{0};
  std::atomic<double> heartbeat_s{0};
};

// Runs once per gate phase in the last worker to arrive, while the others wait: the first phase
// (every worker set up) starts the lead idle, or ends the run when a worker failed; each later phase
// starts a step when no worker failed and time is left, else starts the tail idle.
void GateStep::operator()() noexcept {
  Lockstep& r = *run;
  if (r.ended) return;  // the phases of the workers' final leave()
  const double now = since(r.timing.origin);
  if (!r.started) {
    r.go = !r.failed;
    r.ended = !r.go;
    if (r.go) r.mark("idle", -1);
    r.steps_from_s = now + r.timing.lead_idle_s;
    r.started = true;
    return;
  }
  r.go = !r.failed && now < r.timing.duration_s - r.timing.tail_idle_s;
  if (r.go) {
    r.mark("compute", r.step++);
  } else {
    r.ended = true;
    if (!r.failed) r.mark("idle", -1);
  }
}

bool LockstepWorker::ready() {
  run_.gate.arrive_and_wait();
  if (!run_.go) {
    leave();
    return false;
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(std::max(0.0, run_.steps_from_s - seconds())));
  return true;
}

bool LockstepWorker::next_step(long& step) {
  if (!in_gate_) return false;
  run_.gate.arrive_and_wait();
  if (!run_.go) {
    leave();
    return false;
  }
  step = run_.step - 1;
  return true;
}

void LockstepWorker::fail(const std::string& what) {
  run_.fail(what);
  leave();
}

void LockstepWorker::mark(const char* phase, long step) { run_.mark(phase, step); }
void LockstepWorker::beat() { run_.heartbeat_s = seconds(); }
double LockstepWorker::seconds() const { return since(run_.timing.origin); }

void LockstepWorker::leave() {
  if (in_gate_) run_.gate.arrive_and_drop();
  in_gate_ = false;
}

LockstepResult run_lockstep(int n, const LockstepTiming& timing, const std::function<void(LockstepWorker&)>& body,
                            const std::function<void()>& abort) {
  LockstepResult res;
  Lockstep run(n, timing);
  std::vector<std::unique_ptr<LockstepWorker>> workers;
  for (int i = 0; i < n; ++i) workers.push_back(std::make_unique<LockstepWorker>(run, i));
  std::atomic<int> running{n};
  std::mutex done_m;
  std::condition_variable done_cv;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      LockstepWorker& w = *workers[static_cast<std::size_t>(i)];
      try {
        body(w);
      } catch (const std::exception& e) {
        w.fail(std::string("worker ") + std::to_string(i) + ": " + e.what());
      }
      w.leave();
      std::lock_guard<std::mutex> lock(done_m);
      --running;
      done_cv.notify_all();
    });
  {
    std::unique_lock<std::mutex> lock(done_m);
    bool aborted = false;
    while (running > 0) {
      done_cv.wait_for(lock, std::chrono::milliseconds(200));
      const double quiet = since(timing.origin) - std::max<double>(run.heartbeat_s, run.steps_from_s);
      if (running > 0 && !aborted && timing.stall_s > 0 && run.started && quiet > timing.stall_s) {
        run.fail("no worker progressed for " + std::to_string(quiet) + " s (one waiting for another, e.g. in an NCCL all-reduce): aborted");
        aborted = true;
        if (abort) abort();
      }
    }
  }
  for (auto& t : threads) t.join();
  if (run.failed) {
    res.error = run.error;
    return res;
  }
  // The tail idle started at the last marker (the gate's "idle"); wait until the trace's end.
  const double t_last = run.markers.back().t_s;
  std::this_thread::sleep_for(std::chrono::duration<double>(std::max(0.0, timing.duration_s - since(timing.origin))));
  run.mark("end", -1);
  res.markers = std::move(run.markers);
  res.steps = run.step;
  for (const auto& mk : res.markers)
    if (mk.phase == "compute") {
      res.mean_step_s = res.steps > 0 ? (t_last - mk.t_s) / static_cast<double>(res.steps) : 0.0;
      break;
    }
  res.ok = true;
  return res;
}

}  // namespace dctwin::gpu
