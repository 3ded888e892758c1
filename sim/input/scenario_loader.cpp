#include "sim/input/scenario_loader.h"

#include "models/power/fan_control.h"
#include "core/units.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "dctwin/embedded_data.h"
#include "core/json_input.h"
#include "core/rng.h"
#include "sim/input/price_carbon_file.h"
#include "sim/input/request_trace_file.h"

namespace dctwin {

namespace {

constexpr double kBig = 1e300;
constexpr double kMaxPowerW = 1e9;  // 1 GW per element: beyond any real unit

power::ComponentPower read_component(JsonReader r) {
  power::ComponentPower c;
  const std::size_t before = r.problems().size();
  c.idle_w = r.number("idle_w", 0, 1e6);
  c.active_w = r.number("active_w", 0, 1e6);
  if (r.problems().size() == before && c.active_w < c.idle_w) r.problem("active_w", "active_w >= idle_w (" + std::to_string(c.idle_w) + " W)", std::to_string(c.active_w));
  r.finish();
  return c;
}

Redundancy read_redundancy(JsonReader& r) {
  const json* v = r.raw("redundancy");
  const std::string expected = "\"N\", \"N+k\" (k = 1..99) or \"2N\"";
  if (v == nullptr) {
    r.problem("redundancy", expected + " (required)", "nothing (missing key)");
    return {};
  }
  if (v->is_string()) {
    if (auto red = Redundancy::parse(v->get<std::string>())) return *red;
  }
  r.problem("redundancy", expected, JsonReader::describe(v));
  return {};
}

// A lineup's redundancy: lineups.redundancy is every element's unless the element gives its own
// (transformer, switchgear, ups .redundancy); it may be left out when all three do.
void read_lineup_redundancy(JsonReader& lu, JsonReader& tr, JsonReader& sg, JsonReader& ups, LineupSpec& l) {
  const bool all_own = tr.has("redundancy") && sg.has("redundancy") && ups.has("redundancy");
  if (lu.has("redundancy") || !all_own) {
    if (!lu.has("redundancy"))
      lu.problem("redundancy",
                 "\"N\", \"N+k\" (k = 1..99) or \"2N\" (required unless transformer, switchgear and ups each give their own)",
                 "nothing (missing key)");
    else
      l.redundancy = read_redundancy(lu);
  }
  l.transformer_redundancy = tr.has("redundancy") ? read_redundancy(tr) : l.redundancy;
  l.switchgear_redundancy = sg.has("redundancy") ? read_redundancy(sg) : l.redundancy;
  l.ups_redundancy = ups.has("redundancy") ? read_redundancy(ups) : l.redundancy;
}

// The double-conversion loss coefficients: a named `curve` (default "high-efficiency-vfi") or all
// three `*_loss_pct` keys (a custom curve), never both.
void read_ups_curve(JsonReader& r, power::UpsParams& u) {
  const std::vector<std::string> keys{"no_load_loss_pct", "proportional_loss_pct", "square_loss_pct"};
  const bool custom = r.has(keys[0]) || r.has(keys[1]) || r.has(keys[2]);
  if (custom && r.has("curve")) {
    for (const auto& k : keys) r.allow(k);
    r.allow("curve");
    r.problem("curve", "either \"curve\" or the three *_loss_pct coefficients, not both", "both");
    return;
  }
  if (custom) {
    u.no_load_loss_frac = r.number(keys[0], 0, 20) / 100.0;
    u.proportional_loss_frac = r.number(keys[1], 0, 20) / 100.0;
    u.square_loss_frac = r.number(keys[2], 0, 20) / 100.0;
    return;
  }
  const std::string name = r.has("curve") ? r.choice("curve", power::ups_curve_names()) : power::ups_curve_names()[0];
  if (const auto named = power::ups_named_curve(name, u.rated_w)) {
    u.no_load_loss_frac = named->no_load_loss_frac;
    u.proportional_loss_frac = named->proportional_loss_frac;
    u.square_loss_frac = named->square_loss_frac;
  }
}

PsuSpec read_psu(JsonReader r) {
  PsuSpec p;
  p.count = static_cast<int>(r.integer("count", 1, 1000));
  p.redundancy = read_redundancy(r);
  p.params.rated_w = r.number("rated_w", 1, kMaxPowerW);
  const json* eff = r.raw("efficiency");
  const std::string expected = "\"80plus-titanium-230v\" or an array of {\"load_fraction\", \"efficiency\"} points";
  if (eff == nullptr) {
    r.problem("efficiency", expected + " (required)", "nothing (missing key)");
  } else if (eff->is_string()) {
    const std::string name = eff->get<std::string>();
    if (name == "80plus-titanium-230v") {
      p.params.curve = power::psu_curve_80plus_titanium_230v();
      p.curve_name = name;
    } else {
      const std::string hint = closest_match(name, {"80plus-titanium-230v"});
      r.problem("efficiency", expected, JsonReader::describe(eff) + (hint.empty() ? "" : "; did you mean \"" + hint + "\"?"));
    }
  } else if (eff->is_array() && eff->size() >= 2 && eff->size() <= 100) {
    p.curve_name = "custom";
    for (std::size_t i = 0; i < eff->size(); ++i) {
      JsonReader pt((*eff)[i], r.key_path("efficiency") + "[" + std::to_string(i) + "]", r.problems(), r.file());
      power::EfficiencyPoint e;
      e.load_fraction = pt.number("load_fraction", 0, 1.5);
      e.efficiency = pt.number("efficiency", 0.01, 1.0);
      pt.finish();
      p.params.curve.push_back(e);
    }
    const std::string bad = power::psu_curve_problem(p.params.curve);
    if (!bad.empty()) r.problem("efficiency", "a valid efficiency curve", bad);
  } else {
    r.problem("efficiency", expected, JsonReader::describe(eff));
  }
  r.finish();
  return p;
}

power::ConductorParams read_conductor(JsonReader& r, const std::string& rated_key) {
  power::ConductorParams c;
  c.rated_w = r.number(rated_key, 0.001, kMaxPowerW / 1e3) * 1e3;
  c.full_load_loss_frac = r.number("full_load_loss_pct", 0, 10) / 100.0;
  return c;
}

}  // namespace

namespace {

struct Loader {
  Problems problems;
  std::string file;
  std::string base_dir;
  Scenario sc;
  std::map<std::string, int> profile_index, node_index, rack_index;

