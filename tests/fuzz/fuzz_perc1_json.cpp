// libFuzzer harness: DIR/perc1.json as the report reads it (viz/grid_section.h read_perc1_json):
// JSON parse, typed reads, every problem an InputError. Seeds: corpus/perc1_json/.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/problems.h"
#include "viz/grid_section.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)dctwin::viz::read_perc1_json(text, "<fuzz>");
  } catch (const dctwin::InputError&) {
  }
  return 0;
}
