// dctwin validate SCENARIO [--set path=value ...]: every problem, one line each (exit 2); ratings far from
// what the simulation draws as warnings on stderr (sim/facility/rating_check.h; still valid, exit 0).
#include <cstdio>
#include <memory>

#include "cli/common.h"
#include "sim/facility/facility.h"
#include "sim/facility/rating_check.h"
#include "sim/jobs/job_plan.h"

namespace dctwin::cli {

Command add_validate_command(CLI::App& app) {
  auto args = std::make_shared<ScenarioArgs>();
  auto* sub = app.add_subcommand("validate", "Check a scenario and report every problem");
  args->add_to(sub, true);
  sub->footer("Writes no files.\n");
  return {sub, [args] {
            const Scenario sc = args->load();
            const Facility facility(sc);  // placement problems are input problems too
            plan_jobs(sc, facility);      // and so are the jobs' plans (parallelism, caps, the network)
            for (const auto& w : rating_warnings(sc)) std::fprintf(stderr, "dctwin: warning: %s\n", w.str().c_str());
            std::printf("%s: valid (%lld GPUs, %lld nodes, %lld racks, %zu jobs, %zu graph vertices)\n",
                        sc.source.c_str(), static_cast<long long>(sc.total_gpus()),
                        static_cast<long long>(sc.total_nodes()), static_cast<long long>(sc.total_racks()),
                        sc.jobs.size(), facility.vertex_count());
            return 0;
          }};
}

}  // namespace dctwin::cli
