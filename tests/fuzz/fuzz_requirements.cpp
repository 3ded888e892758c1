// libFuzzer harness: the requirements file of `dctwin comply` (sim/input/requirements.h). Any input
// gives requirements or InputError with at least one problem; accepted requirements are in range,
// need a positive output step and duration when they have windows or bands, and every check on a
// short constant meter series gives a result without crashing (a value or a note). Seeds:
// corpus/requirements/.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/input/requirements.h"
#include "sim/output/compliance_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dctwin;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const Requirements q = load_requirements_text(text, "fuzz.json");
    if (q.empty() || q.name.empty()) __builtin_trap();
    for (const auto& b : q.oscillation)
      if (!(b.lo_hz > 0 && b.lo_hz < b.hi_hz && b.hi_hz <= 250)) __builtin_trap();
    const auto dt = required_output_step_s(q);
    if (dt && !(*dt > 0 && std::isfinite(*dt))) __builtin_trap();
    if (!(required_duration_s(q) >= 0)) __builtin_trap();
    MeterSeries m;
    m.dt_s = 0.5;
    m.p_w.assign(64, 1e6);
    for (const CheckResult& c : check_all(m, q))
      if (!c.value && c.note.empty()) __builtin_trap();
  } catch (const InputError& e) {
    if (e.problems().empty()) __builtin_trap();
  }
  return 0;
}