  int resolve_profile(JsonReader& r, const std::string& name) {
    if (auto it = profile_index.find(name); it != profile_index.end()) return it->second;
    if (!builtin_profile_text(name).empty()) {
      try {
        sc.profiles.push_back(load_builtin_profile(name));
      } catch (const InputError& e) {
        problems.append(e.problems());
        return -1;
      }
      const int idx = static_cast<int>(sc.profiles.size()) - 1;
      profile_index[name] = idx;
      return idx;
    }
    std::vector<std::string> names = builtin_profile_names();
    for (const auto& [n, i] : profile_index) names.push_back(n);
    const std::string hint = closest_match(name, names);
    r.problem("gpu", "a GPU profile defined in $.gpu_profiles or built in (h100-sxm, h200-sxm, b200, gb200)",
              "\"" + name + "\"" + (hint.empty() ? "" : "; did you mean \"" + hint + "\"?"));
    return -1;
  }

  void read_profiles(JsonReader& root) {
    for (auto& [name, r] : root.map_of_objects("gpu_profiles", false)) {
      if (!r.valid()) continue;
      if (r.has("file")) {
        const std::string rel = r.string("file", 1, 4096);
        r.finish();
        if (rel.empty()) continue;
        std::filesystem::path p(rel);
        if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
        Problems fp;
        power::GpuProfile g = read_gpu_profile_file(p.string(), fp);
        if (fp.empty()) {
          if (g.name != name) r.problem("file", "a profile whose name is \"" + name + "\"", "\"" + g.name + "\"");
          sc.profiles.push_back(g);
          profile_index[name] = static_cast<int>(sc.profiles.size()) - 1;
        } else {
          // Name the scenario key that pointed at the bad file, then the file's own problems.
          r.problem("file", "a readable, valid GPU profile file", p.string());
          problems.append(fp);
        }
      } else {
        power::GpuProfile g = read_gpu_profile(r);
        if (!g.name.empty() && g.name != name) r.problem("name", "the profile's key \"" + name + "\"", "\"" + g.name + "\"");
        sc.profiles.push_back(g);
        profile_index[name] = static_cast<int>(sc.profiles.size()) - 1;
      }
    }
  }

