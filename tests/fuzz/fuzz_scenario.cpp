// libFuzzer harness: the scenario loader (JSON parse, duplicate keys, typed reads, cross checks).
// Any input must give a Scenario or an InputError listing problems: never a crash, a hang or
// another exception. Seeds: tests/fuzz/corpus/scenario/.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/input/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    // base_dir: a folder with no files, so paths in the input resolve to nothing readable.
    (void)dctwin::load_scenario_text(text, "<fuzz>", "/nonexistent-dctwin-fuzz");
  } catch (const dctwin::InputError& e) {
    if (e.problems().empty()) __builtin_trap();  // an error must say what is wrong
  }
  return 0;
}
