// Capacity planning (`dctwin size`, sim/studies/sizing.h): each constraint in turn binds when the site is
// generous everywhere else; redundancy changes the answer as expected; infeasible sites give an
// answer, not a crash; the two provisioning policies side by side.
#include <algorithm>
#include <sstream>
#include <doctest/doctest.h>

#include "sim/studies/sizing.h"
#include "tests/support.h"

using namespace dctwin;

namespace {

// tests/data/tiny.json (racks of 2 one-GPU toy nodes, nameplate 2 x 1.5 kW + 0.2 kW rack equipment
// = 3.2 kW) with every rating generous and 2N lineups; each test then tightens one.
std::vector<std::string> generous() {
  return {"campus.utility.feeds.capacity_mw=10", "campus.halls.0.lineups.redundancy=2N",
          "campus.halls.0.lineups.transformer.rated_kva=1500",
          "campus.halls.0.lineups.switchgear.rated_kw=1000",
          "campus.halls.0.lineups.ups.rated_kw=1000",
          "campus.halls.0.rows.0.busway.rated_kw=1000"};
}

json size_tiny(std::vector<std::string> extra, SizingOptions o = {}) {
  o.scenario_path = test::tiny_path();
  o.sets = generous();
  o.sets.insert(o.sets.end(), extra.begin(), extra.end());
  o.sim_duration_s = 20;
  return size_site(o);
}

const json& find_constraint(const json& r, const std::string& name) {
  for (const auto& c : r["constraints"])
    if (c["name"] == name) return c;
  FAIL("no constraint " << name);
  static const json none;
  return none;
}

void check_binds(const json& r, const std::string& name, const std::string& condition) {
  CAPTURE(r.dump(1));
  REQUIRE(r["feasible"].get<bool>());
  REQUIRE(r["binding_constraint"].is_object());
  CHECK(r["binding_constraint"]["name"] == name);
  CHECK(r["binding_constraint"]["condition"] == condition);
  CHECK(r["binding_constraint"]["utilization_pct_at_one_more_rack"].get<double>() > 100.0);
  // At max_racks every constraint holds, the binding one with the smallest margin.
  const double binding_margin = find_constraint(r, name)["margin_pct"].get<double>();
  for (const auto& c : r["constraints"]) {
    CHECK(c["ok"].get<bool>());
    CHECK(c["margin_pct"].get<double>() >= binding_margin - 1e-9);
  }
  CHECK(r["max_gpus"].get<std::int64_t>() == 2 * r["max_racks"].get<std::int64_t>());
}

}  // namespace

TEST_CASE("sizing: each constraint binds in turn (utility, transformer, switchgear, UPS, busway failover)") {
  {
    const json r = size_tiny({}, [] { SizingOptions o; o.utility_mw = 0.3; return o; }());
    check_binds(r, "utility", "normal");  // one feed, N: no failover
    // 0.3 MW / 3.2 kW = 93.75 racks before the distribution losses, which take some of it.
    CHECK(r["max_racks"].get<int>() <= 93);
    CHECK(r["max_racks"].get<int>() >= 80);
    CHECK(find_constraint(r, "utility")["rating_kw"].get<double>() == doctest::Approx(300));
  }
  // Lineups are 2N: after one is lost its twin carries the whole hall.
  check_binds(size_tiny({"campus.halls.0.lineups.transformer.rated_kva=300"}), "transformer", "single-element failover");
  check_binds(size_tiny({"campus.halls.0.lineups.switchgear.rated_kw=250"}), "switchgear", "single-element failover");
  check_binds(size_tiny({"campus.halls.0.lineups.ups.rated_kw=250"}), "ups", "single-element failover");
  // Busways are N+1 with N = 1: the spare carries the whole row.
  const json b = size_tiny({"campus.halls.0.rows.0.busway.rated_kw=250"});
  check_binds(b, "busway", "single-element failover");
  CHECK(b["max_racks"].get<int>() == 78);  // 78 x 3.2 = 249.6 kW <= 250 < 79 x 3.2 (the busway carries its racks)
}