  void read_node_types(JsonReader& root) {
    for (auto& [name, r] : root.map_of_objects("node_types")) {
      NodeType nt;
      nt.name = name;
      nt.json_path = r.path();
      const std::string gpu = r.string("gpu", 1, 100);
      nt.server.gpus = static_cast<int>(r.integer("gpus", 0, 64));
      if (!gpu.empty()) nt.profile = resolve_profile(r, gpu);
      JsonReader comp = r.object("components");
      nt.server.cpu = read_component(comp.object("cpu"));
      nt.server.memory = read_component(comp.object("memory"));
      nt.server.nic = read_component(comp.object("nic"));
      nt.server.storage = read_component(comp.object("storage"));
      nt.server.other = read_component(comp.object("other"));
      comp.finish();
      JsonReader fans = r.object("fans");
      nt.server.fans.max_w = fans.number("max_w", 0.001, 1e6);
      nt.server.fans.min_speed_fraction = fans.number("min_speed_fraction", 0, 1);
      nt.server.fans.design_heat_w = fans.number("design_heat_w", 1, 1e7);
      nt.server.fans.time_constant_s =
          fans.optional_number("time_constant_s", 0, 3600).value_or(power::kServerFanTimeConstantS);  // fan_control.h
      fans.finish();
      if (auto psu = r.optional_object("psu")) nt.psu = read_psu(*psu);
      nt.nameplate_w = r.number("nameplate_w", 1, 1e7);
      r.finish();
      node_index[name] = static_cast<int>(sc.node_types.size());
      sc.node_types.push_back(std::move(nt));
    }
    if (sc.node_types.empty() && root.has("node_types"))
      root.problem("node_types", "at least one node type", "none");
  }

  int lookup(JsonReader& r, const std::string& key, const std::map<std::string, int>& index,
             const std::string& what) {
    const std::string name = r.string(key, 1, 200);
    if (name.empty()) return -1;
    if (auto it = index.find(name); it != index.end()) return it->second;
    std::vector<std::string> names;
    for (const auto& [n, i] : index) names.push_back(n);
    const std::string hint = closest_match(name, names);
    r.problem(key, "the name of a " + what, "\"" + name + "\"" + (hint.empty() ? "" : "; did you mean \"" + hint + "\"?"));
    return -1;
  }

  // The charge window of campus.storage and rack_types.*.storage: soc_min_pct, soc_max_pct,
  // soc_target_pct (optional, 50: a control choice, mid-window), initial_soc_pct (optional, the target).
  static void read_charge_window(JsonReader& st, power::BatteryParams& b, double& initial_soc) {
    b.soc_min = st.number("soc_min_pct", 0, 100) / 100.0;
    b.soc_max = st.number("soc_max_pct", 0, 100) / 100.0;
    b.soc_target = st.optional_number("soc_target_pct", 0, 100).value_or(50.0) / 100.0;
    initial_soc = st.optional_number("initial_soc_pct", 0, 100).value_or(b.soc_target * 100.0) / 100.0;
    if (st.valid() && !(b.soc_min < b.soc_max))
      st.problem("soc_max_pct", "more than soc_min_pct (" + exact_number(b.soc_min * 100) + " %)", exact_number(b.soc_max * 100) + " %");
    if (st.valid() && (b.soc_target < b.soc_min || b.soc_target > b.soc_max))
      st.problem("soc_target_pct", "a target inside [soc_min_pct, soc_max_pct]", std::to_string(b.soc_target * 100));
    if (st.valid() && (initial_soc < b.soc_min || initial_soc > b.soc_max))
      st.problem("initial_soc_pct", "a charge inside [soc_min_pct, soc_max_pct]", std::to_string(initial_soc * 100));
  }

  // rack_types.*.storage: per-rack storage (sim/facility/rack_storage.h). No public figure gives a rack's
  // storage energy, power or ramp limit, so those are required; control_step_s is numerical.
  static RackStorageSpec read_rack_storage(JsonReader& st) {
    RackStorageSpec s;
    power::BatteryParams& b = s.params;
    b.energy_j = st.number("energy_j", 1e-3, 1e12);
    b.power_w = st.number("power_w", 1e-3, 1e9);
    b.round_trip_efficiency = st.number("round_trip_efficiency", 0.5, 1.0);
    read_charge_window(st, b, s.initial_soc);
    b.recovery_s = st.number("recovery_s", 0.01, 1e6);
    b.ramp_limit_w_s = st.number("grid_ramp_limit_w_per_s", 0, 1e12);
    s.control_step_s = st.optional_number("control_step_s", 0.001, 1).value_or(0.05);
    st.finish();
    return s;
  }

