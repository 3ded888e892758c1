// gpu_runtime/nccl_comm.h — NCCL, loaded at run time with dlopen("libnccl.so.2"), for the
// training-step emulator's communication phase across the local GPUs: one communicator per GPU
// from ncclCommInitAll (a single-process clique), used by one host thread per GPU, and an in-place
// all-reduce (sum) of the BF16 gradients, as data-parallel training does after the backward pass.
//
// No NCCL header is needed to build: the few functions and enum values used are declared in
// nccl_comm.cu from the NCCL API reference (and checked against <nccl.h> where it is installed).
// Without libnccl.so.2 the loader says what to install; the emulator then cannot use
// comm_mode "nccl" but the other modes work.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <cuda_runtime.h>

namespace dctwin::gpu {

class NcclClique {
 public:
  NcclClique() = default;
  ~NcclClique();
  NcclClique(const NcclClique&) = delete;
  NcclClique& operator=(const NcclClique&) = delete;

  /// dlopen + ncclCommInitAll over `devices` (CUDA indices, rank = position). Returns "" or one line
  /// naming the cause and what to install or check.
  std::string init(const std::vector<int>& devices);
  /// NCCL's version as "2.28.9" (after init).
  const std::string& version() const { return version_; }
  /// Enqueues an in-place sum all-reduce of `count` BF16 values on `rank`'s stream. "" or the error.
  std::string all_reduce_bf16(int rank, void* buffer, std::size_t count, cudaStream_t stream);
  /// Aborts every communicator: operations blocked in the clique return (a watchdog's last resort).
  /// Safe to call from another thread while ranks wait in a collective.
  void abort();

  struct Api;

 private:
  void* lib_ = nullptr;
  Api* api_ = nullptr;
  std::vector<void*> comms_;
  std::string version_;
  bool aborted_ = false;
};

}  // namespace dctwin::gpu