TEST_CASE("sizing: cooling binds at the design condition (chillers, then towers), spares not counted") {
  // tiny-cooling.json: racks of 2 x 1.5 kW nodes + 0.2 kW; a 10 kW chiller (N+1) and a 10 kW tower cell.
  const std::vector<std::string> big = {"campus.utility.feeds.capacity_mw=10", "campus.halls.0.lineups.transformer.rated_kva=200",
                                        "campus.halls.0.lineups.switchgear.rated_kw=100", "campus.halls.0.lineups.ups.rated_kw=100",
                                        "campus.halls.0.rows.0.busway.rated_kw=100"};
  SizingOptions o;
  o.scenario_path = test::source_path("tests/data/tiny-cooling.json");
  o.sets = big;
  o.sets.push_back("cooling.heat_rejection.cooling_towers.design_heat_kw_per_cell=1000");
  o.sim_duration_s = 20;
  const json ch = size_site(o);
  check_binds(ch, "chillers", "normal");
  CHECK(ch["design_condition"]["source"].get<std::string>().find("design day") != std::string::npos);
  // The chiller constraint is the model's CAPFT capacity of the one duty chiller (the N+1 spare is not counted).
  const double cap_kw = find_constraint(ch, "chillers")["rating_kw"].get<double>();
  CHECK(cap_kw > 5);
  CHECK(cap_kw < 15);
  CHECK(ch["bill_of_materials"]["chillers"] == 2);

  o.sets = big;
  o.sets.push_back("cooling.heat_rejection.chillers.ref_capacity_kw=1000");
  const json tw = size_site(o);
  check_binds(tw, "cooling_towers", "normal");

  // A hotter site (Tokyo's 0.4 % wet bulb is above Chicago's) leaves the towers less capacity.
  o.weather_path = test::source_path("data/weather/chicago.ddy");
  const json chicago = size_site(o);
  o.weather_path = test::source_path("data/weather/tokyo.ddy");
  const json tokyo = size_site(o);
  CAPTURE(chicago["design_condition"].dump());
  CAPTURE(tokyo["design_condition"].dump());
  const double wb_c = chicago["design_condition"]["wet_bulb_c"].get<double>(), wb_t = tokyo["design_condition"]["wet_bulb_c"].get<double>();
  CHECK(wb_c != wb_t);
  const double cap_c = find_constraint(chicago, "cooling_towers")["rating_kw"].get<double>();
  const double cap_t = find_constraint(tokyo, "cooling_towers")["rating_kw"].get<double>();
  CHECK((wb_t > wb_c) == (cap_t < cap_c));
}

TEST_CASE("sizing: redundancy keeps the installed units and changes the answer (N > N+1 > 2N)") {
  // 4 busways installed in the row (3 + 1) carry the limit; 2 feeds installed.
  const std::vector<std::string> sets = {"campus.halls.0.rows.0.busway.count=3", "campus.halls.0.rows.0.busway.rated_kw=110",
                                         "campus.utility.feeds.count=2"};
  std::map<std::string, int> racks;
  for (const char* red : {"N", "N+1", "2N"}) {
    SizingOptions o;
    o.redundancy = red;
    const json r = size_tiny(sets, o);
    CAPTURE(red);
    check_binds(r, "busway", std::string(red) == "N" ? "normal" : "single-element failover");
    racks[red] = r["max_racks"].get<int>();
    CHECK(r["bill_of_materials"]["busways"] == 4);
  }
  CHECK(racks["N"] == 137);    // 4 x 110 kW / 3.2 kW = 137.5
  CHECK(racks["N+1"] == 103);  // 3 x 110 kW / 3.2 kW = 103.1
  CHECK(racks["2N"] == 68);    // 2 x 110 kW / 3.2 kW = 68.75
  SizingOptions bad;
  bad.redundancy = "N+1";
  bad.scenario_path = test::tiny_path();  // one feed installed: N+1 leaves none to carry the load
  CHECK_THROWS_AS(size_site(bad), InputError);
}