  void read_rack_types(JsonReader& root) {
    for (auto& [name, r] : root.map_of_objects("rack_types")) {
      RackType rt;
      rt.name = name;
      rt.json_path = r.path();
      for (auto& s : r.array_of_objects("nodes", 1, 100)) {
        RackType::Slot slot;
        slot.node_type = lookup(s, "type", node_index, "node type in $.node_types");
        slot.count = static_cast<int>(s.integer("count", 1, 1000));
        s.finish();
        if (slot.node_type >= 0) rt.nodes.push_back(slot);
      }
      rt.rack_equipment = read_component(r.object("rack_equipment"));
      if (auto shelf = r.optional_object("power_shelf")) rt.power_shelf = read_psu(*shelf);
      if (auto st = r.optional_object("storage")) {
        rt.storage = read_rack_storage(*st);
        // One control grid for all rack storage (the engine ticks on it).
        for (const auto& other : sc.rack_types)
          if (other.storage && other.storage->control_step_s != rt.storage->control_step_s)
            st->problem("control_step_s", "the control_step_s of rack type \"" + other.name + "\" (" + std::to_string(other.storage->control_step_s) + ")",
                        std::to_string(rt.storage->control_step_s));
      }
      // Every node needs exactly one conversion stage: its own PSUs or the rack's power shelf.
      for (const auto& slot : rt.nodes) {
        const auto& nt = sc.node_types[slot.node_type];
        if (rt.power_shelf && nt.psu)
          r.problem("power_shelf", "either a rack power_shelf or node PSUs, not both (node type \"" + nt.name + "\" has a psu)", "both");
        if (!rt.power_shelf && !nt.psu)
          r.problem("power_shelf", "a power_shelf, since node type \"" + nt.name + "\" has no psu", "nothing (missing key)");
      }
      r.finish();
      rack_index[name] = static_cast<int>(sc.rack_types.size());
      sc.rack_types.push_back(std::move(rt));
    }
  }

