// The utility report's compliance section: the checks of `dctwin comply` (compliance.json in the
// run's folder: run `dctwin comply ... -o RUN_DIR`), the verdict, the mitigation found by
// --mitigate and the frontier of the options it tried (cost vs worst margin). Without
// compliance.json, a sentence says how to get one.
#pragma once
#include "viz/html.h"
#include "viz/report_page.h"

namespace dctwin::viz {

void compliance_section(Doc& d, Ctx& x);

}  // namespace dctwin::viz