TEST_CASE("sizing: nameplate and simulated provisioning side by side, infeasible sites answer") {
  const json r = size_tiny({"campus.halls.0.rows.0.busway.rated_kw=600"});
  const json& np = r["policies"]["nameplate"];
  const json& sim = r["policies"]["simulated"];
  REQUIRE(sim["available"].get<bool>());
  CHECK(sim["margin_pct"].get<double>() == 10.0);
  // The toy node draws 1,200 W DC at compute (GPU 1,000 + components 150 + fans 50) through its
  // 2-point PSU curve at 30 % load (83.3 %): 1,440 W AC, above its 1,500 W nameplate once the 10 %
  // margin is added: a rack is 1.1 x (2 x 1,440 + 200) = 3,388 W simulated vs 3,200 W nameplate.
  CHECK(np["max_racks"] == 187);   // 600 / 3.2 = 187.5
  CHECK(sim["max_racks"] == 177);  // 600 / 3.388 = 177.1
  CHECK(sim["binding_constraint"]["name"] == "busway");

  // Without a job there is nothing to simulate: said so, not filled in.
  const json nojob = size_tiny({"jobs=[]"});
  CHECK_FALSE(nojob["policies"]["simulated"]["available"].get<bool>());
  CHECK(nojob["policies"]["simulated"]["reason"].get<std::string>().find("no job") != std::string::npos);
  CHECK(nojob["max_racks"] == nojob["policies"]["nameplate"]["max_racks"]);

  const json inf = size_tiny({"campus.halls.0.lineups.transformer.rated_kva=10"});
  CHECK_FALSE(inf["feasible"].get<bool>());
  CHECK(inf["max_racks"] == 0);
  CHECK(inf["binding_constraint"]["name"] == "transformer");
}

TEST_CASE("cli: dctwin size prints the binding constraint and writes sizing.json, bad options exit 2") {
  test::TempDir dir("size");
  const auto r = test::run_cli("size " + test::shell_quote(test::tiny_path()) + " --utility-mw 0.3 --sim-duration-s 10 " +
                               "--set campus.halls.0.lineups.transformer.rated_kva=1500 --set campus.halls.0.lineups.switchgear.rated_kw=1000 " +
                               "--set campus.halls.0.lineups.ups.rated_kw=1000 --set campus.halls.0.rows.0.busway.rated_kw=1000 -o " +
                               test::shell_quote(dir.str()));
  CAPTURE(r.out);
  CHECK(r.code == 0);
  CHECK(r.out.find("binding constraint: utility") != std::string::npos);
  CHECK(r.out.find("bill of materials:") != std::string::npos);
  const json j = json::parse(test::read_file(dir.file("sizing.json")));
  for (const char* k : {"max_gpus", "max_racks", "binding_constraint", "constraints", "bill_of_materials"}) CHECK(j.contains(k));

  const auto bad = test::run_cli("size " + test::shell_quote(test::tiny_path()) + " --redundancy 3N -o " + test::shell_quote(dir.str()));
  CHECK(bad.code == 2);
  CHECK(bad.out.find("--redundancy") != std::string::npos);
  const auto inf = test::run_cli("size " + test::shell_quote(test::tiny_path()) + " --utility-mw 0.001 -o " + test::shell_quote(dir.str()));
  CAPTURE(inf.out);
  CHECK(inf.code == 0);
  CHECK(inf.out.find("INFEASIBLE") != std::string::npos);
}

