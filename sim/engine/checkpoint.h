// Checkpoints of a run: the engine's whole state at an event boundary (event queue, every job
// runner with its random streams, recorder bins, rack series, capacity peaks, continuous processes
// such as the cooling plant), so `dctwin run --resume DIR` continues to a result byte-identical to
// an uninterrupted run without redoing the simulated time already computed.
//
// File format (little-endian, version kCheckpointVersion), written atomically (temp + rename):
//   "DCTWINCK" | u32 version | u64 scenario hash | string dctwin version | i64 simulated time (ns)
//   | u64 payload size | payload | u64 FNV-1a of the payload
// A string is u64 length + bytes. The scenario hash covers the scenario after every override
// (canonical JSON), so a checkpoint is refused for another scenario, seed or duration.
#pragma once
#include <cstdint>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace dctwin {

inline constexpr std::uint32_t kCheckpointVersion = 7;  // 7: junction spans (GpuThermal) and held rack loads (RackSeries); 6: inference tokens and serving energy; 2: rack storage (ItBreakdown::rack_storage_w); 3: recorder meter-power levels; 4: fan control lags; 5: plant pump and fan heat
inline constexpr const char* kCheckpointFileName = "checkpoint.dctwin";

// A checkpoint that cannot be read back (truncated, corrupt, other version or scenario).
class CheckpointError : public std::runtime_error {
 public:
  CheckpointError(std::string expected, std::string found)
      : std::runtime_error("expected " + expected + ", found " + found), expected_(std::move(expected)), found_(std::move(found)) {}
  explicit CheckpointError(const std::string& found) : CheckpointError("a checkpoint of this run", found) {}
  const std::string& expected() const { return expected_; }
  const std::string& found() const { return found_; }

 private:
  std::string expected_, found_;
};

class CheckpointWriter {
 public:
  void put(bool v) { put<std::uint8_t>(v ? 1 : 0); }
  template <class T>
  void put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto* p = reinterpret_cast<const char*>(&v);
    buf_.append(p, sizeof(T));
  }
  void put_string(const std::string& s) {
    put<std::uint64_t>(s.size());
    buf_.append(s);
  }
  template <class T>
  void put_vector(const std::vector<T>& v) {
    put<std::uint64_t>(v.size());
    for (const T& x : v) put(x);
  }
  void put_rng(const std::mt19937_64& e);
  // io(): one field list serves both directions (see CheckpointReader::io).
  static constexpr bool kReading = false;
  template <class T>
  void io(const T& v) { put(v); }
  template <class T>
  void io(const std::vector<T>& v) { put_vector(v); }
  template <class T>
  void io_sized(const std::vector<T>& v) { put_vector(v); }
  void io(const std::mt19937_64& e) { put_rng(e); }
  void io(const std::string& s) { put_string(s); }
  const std::string& bytes() const { return buf_; }
  std::string take() { return std::move(buf_); }

 private:
  std::string buf_;
};

class CheckpointReader {
 public:
  explicit CheckpointReader(const std::string& bytes) : data_(bytes) {}
  template <class T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    need(sizeof(T));
    T v;
    std::memcpy(&v, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  template <class T>
  void get(T& v) { v = get<T>(); }
  // A bool is stored as one byte 0 or 1; any other byte is refused (loading it would be UB).
  void get(bool& v) {
    const auto b = get<std::uint8_t>();
    if (b > 1) throw CheckpointError("a flag 0 or 1", std::to_string(b));
    v = b != 0;
  }
  std::string get_string();
  template <class T>
  void get_vector(std::vector<T>& v) {
    const auto n = get<std::uint64_t>();
    need_count(n, sizeof(T));
    v.resize(static_cast<std::size_t>(n));
    for (auto& x : v) x = get<T>();
  }
  // Reads a vector that must have exactly `n` elements (sizes fixed by the scenario).
  template <class T>
  void get_vector_sized(std::vector<T>& v, std::size_t n) {
    std::vector<T> tmp;
    get_vector(tmp);
    if (tmp.size() != n) throw CheckpointError("a table of " + std::to_string(n) + " entries (as this scenario has)", std::to_string(tmp.size()) + " entries");
    v = std::move(tmp);
  }
  void get_rng(std::mt19937_64& e);
  // io(): the reading side of a field list written with CheckpointWriter::io, so a class lists
  // its checkpointed fields once: template <class Ar, class Self> fields(Ar& a, Self& s).
  static constexpr bool kReading = true;
  template <class T>
  void io(T& v) { get(v); }
  template <class T>
  void io(std::vector<T>& v) { get_vector(v); }
  template <class T>
  void io_sized(std::vector<T>& v) { get_vector_sized(v, v.size()); }  // size fixed by the scenario
  void io(std::mt19937_64& e) { get_rng(e); }
  void io(std::string& s) { s = get_string(); }
  bool at_end() const { return pos_ == data_.size(); }
  void need_count(std::uint64_t n, std::size_t elem) const {
    if (elem != 0 && n > (data_.size() - pos_) / elem) throw CheckpointError("a complete checkpoint", "a truncated or corrupt one");
  }

 private:
  void need(std::size_t n) const {
    if (data_.size() - pos_ < n) throw CheckpointError("a complete checkpoint", "a truncated or corrupt one");
  }
  const std::string& data_;
  std::size_t pos_ = 0;
};

// The file around a payload. Reading checks magic, version, hash and checksum; a mismatch throws
// CheckpointError with what was expected and found.
std::string checkpoint_file_bytes(std::uint64_t scenario_hash, std::int64_t sim_time_ns, const std::string& payload);
struct CheckpointFile {
  std::int64_t sim_time_ns = 0;
  std::string payload;
};
CheckpointFile parse_checkpoint_file(const std::string& bytes, std::uint64_t expected_scenario_hash);

}  // namespace dctwin