  void read_campus(JsonReader& root) {
    JsonReader campus = root.object("campus");
    sc.power_factor = campus.number("power_factor", 0.5, 1.0);
    JsonReader utility = campus.object("utility");
    JsonReader feeds = utility.object("feeds");
    sc.feeds.count = static_cast<int>(feeds.integer("count", 1, 100));
    sc.feeds.redundancy = read_redundancy(feeds);
    sc.feeds.capacity_w = feeds.number("capacity_mw", 0.001, 1e4) * 1e6;
    feeds.finish();
    utility.finish();
    if (auto st = campus.optional_object("storage")) {
      power::BatteryParams b;
      b.power_w = st->number("power_mw", 1e-6, 1e5) * 1e6;
      b.energy_j = st->number("energy_mwh", 1e-6, 1e6) * units::kJPerMWh;
      b.round_trip_efficiency = st->number("round_trip_efficiency", 0.5, 1.0);
      read_charge_window(*st, b, sc.storage_initial_soc);
      b.recovery_s = st->optional_number("recovery_s", 1, 1e6).value_or(600.0);
      b.ramp_limit_w_s = st->number("grid_ramp_limit_mw_per_s", 0, 1e6) * 1e6;
      st->finish();
      sc.storage = b;
    }
    if (auto net = campus.optional_object("network")) {
      NetworkSpec n;
      n.gpus_per_nvlink_domain = static_cast<int>(net->integer("gpus_per_nvlink_domain", 1, 1024));
      n.nvlink_bytes_s = net->number("nvlink_gb_s", 0.001, 1e5) * 1e9;
      n.nvlink_latency_s = net->number("nvlink_latency_us", 0, 1e6) * 1e-6;
      n.nics_per_node = static_cast<int>(net->integer("nics_per_node", 1, 64));
      n.nic_bytes_s = net->number("nic_gbit_s", 0.001, 1e5) * 1e9 / 8.0;
      n.link_latency_s = net->number("link_latency_us", 0, 1e6) * 1e-6;
      n.oversubscription = net->optional_number("oversubscription", 1, 64).value_or(1.0);
      net->finish();
      sc.network = n;
    }
    for (auto& h : campus.array_of_objects("halls", 1, 1000)) {
      HallSpec hall;
      hall.json_path = h.path();
      hall.name = h.string("name", 1, 200);
      hall.count = static_cast<int>(h.integer("count", 1, 1000));
      for (auto& rw : h.array_of_objects("rows", 1, 1000)) {
        RowSpec row;
        row.json_path = rw.path();
        row.count = static_cast<int>(rw.integer("count", 1, 10000));
        for (auto& rk : rw.array_of_objects("racks", 1, 1000)) {
          RowSpec::Slot slot;
          slot.rack_type = lookup(rk, "type", rack_index, "rack type in $.rack_types");
          slot.count = static_cast<int>(rk.integer("count", 1, 10000));
          rk.finish();
          if (slot.rack_type >= 0) row.racks.push_back(slot);
        }
        JsonReader bw = rw.object("busway");
        row.busway.count = static_cast<int>(bw.integer("count", 1, 100));
        row.busway.redundancy = read_redundancy(bw);
        row.busway.params = read_conductor(bw, "rated_kw");
        bw.finish();
        rw.finish();
        hall.rows.push_back(row);
      }
      JsonReader lu = h.object("lineups");
      hall.lineups.count = static_cast<int>(lu.integer("count", 1, 1000));
      JsonReader tr = lu.object("transformer");
      JsonReader sg = lu.object("switchgear");
      JsonReader ups = lu.object("ups");
      read_lineup_redundancy(lu, tr, sg, ups, hall.lineups);
      hall.lineups.transformer.rated_kva = tr.number("rated_kva", 1, 1e7);
      hall.lineups.transformer.no_load_loss_w = tr.number("no_load_loss_w", 0, 1e7);
      hall.lineups.transformer.load_loss_w = tr.number("load_loss_w", 0, 1e7);
      tr.finish();
      hall.lineups.switchgear = read_conductor(sg, "rated_kw");
      sg.finish();
      auto& u = hall.lineups.ups;
      u.rated_w = ups.number("rated_kw", 0.001, 1e6) * 1e3;
      const std::string mode = ups.choice("mode", {"double_conversion", "eco"});
      u.mode = mode == "eco" ? power::UpsMode::Eco : power::UpsMode::DoubleConversion;
      read_ups_curve(ups, u);
      u.eco_loss_frac = ups.optional_number("eco_loss_pct", 0, 20).value_or(1.0) / 100.0;
      ups.finish();
      lu.finish();
      h.finish();
      sc.halls.push_back(hall);
    }
    campus.finish();
  }

