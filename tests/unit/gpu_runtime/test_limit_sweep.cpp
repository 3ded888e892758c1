// The power-limit sweep reader and the DVFS-curve fit (gpu_runtime/common/limit_sweep.h).
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "gpu_runtime/common/limit_sweep.h"
#include "models/power/power_cap.h"

using namespace dctwin;
using namespace dctwin::gpu;

TEST_CASE("limit sweep: a fit recovers the slowdowns of a known curve") {
  // Rows made from a known curve (P_s 120 W, a 2.5, knee 0.55, 85 % of the step clock-bound) at
  // limits 700..250 W, the GPU drawing its limit below an uncapped 680 W.
  const power::DvfsCurve truth{120, 2.5, 0.55};
  const double beta = 0.85, p0 = 680;
  std::vector<LimitSweepRow> rows;
  for (double lim = 700; lim >= 250; lim -= 50) {
    const double p = std::min(lim, p0);
    const double x = p >= p0 ? 1.0 : power::dvfs_clock_ratio(truth, (p - truth.static_w) / (p0 - truth.static_w));
    rows.push_back({lim, 2.0 * (beta / x + 1 - beta), p, 0});
  }
  const SweepFit f = fit_limit_sweep(rows);
  REQUIRE(f.ok);
  CHECK(f.points.size() == rows.size());
  CHECK(f.points.front().limit_w == 700);
  CHECK(f.max_abs_error_pct < 0.5);
  CHECK(f.max_abs_loo_error_pct < 2.0);
  // The 250 W row lies below the knee: a single cubic law without one misses it by more.
  const double r250 = (250 - 120.0) / (p0 - 120.0);
  const double cubic = beta / std::cbrt(r250) + 1 - beta;
  CHECK(std::abs(cubic / f.points.back().measured_slowdown - 1) > 0.05);
}

TEST_CASE("limit sweep: fewer than three limits is not fitted") {
  const SweepFit f = fit_limit_sweep({{700, 1, 650, 2}, {500, 1.2, 500, 3}});
  CHECK_FALSE(f.ok);
  CHECK(f.note.find("three") != std::string::npos);
}

TEST_CASE("limit sweep reader: every bad field with its line and column") {
  text::ParseIssues issues;
  const auto rows = parse_limit_sweep("# c\npower_limit_w, step_time_s ,avg_power_w\n700,1.0,650\n600,abc,590\n600,1.1,-5\n700,1.0,640\n5\n",
                                      issues);
  REQUIRE(issues.size() == 4);
  CHECK(issues[0].line == 4);
  CHECK(issues[0].expected.find("column 2 (step_time_s)") != std::string::npos);
  CHECK(issues[0].found == "'abc'");
  CHECK(issues[1].line == 5);
  CHECK(issues[1].expected.find("column 3 (avg_power_w)") != std::string::npos);
  CHECK(issues[2].line == 6);  // a repeated limit
  CHECK(issues[2].expected.find("power_limit_w") != std::string::npos);
  CHECK(issues[3].line == 7);
  CHECK(rows.size() == 1);
  text::ParseIssues none;
  CHECK(parse_limit_sweep("step_time_s,avg_power_w,power_limit_w\n1,650,700\n", none).size() == 1);
  CHECK(none.empty());
  text::ParseIssues head;
  parse_limit_sweep("limit,t,p\n1,2,3\n", head);
  CHECK(head.size() == 3);
  CHECK(head[0].line == 1);
}
