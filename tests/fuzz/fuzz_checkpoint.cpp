// libFuzzer harness: resuming from a checkpoint (sim/engine/checkpoint.h). The input is taken as the
// engine state of tests/data/tiny-cooling.json (the file's checksum is bypassed, so every field is
// exercised); it must be refused with CheckpointError or run to a result: never a crash or a hang.
// Seeds: real states of that scenario, written by LLVMFuzzerInitialize into $DCTWIN_FUZZ_SEED_DIR
// (tests/fuzz/run.sh sets it to the harness's work corpus).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "sim/plant/cooling_plant.h"
#include "sim/run.h"
#include "sim/input/scenario_loader.h"

namespace {
const dctwin::Scenario& scenario() {
  static const dctwin::Scenario sc = dctwin::load_scenario_file(DCTWIN_SOURCE_DIR "/tests/data/tiny-cooling.json");
  return sc;
}
const dctwin::Facility& facility() {
  static const dctwin::Facility f(scenario());
  return f;
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* dir = std::getenv("DCTWIN_FUZZ_SEED_DIR");
  if (dir == nullptr) return 0;
  dctwin::EngineOptions eo;
  eo.checkpoint_every = dctwin::to_simtime(scenario().duration_s / 5);
  int k = 0;
  eo.checkpoint = [&](const std::string& state, dctwin::SimTime) {
    std::ofstream(std::string(dir) + "/state-" + std::to_string(k++), std::ios::binary) << state;
  };
  (void)dctwin::run_engine_cooled(scenario(), facility(), eo);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string state(reinterpret_cast<const char*>(data), size);
  dctwin::EngineOptions eo;
  eo.resume_state = &state;
  try {
    (void)dctwin::run_engine_cooled(scenario(), facility(), eo);
  } catch (const dctwin::CheckpointError&) {
  } catch (const dctwin::ConservationError&) {
  }
  return 0;
}
