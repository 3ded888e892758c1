// libFuzzer harness: resuming from a checkpoint (sim/checkpoint.h). The input is taken as the
// engine state of tests/data/tiny-cooling.json (the file's checksum is bypassed, so every field is
// exercised); it must be refused with CheckpointError or run to a result: never a crash or a hang.
// Seeds: corpus/checkpoint/ (real states of that scenario).
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/cooling_plant.h"
#include "sim/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const dctwin::Scenario sc = dctwin::load_scenario_file(DCTWIN_SOURCE_DIR "/tests/data/tiny-cooling.json");
  static const dctwin::Facility facility(sc);
  const std::string state(reinterpret_cast<const char*>(data), size);
  dctwin::EngineOptions eo;
  eo.resume_state = &state;
  try {
    (void)dctwin::run_engine_cooled(sc, facility, eo);
  } catch (const dctwin::CheckpointError&) {
  } catch (const dctwin::ConservationError&) {
  }
  return 0;
}
