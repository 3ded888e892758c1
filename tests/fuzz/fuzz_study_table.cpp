// libFuzzer harness: whatif.json / sweep.json read back by `dctwin compare`
// (viz/study_table.h). Any input gives a table or InputError; a table has one label and one error
// text per case, and its difference table one value per case in every row. Seeds:
// corpus/study_table/.
#include <cstddef>
#include <cstdint>
#include <string>

#include "viz/compare_figures.h"
#include "viz/study_table.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const char* kind : {"whatif", "sweep"}) {
    try {
      const auto t = dctwin::viz::parse_study_table(text, kind, "fuzz.json");
      if (t.labels.size() != t.cases.size() || t.errors.size() != t.cases.size()) __builtin_trap();
      for (const auto& r : dctwin::viz::difference_table(t.cases, t.figures))
        if (r.values.size() != t.cases.size() || r.diff.size() != t.cases.size()) __builtin_trap();
    } catch (const dctwin::InputError&) {
    }
  }
  return 0;
}
