// The cooling part of summary.json (contract documented in the README, "summary.json"; keys may be
// added, never renamed): the plant's energy, water, hours by mode, temperatures, design and alarms,
// the GPU junction figures and the plant failures, from the run's CoolingOutcome
// (sim/plant/cooling_plant.h).
#pragma once
#include "core/json_reader.h"
#include "sim/engine/engine.h"
#include "sim/input/scenario.h"

namespace dctwin {

// Sets the cooling summary keys on `s` (made by make_summary, sim/output/summary.h): nothing
// changes without cooling.
void add_cooling_summary(json& s, const Scenario& sc, const EngineResult& r);

}  // namespace dctwin
