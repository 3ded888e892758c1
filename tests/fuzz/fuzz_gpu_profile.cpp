// libFuzzer harness: GPU profile JSON (gpu_profiles entries, calibrate --base FILE): JSON parse,
// duplicate keys, typed reads of every figure and its provenance. Seeds: corpus/gpu_profile/.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/json_input.h"
#include "sim/input/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  dctwin::Problems problems;
  const dctwin::json doc = dctwin::parse_json(text, "<fuzz>", problems);
  if (!problems.empty()) return 0;
  dctwin::JsonReader r(doc, "$", problems, "<fuzz>");
  (void)dctwin::read_gpu_profile(r);
  r.finish();
  return 0;
}
