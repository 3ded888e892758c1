// summary.json of a run: every figure of the facility, its elements, the jobs and the cooling
// plant, computed from the engine's exact energy totals and binned series (contract documented in
// the README; keys may be added, never renamed). The cooling part is added by add_cooling_summary
// (sim/output/cooling_summary.h).
#pragma once
#include "core/json_reader.h"
#include "sim/engine/engine.h"
#include "sim/facility/facility.h"
#include "sim/input/scenario.h"

namespace dctwin {

json make_summary(const Scenario& sc, const Facility& facility, const EngineResult& r);

}  // namespace dctwin
