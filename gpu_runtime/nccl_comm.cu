// gpu_runtime/nccl_comm.cu — NcclClique (nccl_comm.h): NCCL through dlopen.
//
// Declarations from the NCCL API reference (NVIDIA Collective Communication Library, "API" ->
// "Communicator Creation and Management Functions" and "Collective Communication Functions";
// docs.nvidia.com/deeplearning/nccl/user-guide/docs/api.html). The library is loaded by its soname,
// libnccl.so.2 (NCCL 2.x). Enum values are NCCL's ABI: ncclSuccess 0, ncclSum 0, ncclBfloat16 9
// (since NCCL 2.10). Where <nccl.h> is installed the values are checked against it at build time.
#include "gpu_runtime/nccl_comm.h"

#include "gpu_runtime/common/dl_symbol.h"

#include <dlfcn.h>

#include <string>

#if __has_include(<nccl.h>)
#include <nccl.h>
#define DCTWIN_CHECK_NCCL_ABI 1
#endif

namespace dctwin::gpu {

namespace {
using nccl_result = int;      // ncclResult_t: ncclSuccess = 0
using nccl_comm = void*;      // ncclComm_t: opaque pointer to struct ncclComm
constexpr int kNcclSum = 0;        // ncclRedOp_t ncclSum
constexpr int kNcclBfloat16 = 9;   // ncclDataType_t ncclBfloat16 (NCCL >= 2.10)
#ifdef DCTWIN_CHECK_NCCL_ABI
static_assert(ncclSuccess == 0 && ncclSum == kNcclSum && ncclBfloat16 == kNcclBfloat16, "NCCL ABI values differ from <nccl.h>");
static_assert(sizeof(ncclComm_t) == sizeof(nccl_comm), "ncclComm_t is a pointer");
// The declarations below pass ncclResult_t, ncclDataType_t and ncclRedOp_t as int.
static_assert(sizeof(ncclResult_t) == sizeof(nccl_result) && sizeof(ncclDataType_t) == sizeof(int) &&
                  sizeof(ncclRedOp_t) == sizeof(int),
              "NCCL enums are int-sized");
#endif
}  // namespace

struct NcclClique::Api {
  // ncclResult_t ncclGetVersion(int* version): NCCL_MAJOR * 10000 + NCCL_MINOR * 100 + NCCL_PATCH (>= 2.9).
  nccl_result (*get_version)(int*) = nullptr;
  // ncclResult_t ncclCommInitAll(ncclComm_t* comm, int ndev, const int* devlist): a single-process
  // clique, one communicator per device of devlist, rank = position.
  nccl_result (*comm_init_all)(nccl_comm*, int, const int*) = nullptr;
  // ncclResult_t ncclAllReduce(const void* sendbuff, void* recvbuff, size_t count, ncclDataType_t
  // datatype, ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream): in place when sendbuff == recvbuff.
  nccl_result (*all_reduce)(const void*, void*, std::size_t, int, int, nccl_comm, cudaStream_t) = nullptr;
  // ncclResult_t ncclCommDestroy(ncclComm_t comm), ncclResult_t ncclCommAbort(ncclComm_t comm).
  nccl_result (*comm_destroy)(nccl_comm) = nullptr;
  nccl_result (*comm_abort)(nccl_comm) = nullptr;
  // const char* ncclGetErrorString(ncclResult_t result).
  const char* (*error_string)(nccl_result) = nullptr;
};

std::string NcclClique::init(const std::vector<int>& devices) {
  lib_ = dlopen("libnccl.so.2", RTLD_NOW | RTLD_LOCAL);
  // The CUDA Toolkit's folder, when NCCL was installed there and it is not on the loader's path.
  if (!lib_) lib_ = dlopen("/usr/local/cuda/lib64/libnccl.so.2", RTLD_NOW | RTLD_LOCAL);
  if (!lib_)
    return "cannot load NCCL (libnccl.so.2): install NCCL 2.x (e.g. the libnccl2 package, or put its lib folder, such as "
           "a pip wheel's site-packages/nvidia/nccl/lib, on LD_LIBRARY_PATH), or use comm_mode \"traffic\" or \"idle\"";
  api_ = new Api;
  bool ok = true;
  auto sym = [&](auto& fn, const char* name) { ok = dl_symbol(lib_, fn, name) && ok; };
  sym(api_->get_version, "ncclGetVersion");
  sym(api_->comm_init_all, "ncclCommInitAll");
  sym(api_->all_reduce, "ncclAllReduce");
  sym(api_->comm_destroy, "ncclCommDestroy");
  sym(api_->comm_abort, "ncclCommAbort");
  sym(api_->error_string, "ncclGetErrorString");
  if (!ok) return "libnccl.so.2 lacks an NCCL function dctwin uses: install NCCL 2.10 or newer";
  int v = 0;
  if (api_->get_version(&v) == 0) {
    // NCCL_VERSION_CODE: X*1000 + Y*100 + Z up to 2.8, X*10000 + Y*100 + Z from 2.9 (nccl.h).
    version_ = v < 10000 ? std::to_string(v / 1000) + "." + std::to_string(v / 100 % 10) + "." + std::to_string(v % 100)
                         : std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." + std::to_string(v % 100);
    if (v < 21000) return "NCCL " + version_ + " has no BF16 all-reduce: install NCCL 2.10 or newer";
  }
  comms_.assign(devices.size(), nullptr);
  const nccl_result res = api_->comm_init_all(comms_.data(), static_cast<int>(devices.size()), devices.data());
  if (res != 0) {
    comms_.clear();
    return std::string("ncclCommInitAll failed: ") + api_->error_string(res);
  }
  return "";
}

std::string NcclClique::all_reduce_bf16(int rank, void* buffer, std::size_t count, cudaStream_t stream) {
  const nccl_result res = api_->all_reduce(buffer, buffer, count, kNcclBfloat16, kNcclSum, comms_[static_cast<std::size_t>(rank)], stream);
  return res == 0 ? std::string() : std::string("ncclAllReduce failed: ") + api_->error_string(res);
}

void NcclClique::abort() {
  if (aborted_ || !api_) return;
  aborted_ = true;
  for (void* c : comms_)
    if (c) api_->comm_abort(c);
}

NcclClique::~NcclClique() {
  if (api_ && !aborted_)
    for (void* c : comms_)
      if (c) api_->comm_destroy(c);
  delete api_;
  if (lib_) dlclose(lib_);
}

}  // namespace dctwin::gpu