TEST_CASE("cli: dctwin report --kind capacity shows the sizing of the folder (alone or beside a run)") {
  test::TempDir dir("size-report");
  const std::string tiny = test::shell_quote(test::tiny_path());
  REQUIRE(test::run_cli("size " + tiny + " --sim-duration-s 10 -o " + test::shell_quote(dir.str())).code == 0);
  const auto r = test::run_cli("report " + test::shell_quote(dir.str()) + " --kind capacity");
  if (r.code == 3) {
    MESSAGE("skipped: this build has no ECharts to embed in reports (" << r.out << ")");
    return;
  }
  CAPTURE(r.out);
  REQUIRE(r.code == 0);
  const json sizing = json::parse(test::read_file(dir.file("sizing.json")));
  const std::string html = test::read_file(dir.file("report-capacity.html"));
  CHECK(html.find("Capacity plan: the largest deployment and what limits it") != std::string::npos);
  CHECK(html.find("Binding constraint: " + sizing["binding_constraint"]["name"].get<std::string>()) != std::string::npos);
  CHECK(html.find("No simulation run in this folder") != std::string::npos);
  CHECK(html.find("chart-sizing") != std::string::npos);
  // Only sizing.json: the other kinds still need a run.
  CHECK(test::run_cli("report " + test::shell_quote(dir.str()) + " --kind utility").code == 2);
  // Beside a run: both the plan and the run's capacity table.
  REQUIRE(test::run_cli("run " + tiny + " --no-report -o " + test::shell_quote(dir.str())).code == 0);
  REQUIRE(test::run_cli("report " + test::shell_quote(dir.str()) + " --kind capacity").code == 0);
  const std::string both = test::read_file(dir.file("report-capacity.html"));
  CHECK(both.find("Capacity plan") != std::string::npos);
  CHECK(both.find("Rated elements: margins at peak") != std::string::npos);
}

TEST_CASE("sizing verdict: fits, short and infeasible against the racks installed (worked by hand)") {
  // The busway (N+1 of 1: the spare carries the whole row) at 250 kW carries 78 racks of 3.2 kW
  // (249.6 kW; 79 would be 252.8 kW): tiny.json installs 1 rack, so it fits with 77 to spare.
  const json fits = size_tiny({"campus.halls.0.rows.0.busway.rated_kw=250"});
  const json& v = fits["verdict"];
  CAPTURE(v.dump());
  CHECK(v["status"] == "fits");
  CHECK(v["racks_installed"] == 1);
  CHECK(v["racks_fit"] == 78);
  CHECK(v["headroom_racks"] == 77);
  CHECK(v["binding"].get<std::string>().rfind("busway $.campus.halls[0].rows[0].busway", 0) == 0);
  CHECK(v["binding"].get<std::string>().find(", after one unit is lost") != std::string::npos);
  CHECK(v["text"].get<std::string>().rfind("fits, +77 racks of headroom", 0) == 0);

  // 100 racks installed in the row: the same 78 fit, 22 short.
  const json short_ = size_tiny({"campus.halls.0.rows.0.busway.rated_kw=250", "campus.halls.0.rows.0.racks.0.count=100"});
  CAPTURE(short_["verdict"].dump());
  CHECK(short_["verdict"]["status"] == "short");
  CHECK(short_["verdict"]["racks_installed"] == 100);
  CHECK(short_["verdict"]["racks_fit"] == 78);
  CHECK(short_["verdict"]["shortfall_racks"] == 22);
  CHECK(short_["verdict"]["text"].get<std::string>().rfind("does not fit: 22 racks short", 0) == 0);
  CHECK(short_["verdict"]["text"].get<std::string>().find("binding: busway") != std::string::npos);

  // A 3 kVA transformer (2.4 kW at power factor 0.8; 2N: one carries the hall after a loss) cannot
  // carry one 3.2 kW rack: not even one rack fits.
  const json inf = size_tiny({"campus.halls.0.lineups.transformer.rated_kva=3"});
  CAPTURE(inf["verdict"].dump());
  CHECK(inf["verdict"]["status"] == "infeasible");
  CHECK(inf["verdict"]["racks_fit"] == 0);
  CHECK(inf["verdict"]["shortfall_racks"] == 1);
  CHECK(inf["verdict"]["text"].get<std::string>().rfind("infeasible: not even one rack fits", 0) == 0);
  CHECK(inf["verdict"]["text"].get<std::string>().find("transformer") != std::string::npos);
}

