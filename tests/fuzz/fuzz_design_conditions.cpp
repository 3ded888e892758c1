// libFuzzer harness: the .ddy and .stat readers (models/weather/design_conditions.h); the first
// byte picks the format. Seeds: corpus/design_conditions/.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "models/weather/design_conditions.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  dctwin::weather::ParseIssues issues;
  if (data[0] & 1) {
    const auto ddy = dctwin::weather::parse_ddy(text, issues);
    if (issues.empty()) (void)dctwin::weather::design_conditions_from_ddy(ddy, issues);
  } else {
    (void)dctwin::weather::parse_stat(text, issues);
  }
  return 0;
}
