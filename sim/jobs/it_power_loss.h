// Which jobs lose power in the grid events: the IT supply losses of the grid evaluation
// (GridEventResult::it_outages, sim/facility/grid_response.h) mapped to racks and so to jobs.
//
// Reduction (docs/design.md, "Grid disturbances"): the grid evaluation knows two parts of the IT,
// the part behind the UPS (grid.equipment.it_on_ups_fraction f of the IT power) and the rest (on
// the feed); the facility graph puts every rack behind a UPS lineup. The racks are taken in
// placement order (the graph's rack groups, halls then rows then racks, each group counted with
// its multiplicity): the first round(f R) of the R racks are behind the UPS, the others are not.
// A rack group that straddles the boundary counts as having racks in both parts for every job on
// it (the racks of a group are not told apart). The split is by rack count, not by power (the
// grid evaluation splits the IT power by f). With f = 1 (the default) every rack is behind the
// UPS; with f = 0 none is.
//
// A job loses power when an outage of a part holding any of its racks begins (a synchronous step
// stops with one rack); its supply is back when the outage ends (supply back + it_restart_s),
// never when the outage has no end within the evaluation window.
//
// The racks themselves (rack_outages): over the same intervals every rack of the part draws 0 W,
// all of it (GPUs, CPUs, memory, NICs, storage, fans, PSU losses, rack equipment), whether it holds
// a job or only idle nodes (FacilityEvaluator::set_rack_unpowered): the meter, the distribution
// losses, the energy and the cooling heat of the run lose that power. A straddling rack group is
// split exactly by count (its racks are identical): the racks of the group in the part are off.
// Overlapping outages of one part count once (their union). Not modelled: the servers' boot power
// between the supply's return and `on` (they draw 0 W until then, as the jobs' GPUs do).
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "sim/facility/facility.h"
#include "sim/facility/grid_response.h"
#include "sim/jobs/job_runner.h"

namespace dctwin {

struct Scenario;

// Per job (scenario order), the losses of supply in time order; every list empty when no event
// lost IT power.
std::vector<std::vector<PowerLoss>> job_power_losses(const Scenario& sc, const Facility& f, const GridResponse& g);

// Per job: whether it has racks behind the UPS ([0]) and racks not behind it ([1]), for the share
// `on_ups_fraction` of the racks behind the UPS (the mapping above).
std::vector<std::array<bool, 2>> job_rack_parts(const Scenario& sc, const Facility& f, double on_ups_fraction);

// Per rack vertex of the facility graph (placement order): how many of its racks are behind the
// UPS ([0]) and how many are not ([1]), for the share `on_ups_fraction` (the mapping above).
struct RackParts {
  Vertex rack{};
  std::array<std::int64_t, 2> racks{};
};
std::vector<RackParts> rack_parts(const Facility& f, double on_ups_fraction);

// The racks without supply (all rack groups, with or without jobs) over the grid events' IT outages:
// time order of `off`; none when no event lost IT power.
std::vector<RackOutage> rack_outages(const Scenario& sc, const Facility& f, const GridResponse& g);

}  // namespace dctwin
