// The utility report's first screen (viz/key_figures.h): the contracted capacity, the instantaneous
// peak and its excursions above it, the PUE with the weather it covers, N-1 headroom; and that the
// card comes before everything else in the report's body.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "viz/key_figures.h"
#include "viz/report.h"

using namespace dctwin;
using namespace dctwin::viz;

namespace {

json cap_entry(const std::string& name, const json& failover_pct, const json& failover_kw) {
  return {{"name", name}, {"element", "$." + name}, {"redundancy", failover_pct.is_null() ? "N" : "N+1"},
          {"failover_margin_pct", failover_pct}, {"failover_margin_kw", failover_kw}};
}

// 1 h at 100 ms: 18 MW for 1.8 s then 8 MW for 0.7 s, repeated (mean 15.2 MW).
std::string square_csv() {
  std::string c = "t_s,facility_mw,it_mw\n";
  char buf[96];
  for (int i = 0; i < 36000; ++i) {
    const double p = (i % 25) < 18 ? 18.0 : 8.0;
    std::snprintf(buf, sizeof buf, "%.3f,%.6f,%.6f\n", i * 0.1, p, p * 0.8);
    c += buf;
  }
  return c;
}

json square_summary() {
  return {{"dctwin_version", "0.1.0"}, {"scenario", "card"}, {"seed", 1}, {"duration_s", 3600.0}, {"output_step_s", 0.1},
          {"facility_energy_mwh", 15.2}, {"peak_facility_mw", 18.0}, {"peak_facility_t_s", 0.0}, {"cooling_modelled", false},
          {"pue", nullptr}, {"capacity", json::array({cap_entry("UPS", 12.5, 150.0), cap_entry("busway", nullptr, nullptr)})}};
}

ReportOptions utility() {
  ReportOptions o;
  o.generated = "2025-01-01 00:00 UTC";
  return o;
}

}  // namespace

TEST_CASE("report key figures: contracted capacity is the 15-minute peak plus the margin") {
  CHECK(contracted_capacity_mw(Peak{15.2, 0, 4}, 10).value() == doctest::Approx(16.72));
  CHECK(contracted_capacity_mw(Peak{15.2, 0, 4}, 0).value() == doctest::Approx(15.2));
  CHECK_FALSE(contracted_capacity_mw(std::nullopt, 10));
}

TEST_CASE("report key figures: the weather window a run covers") {
  json s = {{"cooling", {{"weather", "design day 33.3 C dry bulb, 10.5 K range, 23.7 C wet bulb"}}}};
  CHECK(weather_window(s, 3600).window == "00:00–01:00 of the design day");
  CHECK(weather_window(s, 1200).window == "00:00–00:20 of the design day");
  CHECK(weather_window(s, 90).window == "00:00–00:01:30 of the design day");
  CHECK(weather_window(s, 2 * 86400.0).window == "2.00 days of the design day, repeated each day");
  CHECK(weather_window(s, 3600).weather == "design day 33.3 C dry bulb, 10.5 K range, 23.7 C wet bulb");
  s["cooling"]["weather"] = "EPW /data/weather/chicago.epw from day 1";
  CHECK(weather_window(s, 365 * 86400.0).window == "a year of chicago.epw from 00:00 of day 1");
  s["cooling"]["weather"] = "EPW weather/chicago.epw from day 182";
  CHECK(weather_window(s, 86400).window == "24.00 h of chicago.epw from 00:00 of day 182");
  s["pue"] = 1.2534;
  CHECK(pue_with_window(s, 86400) == "PUE 1.253 (24.00 h of chicago.epw from 00:00 of day 182)");
  // Without cooling: no window, and the PUE is not modelled (never 0).
  const json none = {{"pue", nullptr}};
  CHECK(weather_window(none, 3600).window.empty());
  CHECK(pue_with_window(none, 3600).find("not modelled") != std::string::npos);
}

