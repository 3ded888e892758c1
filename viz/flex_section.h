// The utility report's "Firm and flexible load" section: the run's curtailment events
// (summary.json curtailments, sim/facility/curtailment.h), what was asked, what the campus held,
// with which strategies and at what cost in training progress.
#pragma once
#include "viz/report_page.h"

namespace dctwin::viz {

void flexible_load_section(Doc& d, const Ctx& x);

}  // namespace dctwin::viz
