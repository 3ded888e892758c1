#include "sim/engine/checkpoint.h"

#include <sstream>

#include "core/rng.h"

namespace dctwin {

namespace {
constexpr char kMagic[8] = {'D', 'C', 'T', 'W', 'I', 'N', 'C', 'K'};
}

void CheckpointWriter::put_rng(const std::mt19937_64& e) {
  std::ostringstream ss;
  ss << e;  // the standard's textual state: exact, portable
  put_string(ss.str());
}

std::string CheckpointReader::get_string() {
  const auto n = get<std::uint64_t>();
  need_count(n, 1);
  std::string s = data_.substr(pos_, static_cast<std::size_t>(n));
  pos_ += static_cast<std::size_t>(n);
  return s;
}

void CheckpointReader::get_rng(std::mt19937_64& e) {
  std::istringstream ss(get_string());
  std::mt19937_64 tmp;
  ss >> tmp;
  if (ss.fail()) throw CheckpointError("a random-number state", "corrupt text");
  e = tmp;
}

std::string checkpoint_file_bytes(std::uint64_t scenario_hash, std::int64_t sim_time_ns, const std::string& payload) {
  CheckpointWriter w;
  std::string out(kMagic, sizeof kMagic);
  w.put<std::uint32_t>(kCheckpointVersion);
  w.put<std::uint64_t>(scenario_hash);
  w.put_string(DCTWIN_VERSION);
  w.put<std::int64_t>(sim_time_ns);
  w.put_string(payload);
  w.put<std::uint64_t>(fnv1a64(payload));
  return out + w.bytes();
}

CheckpointFile parse_checkpoint_file(const std::string& bytes, std::uint64_t expected_scenario_hash) {
  if (bytes.size() < sizeof kMagic || bytes.compare(0, sizeof kMagic, kMagic, sizeof kMagic) != 0)
    throw CheckpointError("a dctwin checkpoint (starting with DCTWINCK)", "other content");
  const std::string rest = bytes.substr(sizeof kMagic);
  CheckpointReader r(rest);
  const auto version = r.get<std::uint32_t>();
  if (version != kCheckpointVersion)
    throw CheckpointError("checkpoint format version " + std::to_string(kCheckpointVersion), "version " + std::to_string(version));
  const auto hash = r.get<std::uint64_t>();
  const std::string built = r.get_string();
  if (built != DCTWIN_VERSION)
    throw CheckpointError("a checkpoint written by dctwin " + std::string(DCTWIN_VERSION), "one by dctwin " + built.substr(0, 40));
  if (hash != expected_scenario_hash)
    throw CheckpointError("a checkpoint of this scenario (same file, --set overrides, seed and duration)", "one of another scenario");
  CheckpointFile f;
  f.sim_time_ns = r.get<std::int64_t>();
  f.payload = r.get_string();
  const auto sum = r.get<std::uint64_t>();
  if (sum != fnv1a64(f.payload) || !r.at_end()) throw CheckpointError("a checkpoint whose checksum matches", "a corrupt one");
  return f;
}

}  // namespace dctwin
