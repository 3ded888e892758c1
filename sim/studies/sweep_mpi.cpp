// The MPI layer of `dctwin sweep` (compiled only with DCTWIN_ENABLE_MPI; see sim/studies/sweep.h).
// Each rank runs its fixed share of the cases (sweep_cases_of_rank); rank 0 gathers the rows as
// JSON text (MPI_Gather of the lengths, MPI_Gatherv of the bytes) and sorts them by case. A row's
// numbers survive the text round trip exactly (nlohmann::json writes the shortest representation
// that parses back to the same double), so the table equals a single-process run's.
#include <mpi.h>

#include <algorithm>
#include <stdexcept>

#include "sim/studies/sweep.h"

namespace dctwin {

namespace {
void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed (code " + std::to_string(rc) + ")");
}
}  // namespace

bool sweep_mpi_built() { return true; }

MpiSession::MpiSession(bool use_mpi) : active_(use_mpi) {
  if (!active_) return;
  int already = 0;
  MPI_Initialized(&already);
  if (!already) {
    int provided = 0;
    check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    initialized_ = true;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  if (initialized_) MPI_Finalize();
}

std::vector<json> MpiSession::gather_rows(const std::vector<json>& local) const {
  if (!active_) return local;
  const std::string text = json(local).dump();
  if (text.size() > static_cast<std::size_t>(INT32_MAX)) throw std::runtime_error("MPI: a rank's rows exceed 2 GiB");
  int len = static_cast<int>(text.size());
  std::vector<int> lens(rank_ == 0 ? static_cast<std::size_t>(size_) : 0u);
  check(MPI_Gather(&len, 1, MPI_INT, lens.data(), 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Gather");
  std::vector<int> displs;
  std::string all;
  if (rank_ == 0) {
    long long total = 0;
    for (int l : lens) {
      displs.push_back(static_cast<int>(total));
      total += l;
    }
    if (total > INT32_MAX) throw std::runtime_error("MPI: the gathered rows exceed 2 GiB");
    all.resize(static_cast<std::size_t>(total));
  }
  check(MPI_Gatherv(text.data(), len, MPI_CHAR, all.data(), lens.data(), displs.data(), MPI_CHAR, 0, MPI_COMM_WORLD),
        "MPI_Gatherv");
  std::vector<json> rows;
  if (rank_ != 0) return rows;
  for (int r = 0; r < size_; ++r) {
    const json part = json::parse(all.substr(static_cast<std::size_t>(displs[static_cast<std::size_t>(r)]),
                                             static_cast<std::size_t>(lens[static_cast<std::size_t>(r)])));
    for (const auto& row : part) rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end(),
            [](const json& a, const json& b) { return a["case"].get<std::size_t>() < b["case"].get<std::size_t>(); });
  return rows;
}

}  // namespace dctwin