TEST_CASE("report key figures: N-1 headroom is the tightest failover margin, N groups counted apart") {
  json s = {{"capacity", json::array({cap_entry("feeds", 30.0, 3000.0), cap_entry("UPS", 5.5, 80.0), cap_entry("PSU", nullptr, nullptr)})}};
  auto h = n1_headroom(s);
  REQUIRE(h);
  CHECK(h->margin_pct.value() == doctest::Approx(5.5));
  CHECK(h->margin_kw.value() == doctest::Approx(80.0));
  CHECK(h->name == "UPS");
  CHECK(h->groups == 3);
  CHECK(h->no_redundancy == 1);
  CHECK(h->overloaded == 0);
  s["capacity"][2] = cap_entry("PSU", -4.0, -10.0);
  h = n1_headroom(s);
  CHECK(h->margin_pct.value() == doctest::Approx(-4.0));
  CHECK(h->overloaded == 1);
  CHECK(h->no_redundancy == 0);
  // Only N groups: no margin at all, not a 0 %.
  const auto only_n = n1_headroom(json{{"capacity", json::array({cap_entry("PSU", nullptr, nullptr)})}});
  REQUIRE(only_n);
  CHECK_FALSE(only_n->margin_pct);
  CHECK_FALSE(n1_headroom(json{{"capacity", json::array()}}));
  CHECK_FALSE(n1_headroom(json::object()));
}

TEST_CASE("report key figures: the card comes first, flags a peak above the contracted capacity, says what is not modelled") {
  const std::string html = render_report(parse_run(square_summary().dump(), square_csv()), utility());
  const auto card = html.find("id=\"key-figures\"");
  REQUIRE(card != std::string::npos);
  CHECK(card < html.find("<nav>"));
  CHECK(card < html.find("id=\"summary\""));
  CHECK(card > html.find("</header>"));
  // 15-minute peak 15.2 MW + 10 % = 16.72 MW; the 18 MW peak is above it during every 1.8 s of
  // each 2.5 s step: 1,440 excursions, 72 % of the time.
  const std::string body = html.substr(card, html.find("</section>", card) - card);
  for (const char* t : {"16.72 MW", "18.00 MW", "kf bad\" id=\"kf-peak\"", "ABOVE the contracted capacity (16.72 MW) by 1.28 MW",
                        "1,440 excursions, 72.0 % of the time", "the longest 1.8 s", "100 ms output step",
                        "kf missing\" id=\"kf-pue\"", "not modelled", "12.5 % of rating", "UPS (150 kW per unit)",
                        "1 of 2 element groups have no redundancy (N)"})
    CHECK_MESSAGE(body.find(t) != std::string::npos, t);
  CHECK(body.find(">0<") == std::string::npos);
  // A lower peak is within the capacity; a cooled run's PUE says which weather it covers.
  json s = square_summary();
  s["peak_facility_mw"] = 16.0;
  s["cooling_modelled"] = true;
  s["pue"] = 1.25;
  s["cooling"] = {{"weather", "design day 33.3 C dry bulb, 10.5 K range, 23.7 C wet bulb"}};
  s.erase("capacity");
  const std::string cooled = render_report(parse_run(s.dump(), square_csv()), utility());
  for (const char* t : {"kf ok\" id=\"kf-peak\"", "within the contracted capacity (16.72 MW)", ">1.250<",
                        "over 00:00–01:00 of the design day", "kf missing\" id=\"kf-n1\"",
                        "PUE 1.250 (00:00–01:00 of the design day)"})
    CHECK_MESSAGE(cooled.find(t) != std::string::npos, t);
  // A run shorter than 15 minutes has no contracted capacity: said, not 0.
  json short_s = square_summary();
  short_s["duration_s"] = 60.0;
  std::string c = "t_s,facility_mw\n";
  for (int i = 0; i < 600; ++i) c += std::to_string(i * 0.1) + ",5\n";
  const std::string brief = render_report(parse_run(short_s.dump(), c), utility());
  CHECK(brief.find("kf missing\" id=\"kf-capacity\"") != std::string::npos);
  CHECK(brief.find("no contracted capacity to compare it with") != std::string::npos);
}