  void read_jobs(JsonReader& root) {
    for (auto& j : root.array_of_objects("jobs", 0, 10000)) {
      JobSpec job;
      job.json_path = j.path();
      job.name = j.string("name", 1, 200);
      job.kind = j.choice("kind", {"training", "inference"});
      job.gpus = j.integer("gpus", 1, kMaxGpus);
      job.start_s = j.number("start_s", 0, kMaxDurationS);
      job.stop_s = j.nullable_number("stop_s", 0, kMaxDurationS);
      if (job.stop_s && *job.stop_s <= job.start_s)
        j.problem("stop_s", "a time after start_s (" + std::to_string(job.start_s) + " s) or null", std::to_string(*job.stop_s));
      job.start_ramp_s = j.optional_number("start_ramp_s", 0, 86400).value_or(0.0);
      if (j.has("deferrable")) {
        const json* d = j.raw("deferrable");
        if (d == nullptr || !d->is_boolean()) j.problem("deferrable", "true or false", JsonReader::describe(d));
        else job.deferrable = d->get<bool>();
      }
      if (job.kind != "inference") {  // training, or an invalid kind (read as training to report the rest)
        if (j.has("step") == j.has("model"))
          j.problem("step", "exactly one of \"step\" (explicit phases) or \"model\" (derived phases) for a training job",
                    j.has("step") ? "both" : "neither");
        if (j.has("step")) {
          for (auto& ph : j.array_of_objects("step", 1, 1000)) {
            JobPhaseSpec p;
            const std::string name = ph.choice("phase", {"compute", "communication", "optimizer", "checkpoint", "idle"});
            if (auto g = power::gpu_phase_from_string(name)) p.phase = *g;
            p.duration_s = ph.number("duration_s", 1e-6, 1e6);
            ph.finish();
            job.step.push_back(p);
          }
        }
        if (auto m = j.optional_object("model")) job.model = read_model(*m);
        if (auto c = j.optional_object("checkpoint")) {
          CheckpointSpec cp;
          cp.interval_s = c->number("interval_s", 1, kMaxDurationS);
          // The pause: given directly, or from the checkpoint's size and the storage write bandwidth.
          if (c->has("duration_s") || !(c->has("size_gb") || c->has("write_gb_s"))) {
            cp.duration_s = c->number("duration_s", 1e-3, 86400);
            for (const char* k : {"size_gb", "write_gb_s"})
              if (c->has(k)) {
                c->problem(k, "either duration_s or size_gb with write_gb_s, not both", "both");
                c->allow(k);
              }
          } else {
            const double size = c->number("size_gb", 1e-6, 1e9);
            const double bw = c->number("write_gb_s", 1e-6, 1e9);
            cp.duration_s = size / bw;
            if (c->valid() && (cp.duration_s < 1e-3 || cp.duration_s > 86400))
              c->problem("size_gb", "size_gb / write_gb_s within [0.001, 86400] s", std::to_string(cp.duration_s) + " s");
          }
          c->finish();
          job.checkpoint = cp;
        }
        if (auto f = j.optional_object("failures")) {
          FailureSpec fs;
          fs.node_mtbf_s = f->number("node_mtbf_h", 1e-3, 1e9) * 3600.0;
          fs.restart_s = f->number("restart_s", 0, 86400);
          fs.reload_s = f->number("reload_s", 0, 86400);
          f->finish();
          job.failures = fs;
        }
        if (auto jt = j.optional_object("jitter")) {
          workload::JitterParams jp;
          jp.cv = jt->number("compute_cv", 0, 0.5);
          jp.straggler_probability = jt->optional_number("straggler_probability", 0, 1).value_or(0.0);
          jp.straggler_slowdown = jt->optional_number("straggler_slowdown", 0, 10).value_or(0.0);
          if (const json* co = jt->has("cohorts") ? jt->raw("cohorts") : nullptr; co && co->is_string()) {
            if (co->get<std::string>() == "per-rack") jp.per_rack = true;
            else jt->problem("cohorts", "an integer 2 .. 64 or \"per-rack\"", JsonReader::describe(co));
          } else if (co) {
            jp.cohorts = static_cast<int>(jt->integer("cohorts", 2, 64));
          }
          if (jt->has("draws")) jp.common_draws = jt->choice("draws", {"cohort", "per-rack"}) == "per-rack";
          jt->finish();
          job.jitter = jp;
        }
        if (j.has("inference")) {
          j.problem("inference", "no \"inference\" block on a training job", "one");
          j.allow("inference");
        }
      } else {
        for (const char* k : {"step", "model", "checkpoint", "failures", "jitter"})
          if (j.has(k)) {
            j.problem(k, std::string("no \"") + k + "\" on an inference job", "one");
            j.allow(k);
          }
        JsonReader inf = j.object("inference");
        job.inference = read_inference(inf);
        inf.finish();
      }
      if (auto pc = j.optional_object("power_cap")) {
        PowerCapSpec cap;
        cap.gpu_w = pc->number("gpu_w", 1, 1e5);
        cap.dvfs_exponent = pc->optional_number("dvfs_exponent", 1, 5);
        pc->finish();
        job.power_cap = cap;
      }
      if (auto sm = j.optional_object("smoothing")) {
        SmoothingSpec ss;
        ss.floor_fraction = sm->number("floor_pct_tdp", 0, 100) / 100.0;
        ss.ramp_up_w_per_s = sm->number("ramp_up_w_per_s", 0, 1e9);
        ss.ramp_down_w_per_s = sm->number("ramp_down_w_per_s", 0, 1e9);
        ss.hysteresis_s = sm->optional_number("hysteresis_s", 0, 3600).value_or(0.0);
        ss.quantum_s = sm->optional_number("quantum_s", 1e-3, 1).value_or(0.01);
        sm->finish();
        job.smoothing = ss;
      }
      j.finish();
      sc.jobs.push_back(job);
    }
  }

