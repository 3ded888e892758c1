// Input problems: one line each, naming the file, the JSON path (or line), what was expected and
// what was found. Every loader in dctwin collects problems instead of stopping at the first one,
// so a user sees all of them at once (exit code 2 from the CLI).
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace dctwin {

struct Problem {
  std::string file;      // the input file ("<embedded default>", "--set" for overrides)
  std::string where;     // JSON path ($.campus.halls[0].count) or "line 12, column 4"
  std::string expected;  // what was expected (type, range, unit)
  std::string found;     // what was found
  std::string str() const;  // "file: where: expected ..., found ..."
};

class Problems {
 public:
  void add(Problem p) { list_.push_back(std::move(p)); }
  void add(std::string file, std::string where, std::string expected, std::string found) {
    list_.push_back({std::move(file), std::move(where), std::move(expected), std::move(found)});
  }
  bool empty() const { return list_.empty(); }
  std::size_t size() const { return list_.size(); }
  const std::vector<Problem>& list() const { return list_; }
  std::string str() const;  // all problems, one line each
  void append(const Problems& other) { list_.insert(list_.end(), other.list_.begin(), other.list_.end()); }

 private:
  std::vector<Problem> list_;
};

// Thrown by loaders when the collected problems make the input unusable.
class InputError : public std::runtime_error {
 public:
  explicit InputError(Problems problems)
      : std::runtime_error(problems.str()), problems_(std::move(problems)) {}
  const Problems& problems() const { return problems_; }

 private:
  Problems problems_;
};

// Thrown when the environment lacks something (no GPU, no browser): CLI exit code 3.
class EnvironmentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown when a conservation check fails (energy in = energy out + losses + stored; heat balance):
// the run is refused rather than reported (CLI exit code 4).
class ConservationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Levenshtein distance, for "did you mean" hints.
std::size_t edit_distance(const std::string& a, const std::string& b);
// The closest candidate within a small distance, or "" when none is close.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace dctwin
