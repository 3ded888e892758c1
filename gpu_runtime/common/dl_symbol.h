// gpu_runtime/common/dl_symbol.h — one typed dlsym for the libraries gpu_runtime loads at run time
// (NVML, cuBLASLt, NCCL): the function pointer gets the symbol's address, or nullptr.
#pragma once

#include <dlfcn.h>

#include <type_traits>

namespace dctwin::gpu {

/// Sets `fn` to `name` in `lib` (a dlopen handle); true when found.
template <class Fn>
bool dl_symbol(void* lib, Fn& fn, const char* name) {
  static_assert(std::is_pointer_v<Fn>, "a function pointer");
  fn = reinterpret_cast<Fn>(dlsym(lib, name));
  return fn != nullptr;
}

}  // namespace dctwin::gpu