TEST_CASE("sizing: constraints name the file's hall entry and the instances, never a deployment's own entries") {
  // Five halls from one entry with one row each. A busway of 6.5 kW (N+1 of 1: one carries the
  // row after a loss) carries 2 racks of 3.2 kW (6.4 kW + 63 W of loss), not 3: 10 racks fit, 2 per
  // row. At 11 the first hall's row holds 3 and the other four 2: internally two hall entries.
  const json r = size_tiny({"campus.halls.0.count=5", "campus.halls.0.rows.0.busway.rated_kw=6.5"});
  CAPTURE(r.dump(1));
  CHECK(r["max_racks"] == 10);
  CHECK(r["binding_constraint"]["element"] == "$.campus.halls[0].rows[0].busway");
  CHECK(r["binding_constraint"]["instances"] == "halls[0] (1 of 5) / rows[0]");
  CHECK(r["verdict"]["binding"] == "busway $.campus.halls[0].rows[0].busway in halls[0] (1 of 5) / rows[0], after one unit is lost");
  for (const auto& c : r["constraints"]) {
    const std::string el = c["element"].get<std::string>();
    CHECK(el.find("halls[1]") == std::string::npos);
    if (el.rfind("$.campus.halls", 0) == 0) CHECK(c["instances"].get<std::string>().rfind("halls[0] (all 5)", 0) == 0);
  }
}

TEST_CASE("sizing: a UPS with its own N+2 behind N transformers binds at its failover share (worked by hand)") {
  // 2 lineups; 4 UPS modules of 250 kW (N+2): after one is lost 3 share the hall, 750 kW. The
  // racks: 3.2 kW each, plus the 2 busways' loss (1 % of 1,000 kW at full load, square law): 233
  // racks = 745.6 kW + 2 x 10 kW x (372.8 / 1000)^2 = 748.4 kW <= 750; 234 racks = 751.6 kW.
  const json r = size_tiny({"campus.halls.0.lineups.count=2", "campus.halls.0.lineups.ups.redundancy=N+2",
                            "campus.halls.0.lineups.ups.rated_kw=250"});
  check_binds(r, "ups", "single-element failover");
  CHECK(r["max_racks"] == 233);
  CHECK(find_constraint(r, "ups")["redundancy"] == "N+2");
  CHECK(find_constraint(r, "transformer")["redundancy"] == "2N");  // the lineup's (generous())
  CHECK(r["bill_of_materials"]["ups_modules"] == 4);
  CHECK(r["bill_of_materials"]["transformers"] == 4);
}

TEST_CASE("cli: dctwin size leads with the verdict, shows progress, and warns of a nameplate far from the draw") {
  test::TempDir dir("size-verdict");
  const auto r = test::run_cli("size " + test::shell_quote(test::tiny_path()) + " --sim-duration-s 5 " +
                               "--set campus.halls.0.rows.0.racks.0.count=100 --set node_types.n1.nameplate_w=1.5 -o " +
                               test::shell_quote(dir.str()));
  CAPTURE(r.out);
  REQUIRE(r.code == 0);
  const std::size_t verdict = r.out.find("verdict: ");
  REQUIRE(verdict != std::string::npos);
  CHECK(verdict < r.out.find("site: "));
  CHECK(r.out.find("dctwin: warning: $.node_types.n1.nameplate_w: nameplate_w 1.5 W") != std::string::npos);
  CHECK(r.out.find("dctwin: 100% simulated") != std::string::npos);  // progress, plain lines off a terminal
  const json j = json::parse(test::read_file(dir.file("sizing.json")));
  CHECK(j["verdict"]["racks_installed"] == 100);
  CHECK(r.out.find("verdict: " + j["verdict"]["text"].get<std::string>()) != std::string::npos);
  REQUIRE(j["warnings"].size() == 1);
  CHECK(j["warnings"][0]["path"] == "$.node_types.n1.nameplate_w");
  // The constraint table stays aligned however long the element paths are: every row as wide as
  // its header, and at least one path longer than a fixed 46-character column would hold.
  std::istringstream lines(r.out);
  std::string line;
  std::size_t header_width = 0, rows = 0, longest_path = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("constraint ", 0) == 0) { header_width = line.size(); continue; }
    if (header_width == 0) continue;
    if (line.rfind("bill of materials", 0) == 0 || line.rfind("wrote ", 0) == 0) break;
    ++rows;
    CHECK(line.size() == header_width);
  }
  CHECK(rows == j["constraints"].size());
  for (const auto& c : j["constraints"])
    longest_path = std::max(longest_path, c["element"].get<std::string>().size() +
                                              (c["instances"].is_string() ? 1 + c["instances"].get<std::string>().size() : 0));
  CHECK(longest_path > 46);
}