  // jobs[].inference: the request rate (a trace CSV, or the diurnal default) and the serving figures.
  InferenceSpec read_inference(JsonReader& inf) {
    InferenceSpec is;
    if (inf.has("request_trace")) {
      for (const char* k : {"min_utilization", "max_utilization", "peak_hour", "prompt_tokens", "output_tokens", "update_s"})
        if (inf.has(k)) {
          inf.problem(k, std::string("no \"") + k + "\" with a request_trace (the trace gives the rate and tokens)", "one");
          inf.allow(k);
        }
      const std::string rel = inf.string("request_trace", 1, 4096);
      std::filesystem::path p(rel);
      if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
      is.trace_path = p.string();
      if (!rel.empty()) {
        try {
          std::uint64_t file_hash = 0;
          is.trace = std::make_shared<const workload::RequestTrace>(load_request_trace_file(is.trace_path, &file_hash));
          // The run depends on the trace's content: the scenario hash covers it (checkpoints).
          sc.content_hash = fnv1a64(std::to_string(sc.content_hash) + ":" + std::to_string(file_hash));
        } catch (const InputError& e) {
          problems.append(e.problems());  // one line per problem, naming the CSV file and line
        }
      }
    } else {
      is.profile.min_utilization = inf.number("min_utilization", 0, 1);
      is.profile.max_utilization = inf.number("max_utilization", 0, 1);
      if (inf.valid() && is.profile.max_utilization < is.profile.min_utilization)
        inf.problem("max_utilization", "at least min_utilization (" + std::to_string(is.profile.min_utilization) + ")",
                    std::to_string(is.profile.max_utilization));
      is.profile.peak_hour = inf.number("peak_hour", 0, 24);
      is.prompt_tokens = inf.optional_number("prompt_tokens", 0, 1e7).value_or(is.prompt_tokens);
      is.output_tokens = inf.optional_number("output_tokens", 1, 1e7).value_or(is.output_tokens);
      is.update_s = inf.optional_number("update_s", 1, 86400).value_or(60.0);
    }
    auto& sv = is.serving;
    sv.prefill_tokens_per_s = inf.optional_number("prefill_tokens_per_s", 1, 1e9).value_or(sv.prefill_tokens_per_s);
    sv.decode_base_s = inf.optional_number("decode_base_s", 1e-6, 10).value_or(sv.decode_base_s);
    sv.decode_per_sequence_s = inf.optional_number("decode_per_sequence_s", 0, 10).value_or(sv.decode_per_sequence_s);
    if (inf.has("max_batch")) sv.max_batch = static_cast<double>(inf.integer("max_batch", 1, 100000));
    sv.decode_power_fraction = inf.optional_number("decode_power_fraction", 0, 1).value_or(sv.decode_power_fraction);
    return is;
  }

  TrainingModelSpec read_model(JsonReader& m) {
    TrainingModelSpec ms;
    auto& s = ms.shape;
    s.parameters = m.number("parameters", 1e3, 1e15);
    s.tokens_per_step = m.number("tokens_per_step", 1, 1e12);
    s.sequence_length = m.number("sequence_length", 1, 1e8);
    s.micro_batch = m.optional_number("micro_batch", 1, 1e6).value_or(1.0);
    s.tp = static_cast<int>(m.integer("tensor_parallel", 1, 1024));
    s.pp = static_cast<int>(m.integer("pipeline_parallel", 1, 4096));
    s.mfu = m.number("mfu", 1e-3, 1.0);
    s.overlap = m.number("overlap", 0, 1);
    ms.gradient_bytes_per_param = m.optional_number("gradient_bytes_per_param", 0.5, 16).value_or(2.0);
    s.optimizer_bytes_per_param = m.optional_number("optimizer_bytes_per_param", 0, 64).value_or(16.0);
    s.hbm_bytes_s = m.number("memory_bandwidth_gb_s", 1, 1e6) * 1e9;
    ms.hidden_size = m.optional_number("hidden_size", 1, 1e6).value_or(0.0);
    if (s.pp > 1 && ms.hidden_size == 0)
      m.problem("hidden_size", "the model's hidden size when pipeline_parallel > 1 (for activation transfers)", "nothing (missing key)");
    m.finish();
    return ms;
  }

