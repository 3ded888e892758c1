// gpu_runtime/common/lockstep.h — runs one host thread per GPU through the phases of data-parallel
// training steps in lockstep, with phase markers on the power samples' clock: the orchestration of
// the training-step emulator (training_step.cu), kept apart from CUDA so that it is tested without
// a GPU (tests/unit/gpu_runtime/test_lockstep.cpp).
//
// Timeline (seconds from `origin`, the clock of the NVML samples):
//   every worker sets up -> ready(): the "idle" marker, lead idle of lead_idle_s ->
//   repeated next_step(): a gate (std::barrier) that all workers pass together; its completion,
//   run by the last worker to arrive, starts step k ("compute" marker) while no worker failed and
//   the time is before duration_s - tail_idle_s, else marks "idle" (the tail) and ends the steps ->
//   the workers return -> the runner waits until duration_s and marks "end".
// A worker that fails calls fail(): its error is kept (the first one wins) and it leaves the gate,
// so the others are never left waiting there; they stop at their next step. Workers that block on
// one another outside the gate (an NCCL all-reduce) are released by the watchdog: when no worker
// has called beat() for stall_s after the lead idle, the runner calls `abort` (e.g. ncclCommAbort).
#pragma once

#include <atomic>
#include <barrier>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gpu_runtime/common/trace.h"

namespace dctwin::gpu {

struct LockstepTiming {
  std::chrono::steady_clock::time_point origin;
  double duration_s = 60, lead_idle_s = 5, tail_idle_s = 5;
  double stall_s = 0;  ///< watchdog: no beat() for this long after the lead idle -> abort; 0: none
};

class Lockstep;

/// What one worker sees of the run.
class LockstepWorker {
 public:
  LockstepWorker(Lockstep& run, int rank) : run_(run), rank_(rank) {}
  int rank() const { return rank_; }
  /// After set-up: waits for every worker, then through the lead idle. False: stop (a worker failed).
  bool ready();
  /// Waits for every worker at the gate. True: run step `step`; false: the steps are over.
  bool next_step(long& step);
  /// Records `what` (the first failure of the run is its error) and leaves the gate.
  void fail(const std::string& what);
  /// Appends a marker now (phase starts that only this worker sees, e.g. rank 0's communication).
  void mark(const char* phase, long step);
  /// Progress for the watchdog (e.g. after each stream synchronisation).
  void beat();
  double seconds() const;
  /// Leaves the gate if still in it (the runner calls it when the worker returns).
  void leave();

 private:
  Lockstep& run_;
  int rank_;
  bool in_gate_ = true;
};

struct LockstepResult {
  bool ok = false;
  std::string error;                 ///< the first failure
  std::vector<PhaseMarker> markers;  ///< time-ordered, "end" last
  long steps = 0;
  double mean_step_s = 0;            ///< (tail idle start - first compute start) / steps
};

/// Runs `n` workers, `body(worker)` each on its own thread, and returns when all have returned and
/// duration_s has passed (at once on failure). `abort` (may be empty) is the watchdog's release.
LockstepResult run_lockstep(int n, const LockstepTiming& timing, const std::function<void(LockstepWorker&)>& body,
                            const std::function<void()>& abort = {});

}  // namespace dctwin::gpu