  void cross_checks(JsonReader& root) {
    if (!problems.empty()) return;  // totals need valid indices
    const std::int64_t gpus = sc.total_gpus();
    if (gpus > kMaxGpus) root.problem("campus", "at most " + std::to_string(kMaxGpus) + " GPUs in total", std::to_string(gpus));
    std::int64_t asked = 0;
    for (const auto& j : sc.jobs) asked += j.gpus;
    if (asked > gpus)
      root.problem("jobs", "jobs needing at most the campus's " + std::to_string(gpus) + " GPUs", std::to_string(asked) + " GPUs asked");
    if (sc.network)
      for (const auto& nt : sc.node_types)
        if (nt.server.gpus > 0 && sc.network->gpus_per_nvlink_domain % nt.server.gpus != 0)
          root.problem("campus", "$.campus.network.gpus_per_nvlink_domain a multiple of every node's GPUs (node type \"" +
                                     nt.name + "\" has " + std::to_string(nt.server.gpus) + ")",
                       std::to_string(sc.network->gpus_per_nvlink_domain));
    for (const auto& j : sc.jobs)
      if (j.model && !sc.network)
        root.problem("campus", "a \"network\" object in $.campus, since " + j.json_path + " is described by a model",
                     "nothing (missing key)");
    const double samples = sc.duration_s / sc.output_step_s;
    char fits[32];
    std::snprintf(fits, sizeof fits, "%.6g", sc.duration_s / kMaxOutputSamples);
    if (samples > kMaxOutputSamples)
      root.problem("simulation", "at most " + std::to_string(static_cast<long long>(kMaxOutputSamples)) +
                                     " output samples (duration_s / output_step_s): output_step_s of " + fits +
                                     " s or more for this duration_s",
                   std::to_string(static_cast<long long>(samples)));
  }

  void load(const std::string& text, const LoadOptions& options) {
    json doc = parse_json(text, file, problems);
    if (!problems.empty()) throw InputError(problems);
    apply_overrides(doc, options.overrides, problems);
    if (!problems.empty()) throw InputError(problems);
    sc.content_hash = fnv1a64(doc.dump());
    JsonReader root(doc, "$", problems, file);
    sc.source = file;
    sc.name = root.string("name", 1, 200);
    sc.description = root.optional_string("description").value_or("");
    JsonReader sim = root.object("simulation");
    const std::size_t before_times = problems.size();
    sc.duration_s = sim.number("duration_s", 1e-3, kMaxDurationS);
    sc.output_step_s = sim.number("output_step_s", 1e-3, 3600);
    sc.rack_series_step_s = sim.optional_number("rack_series_step_s", 1e-3, 86400).value_or(60.0);
    // Compared only when both were read: a rejected value stands in as its minimum, which must
    // not produce a second, misleading problem.
    if (sim.valid() && problems.size() == before_times && sc.output_step_s > sc.duration_s)
      sim.problem("output_step_s", "at most duration_s (" + std::to_string(sc.duration_s) + " s)", std::to_string(sc.output_step_s));
    sc.seed = static_cast<std::uint64_t>(sim.integer("seed", 0, std::numeric_limits<std::int64_t>::max()));
    sc.thermal_step_s = sim.optional_number("thermal_step_s", 1e-3, 3600).value_or(1.0);
    sim.finish();
    read_profiles(root);
    read_node_types(root);
    read_rack_types(root);
    read_campus(root);
    sc.cooling = read_cooling_spec(root, sc, base_dir);
    sc.grid = read_grid_spec(root, sc.duration_s);
    read_jobs(root);
    if (auto grid = root.optional_object("grid")) {
      sc.price_carbon = read_grid_price_carbon(*grid, base_dir);
      sc.curtailments = read_curtailments(*grid, sc.duration_s);
      for (const char* k : kGridKeys) grid->allow(k);
      grid->finish();
    }
    sc.flexibility = read_flexibility(root);
    root.finish();
    cross_checks(root);
    if (!problems.empty()) throw InputError(problems);
  }
};

}  // namespace

Scenario load_scenario_text(const std::string& text, const std::string& file,
                            const std::string& base_dir, const LoadOptions& options) {
  Loader l;
  l.file = file;
  l.base_dir = base_dir;
  l.load(text, options);
  return std::move(l.sc);
}

Scenario load_scenario_file(const std::string& path, const LoadOptions& options) {
  Problems problems;
  const std::string text = read_text_file(path, problems);
  if (!problems.empty()) throw InputError(problems);
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return load_scenario_text(text, path, dir.empty() ? "." : dir, options);
}

std::string_view default_scenario_text() { return embedded::default_scenario(); }

Scenario load_default_scenario(const LoadOptions& options) {
  return load_scenario_text(std::string(default_scenario_text()), "<embedded default scenarios/mai1-15k-h100.json>", ".", options);
}

Scenario load_scenario(const std::string& path, const LoadOptions& options) {
  return path.empty() ? load_default_scenario(options) : load_scenario_file(path, options);
}

std::string exact_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace dctwin
