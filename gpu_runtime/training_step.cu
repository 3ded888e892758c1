// gpu_runtime/training_step.cu — the training-step emulator (training_step.h) with CUDA and cuBLASLt.
//
// cuBLASLt is loaded at run time (dlopen "libcublasLt.so.<major>"): the toolkit here ships it only
// as a shared library (no static archive), and loading it on demand keeps every other dctwin
// command startable, and able to say what to install, on machines without it. Types and
// signatures come from the toolkit's cublasLt.h at build time.
#include "gpu_runtime/training_step.h"

#include "gpu_runtime/common/dl_symbol.h"
#include "gpu_runtime/common/lockstep.h"
#include "gpu_runtime/nccl_comm.h"

#include <cublasLt.h>
#include <cuda_bf16.h>
#include <cuda_runtime.h>
#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <limits>
#include <memory>
#include <cmath>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace dctwin::gpu {

namespace {

// ---- kernels ---------------------------------------------------------------------------------

__global__ void fill_kernel(__nv_bfloat16* p, std::size_t n, float scale, unsigned seed) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n; i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    unsigned h = static_cast<unsigned>(i) * 2654435761u ^ seed;
    h ^= h >> 13;
    h *= 0x5bd1e995u;
    p[i] = __float2bfloat16(scale * (static_cast<float>(h & 0xffff) / 32768.0f - 1.0f));
  }
}

// FP32 master weights = the (random) BF16 weights, so that AdamW's small updates keep the weight
// distribution, and with it the GEMMs' operand bit patterns, that of random weights.
__global__ void bf16_to_f32_kernel(const __nv_bfloat16* in, float* out, std::size_t n) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n; i += static_cast<std::size_t>(gridDim.x) * blockDim.x)
    out[i] = __bfloat162float(in[i]);
}

// Row-wise layer norm over `cols` (one block per row), FP32 statistics.
__global__ void layer_norm_kernel(const __nv_bfloat16* x, __nv_bfloat16* y, int cols) {
  __shared__ float s_sum[32], s_sq[32];
  const __nv_bfloat16* row = x + static_cast<std::size_t>(blockIdx.x) * cols;
  float sum = 0, sq = 0;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    const float v = __bfloat162float(row[c]);
    sum += v, sq += v * v;
  }
  for (int o = 16; o > 0; o >>= 1) sum += __shfl_xor_sync(0xffffffffu, sum, o), sq += __shfl_xor_sync(0xffffffffu, sq, o);
  if ((threadIdx.x & 31) == 0) s_sum[threadIdx.x >> 5] = sum, s_sq[threadIdx.x >> 5] = sq;
  __syncthreads();
  if (threadIdx.x < 32) {
    sum = threadIdx.x < blockDim.x / 32 ? s_sum[threadIdx.x] : 0.f;
    sq = threadIdx.x < blockDim.x / 32 ? s_sq[threadIdx.x] : 0.f;
    for (int o = 16; o > 0; o >>= 1) sum += __shfl_xor_sync(0xffffffffu, sum, o), sq += __shfl_xor_sync(0xffffffffu, sq, o);
    if (threadIdx.x == 0) s_sum[0] = sum, s_sq[0] = sq;
  }
  __syncthreads();
  const float mean = s_sum[0] / cols, var = fmaxf(s_sq[0] / cols - mean * mean, 0.f), inv = rsqrtf(var + 1e-5f);
  __nv_bfloat16* out = y + static_cast<std::size_t>(blockIdx.x) * cols;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) out[c] = __float2bfloat16((__bfloat162float(row[c]) - mean) * inv);
}

// Row-wise softmax over `cols` (one block per row).
__global__ void softmax_kernel(__nv_bfloat16* x, int cols, float scale) {
  __shared__ float s[32];
  __nv_bfloat16* row = x + static_cast<std::size_t>(blockIdx.x) * cols;
  float m = -INFINITY;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) m = fmaxf(m, scale * __bfloat162float(row[c]));
  for (int o = 16; o > 0; o >>= 1) m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, o));
  if ((threadIdx.x & 31) == 0) s[threadIdx.x >> 5] = m;
  __syncthreads();
  if (threadIdx.x < 32) {
    m = threadIdx.x < blockDim.x / 32 ? s[threadIdx.x] : -INFINITY;
    for (int o = 16; o > 0; o >>= 1) m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, o));
    if (threadIdx.x == 0) s[0] = m;
  }
  __syncthreads();
  m = s[0];
  __syncthreads();
  float sum = 0;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) sum += __expf(scale * __bfloat162float(row[c]) - m);
  for (int o = 16; o > 0; o >>= 1) sum += __shfl_xor_sync(0xffffffffu, sum, o);
  if ((threadIdx.x & 31) == 0) s[threadIdx.x >> 5] = sum;
  __syncthreads();
  if (threadIdx.x < 32) {
    sum = threadIdx.x < blockDim.x / 32 ? s[threadIdx.x] : 0.f;
    for (int o = 16; o > 0; o >>= 1) sum += __shfl_xor_sync(0xffffffffu, sum, o);
    if (threadIdx.x == 0) s[0] = sum;
  }
  __syncthreads();
  const float inv = 1.f / s[0];
  for (int c = threadIdx.x; c < cols; c += blockDim.x) row[c] = __float2bfloat16(__expf(scale * __bfloat162float(row[c]) - m) * inv);
}

// GELU (tanh form), in place.
__global__ void gelu_kernel(__nv_bfloat16* x, std::size_t n) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n; i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    const float v = __bfloat162float(x[i]);
    x[i] = __float2bfloat16(0.5f * v * (1.f + tanhf(0.7978845608f * (v + 0.044715f * v * v * v))));
  }
}

// AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019) over FP32 master
// weights with BF16 gradients in, BF16 weights out.
__global__ void adamw_kernel(float* master, float* m, float* v, const __nv_bfloat16* grad, __nv_bfloat16* w, std::size_t n,
                             float lr, float b1, float b2, float eps, float wd, float c1, float c2) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n; i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    const float g = __bfloat162float(grad[i]);
    const float mi = b1 * m[i] + (1.f - b1) * g, vi = b2 * v[i] + (1.f - b2) * g * g;
    m[i] = mi, v[i] = vi;
    float p = master[i];
    p -= lr * ((mi / c1) / (sqrtf(vi / c2) + eps) + wd * p);
    master[i] = p;
    w[i] = __float2bfloat16(p);
  }
}

// ---- cuBLASLt, loaded at run time ------------------------------------------------------------

struct Lt {
  void* lib = nullptr;
  decltype(&cublasLtCreate) create = nullptr;
  decltype(&cublasLtDestroy) destroy = nullptr;
  decltype(&cublasLtMatmulDescCreate) desc_create = nullptr;
  decltype(&cublasLtMatmulDescDestroy) desc_destroy = nullptr;
  decltype(&cublasLtMatmulDescSetAttribute) desc_set = nullptr;
  decltype(&cublasLtMatrixLayoutCreate) layout_create = nullptr;
  decltype(&cublasLtMatrixLayoutDestroy) layout_destroy = nullptr;
  decltype(&cublasLtMatrixLayoutSetAttribute) layout_set = nullptr;
  decltype(&cublasLtMatmulPreferenceCreate) pref_create = nullptr;
  decltype(&cublasLtMatmulPreferenceDestroy) pref_destroy = nullptr;
  decltype(&cublasLtMatmulPreferenceSetAttribute) pref_set = nullptr;
  decltype(&cublasLtMatmulAlgoGetHeuristic) heuristic = nullptr;
  decltype(&cublasLtMatmul) matmul = nullptr;
  cublasLtHandle_t handle = nullptr;

  std::string load() {
    const std::string name = "libcublasLt.so." + std::to_string(CUBLAS_VER_MAJOR);
    lib = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) lib = dlopen(("/usr/local/cuda/lib64/" + name).c_str(), RTLD_NOW | RTLD_LOCAL);  // the toolkit's default place, when not on the loader's path
    if (!lib) lib = dlopen("libcublasLt.so", RTLD_NOW | RTLD_LOCAL);
    if (!lib)
      return "cannot load cuBLASLt (" + name + "): install the CUDA Toolkit's cuBLAS (e.g. /usr/local/cuda/lib64 on LD_LIBRARY_PATH)";
    bool ok = true;
    auto sym = [&](auto& fn, const char* s) { ok = dl_symbol(lib, fn, s) && ok; };
    sym(create, "cublasLtCreate");
    sym(destroy, "cublasLtDestroy");
    sym(desc_create, "cublasLtMatmulDescCreate");
    sym(desc_destroy, "cublasLtMatmulDescDestroy");
    sym(desc_set, "cublasLtMatmulDescSetAttribute");
    sym(layout_create, "cublasLtMatrixLayoutCreate");
    sym(layout_destroy, "cublasLtMatrixLayoutDestroy");
    sym(layout_set, "cublasLtMatrixLayoutSetAttribute");
    sym(pref_create, "cublasLtMatmulPreferenceCreate");
    sym(pref_destroy, "cublasLtMatmulPreferenceDestroy");
    sym(pref_set, "cublasLtMatmulPreferenceSetAttribute");
    sym(heuristic, "cublasLtMatmulAlgoGetHeuristic");
    sym(matmul, "cublasLtMatmul");
    if (!ok) return name + " lacks a cublasLt function dctwin uses: install a matching CUDA Toolkit";
    if (create(&handle) != CUBLAS_STATUS_SUCCESS) return "cublasLtCreate failed";
    return "";
  }
  ~Lt() {
    if (handle && destroy) destroy(handle);
    if (lib) dlclose(lib);
  }
};

// One GEMM shape (column-major D[m x n] = A[m x k] * B[k x n], optionally batched), BF16 in/out,
// FP32 accumulation, with the algorithm cuBLASLt's heuristic ranks first.
struct Gemm {
  int m = 0, n = 0, k = 0, batch = 1;
  cublasLtMatmulDesc_t desc = nullptr;
  cublasLtMatrixLayout_t a = nullptr, b = nullptr, d = nullptr;
  cublasLtMatmulAlgo_t algo{};
  double flops() const { return 2.0 * m * n * static_cast<double>(k) * batch; }
};

// `align`: the alignment (bytes, a power of two <= 256) every A, B, C and D pointer passed with this
// shape has. The heuristic otherwise assumes 256 (cublasLt.h, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_*_BYTES,
// "default: 256") and may pick an algorithm that cannot run on less aligned pointers.
std::string make_gemm(Lt& lt, Gemm& g, std::uint64_t workspace, std::uint32_t align) {
  const std::string shape = std::to_string(g.m) + "x" + std::to_string(g.n) + "x" + std::to_string(g.k) +
                            (g.batch > 1 ? " (batch " + std::to_string(g.batch) + ")" : "");
  bool ok = lt.desc_create(&g.desc, CUBLAS_COMPUTE_32F, CUDA_R_32F) == CUBLAS_STATUS_SUCCESS;
  ok = ok && lt.layout_create(&g.a, CUDA_R_16BF, g.m, g.k, g.m) == CUBLAS_STATUS_SUCCESS;
  ok = ok && lt.layout_create(&g.b, CUDA_R_16BF, g.k, g.n, g.k) == CUBLAS_STATUS_SUCCESS;
  ok = ok && lt.layout_create(&g.d, CUDA_R_16BF, g.m, g.n, g.m) == CUBLAS_STATUS_SUCCESS;
  if (ok && g.batch > 1) {
    const std::int64_t sa = static_cast<std::int64_t>(g.m) * g.k, sb = static_cast<std::int64_t>(g.k) * g.n, sd = static_cast<std::int64_t>(g.m) * g.n;
    for (auto [l, s] : {std::pair{g.a, sa}, std::pair{g.b, sb}, std::pair{g.d, sd}}) {
      ok = ok && lt.layout_set(l, CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, &g.batch, sizeof g.batch) == CUBLAS_STATUS_SUCCESS;
      ok = ok && lt.layout_set(l, CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET, &s, sizeof s) == CUBLAS_STATUS_SUCCESS;
    }
  }
  if (!ok) return "cannot describe the cuBLASLt GEMM " + shape;
  cublasLtMatmulPreference_t pref = nullptr;
  if (lt.pref_create(&pref) != CUBLAS_STATUS_SUCCESS) return "cublasLtMatmulPreferenceCreate failed";
  ok = lt.pref_set(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace, sizeof workspace) == CUBLAS_STATUS_SUCCESS;
  for (auto attr : {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES,
                    CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES})
    ok = ok && lt.pref_set(pref, attr, &align, sizeof align) == CUBLAS_STATUS_SUCCESS;
  cublasLtMatmulHeuristicResult_t res{};
  int found = 0;
  const cublasStatus_t st = ok ? lt.heuristic(lt.handle, g.desc, g.a, g.b, g.d, g.d, pref, 1, &res, &found) : CUBLAS_STATUS_INVALID_VALUE;
  lt.pref_destroy(pref);
  if (st != CUBLAS_STATUS_SUCCESS || found == 0 || res.state != CUBLAS_STATUS_SUCCESS) return "cuBLASLt found no BF16 GEMM algorithm for " + shape;
  g.algo = res.algo;
  return "";
}

struct Buffers {
  std::vector<void*> ptrs;
  ~Buffers() {
    for (void* p : ptrs) cudaFree(p);
  }
  template <class T>
  T* alloc(std::size_t n, std::string& err) {
    void* p = nullptr;
    const cudaError_t e = cudaMalloc(&p, std::max<std::size_t>(n, 1) * sizeof(T));
    if (e != cudaSuccess) {
      err = "cannot allocate " + std::to_string(n * sizeof(T) >> 20) + " MiB on the GPU (" + cudaGetErrorString(e) +
            "): reduce hidden, ffn, layers or micro_batch in the configuration";
      return nullptr;
    }
    ptrs.push_back(p);
    return static_cast<T*>(p);
  }
};

// Wait after the set-up's GEMM benchmark before the first ("idle") marker, s: a numerical choice,
// several times the fall time constants calibrate fits (tens to hundreds of ms on synthetic traces).
constexpr double kSettleS = 2.0;

struct DeviceOut {
  std::string name;
  double gemm_tflops = 0, compute_flops = 0, compute_s = 0, flops_per_step = 0;
};

// The GEMM shapes of one layer's forward and backward pass (column-major m x n x k: weights m x k,
// activations k x n, n = tokens). Destroys their cuBLASLt descriptors, which must go before the
// cuBLASLt handle (Lt, a member declared before this one in DeviceRun, is destroyed later).
struct StepGemms {
  explicit StepGemms(Lt& l) : lt(l) {}
  Lt& lt;
  Gemm qkv, o, up, down, wq, wo, wup, wdown, dq, dup, ddown, s, pv, sd;
  std::array<Gemm*, 14> all() {
    return {&qkv, &o, &up, &down, &wq, &wo, &wup, &wdown, &dq, &dup, &ddown, &s, &pv, &sd};
  }
  ~StepGemms() {
    for (Gemm* g : all()) {
      for (cublasLtMatrixLayout_t l : {g->a, g->b, g->d})
        if (l) lt.layout_destroy(l);
      if (g->desc) lt.desc_destroy(g->desc);
    }
  }
};

// One GPU's host thread (a lockstep worker, gpu_runtime/common/lockstep.h): set-up, GEMM benchmark,
// then the steps in lockstep with the other GPUs (run_device, below, calls the steps in order).
// Every failure goes through fail(), that is w.fail(), which leaves the gate so that the others
// never wait for this GPU there.
class DeviceRun {
 public:
  DeviceRun(LockstepWorker& worker, int device, const TrainingStepConfig& cfg, const std::string& comm_mode,
            NcclClique& clique, DeviceOut& result)
      : w(worker), dev(device), c(cfg), mode(comm_mode), nccl(clique), out(result), rank(worker.rank()),
        h(cfg.hidden), f(cfg.ffn), H(cfg.heads), S(cfg.seq_len), dh(h / H), T(static_cast<std::size_t>(cfg.micro_batch) * S),
        BH(cfg.micro_batch * H), per_layer(4ull * h * h + 2ull * h * f), P(per_layer * cfg.layers) {}

  bool set_up();      // the device, cuBLASLt, a stream, the buffers and their first values
  bool make_gemms();  // the GEMM descriptors and cuBLASLt's algorithm for each
  bool benchmark();   // a warm-up micro-batch, then the sustained GEMM benchmark (out.gemm_tflops)
  void steps();       // the training steps, in lockstep, until the gate ends them

 private:
  bool fail(const std::string& what) {
    w.fail("GPU " + std::to_string(dev) + ": " + what);
    return false;
  }
  double gemm(const Gemm& gm, const void* A, const void* B, void* D);
  double micro_batch();
  bool sync();
  bool communicate();
  bool optimizer(long step);

  LockstepWorker& w;
  const int dev;
  const TrainingStepConfig& c;
  const std::string& mode;
  NcclClique& nccl;
  DeviceOut& out;
  const int rank;
  const int h, f, H, S, dh;  // hidden, FFN width, heads, sequence length, head dimension
  const std::size_t T;       // tokens per micro-batch
  const int BH;              // attention batch: micro-batch x heads
  const std::size_t per_layer, P;  // parameters per layer, in all
  static constexpr std::size_t ws_bytes = 64u << 20;

  // Declared in the order of set-up; destroyed in reverse: GEMM descriptors, buffers, the stream,
  // then the cuBLASLt handle.
  cudaDeviceProp prop{};
  Lt lt;
  struct StreamGuard {
    cudaStream_t s = nullptr;
    ~StreamGuard() {
      if (s) cudaStreamDestroy(s);
    }
  } sg;
  cudaStream_t stream = nullptr;
  Buffers buf;
  __nv_bfloat16 *w_bf16 = nullptr, *grad = nullptr, *x = nullptr, *xn = nullptr, *qkv = nullptr, *scores = nullptr,
                *ctx = nullptr, *up = nullptr, *comm_dst = nullptr;
  float *master = nullptr, *m1 = nullptr, *m2 = nullptr;
  std::uint8_t* ws = nullptr;
  StepGemms g{lt};
  cublasStatus_t gemm_status = CUBLAS_STATUS_SUCCESS;  // the first failed cublasLtMatmul, reported at the next sync
  int elem_blocks = 0;
};

bool DeviceRun::set_up() {
  cudaError_t e = cudaSuccess;
  if ((e = cudaSetDevice(dev)) != cudaSuccess || (e = cudaGetDeviceProperties(&prop, dev)) != cudaSuccess)
    return fail("cannot use CUDA device " + std::to_string(dev) + " (" + cudaGetErrorName(e) + ": " + cudaGetErrorString(e) + ")");
  out.name = prop.name;
  if (std::string le = lt.load(); !le.empty()) return fail(le);
  if ((e = cudaStreamCreate(&stream)) != cudaSuccess)
    return fail(std::string("cannot create a CUDA stream (") + cudaGetErrorName(e) + ": " + cudaGetErrorString(e) + ")");
  sg.s = stream;

  std::string err;
  w_bf16 = buf.alloc<__nv_bfloat16>(P, err);
  grad = buf.alloc<__nv_bfloat16>(P, err);
  master = buf.alloc<float>(P, err);
  m1 = buf.alloc<float>(P, err);
  m2 = buf.alloc<float>(P, err);
  x = buf.alloc<__nv_bfloat16>(T * h, err);
  xn = buf.alloc<__nv_bfloat16>(T * h, err);
  qkv = buf.alloc<__nv_bfloat16>(T * 3 * h, err);
  scores = buf.alloc<__nv_bfloat16>(static_cast<std::size_t>(BH) * S * S, err);
  ctx = buf.alloc<__nv_bfloat16>(T * h, err);
  up = buf.alloc<__nv_bfloat16>(T * f, err);
  comm_dst = buf.alloc<__nv_bfloat16>(P, err);
  ws = buf.alloc<std::uint8_t>(ws_bytes, err);
  if (!err.empty()) return fail(err);
  fill_kernel<<<1024, 256, 0, stream>>>(w_bf16, P, 0.02f, 1);
  fill_kernel<<<1024, 256, 0, stream>>>(grad, P, 1e-3f, 2);
  fill_kernel<<<1024, 256, 0, stream>>>(x, T * h, 1.0f, 3);
  bf16_to_f32_kernel<<<1024, 256, 0, stream>>>(w_bf16, master, P);
  cudaMemsetAsync(m1, 0, P * sizeof(float), stream);
  cudaMemsetAsync(m2, 0, P * sizeof(float), stream);
  elem_blocks = prop.multiProcessorCount * 8;
  return true;
}

bool DeviceRun::make_gemms() {
  const int n = static_cast<int>(T);
  g.qkv = {3 * h, n, h};
  g.o = {h, n, h};
  g.up = {f, n, h};
  g.down = {h, n, f};
  g.wq = {3 * h, h, n};
  g.wo = {h, h, n};
  g.wup = {f, h, n};
  g.wdown = {h, f, n};
  g.dq = {h, n, 3 * h};
  g.dup = {h, n, f};
  g.ddown = {f, n, h};
  g.s = {S, S, dh, BH};
  g.pv = {dh, S, S, BH};
  g.sd = {S, dh, S, BH};
  // Every pointer a GEMM gets is a cudaMalloc base (256-byte aligned) plus element offsets of these
  // kinds (layer, weight-matrix and Q/K/V offsets, strided-batch offsets); their common power-of-two
  // alignment, at most 256 bytes, is what the heuristic may assume (256 for the default configuration).
  std::uint32_t align = 256;
  for (const std::uint64_t off : {2ull * h, 2ull * per_layer, 6ull * h * h, 8ull * h * h, 2ull * h * f, 2ull * S * dh, 2ull * S * S})
    while (off % align != 0) align /= 2;
  for (Gemm* gm : g.all())
    if (std::string ge = make_gemm(lt, *gm, ws_bytes, align); !ge.empty()) return fail(ge);
  return true;
}

// Issues one GEMM on the stream; returns its FLOPs.
double DeviceRun::gemm(const Gemm& gm, const void* A, const void* B, void* D) {
  static const float one = 1.f, zero = 0.f;
  const cublasStatus_t st = lt.matmul(lt.handle, gm.desc, &one, A, gm.a, B, gm.b, &zero, D, gm.d, D, gm.d, &gm.algo, ws, ws_bytes, stream);
  if (gemm_status == CUBLAS_STATUS_SUCCESS) gemm_status = st;
  return gm.flops();
}

// One micro-batch, forward and backward, over every layer. Returns the GEMM FLOPs issued.
double DeviceRun::micro_batch() {
  const int ln_threads = 256, sm_threads = 256;
  double fl = 0;
  for (int l = 0; l < c.layers; ++l) {
    __nv_bfloat16* wl = w_bf16 + per_layer * l;
    __nv_bfloat16* gl = grad + per_layer * l;
    __nv_bfloat16 *Wqkv = wl, *Wo = wl + 3ull * h * h, *W1 = wl + 4ull * h * h, *W2 = W1 + static_cast<std::size_t>(h) * f;
    __nv_bfloat16 *Gqkv = gl, *Go = gl + 3ull * h * h, *G1 = gl + 4ull * h * h, *G2 = G1 + static_cast<std::size_t>(h) * f;
    // forward
    layer_norm_kernel<<<static_cast<unsigned>(T), ln_threads, 0, stream>>>(x, xn, h);
    fl += gemm(g.qkv, Wqkv, xn, qkv);
    fl += gemm(g.s, qkv, qkv + static_cast<std::size_t>(h), scores);
    softmax_kernel<<<static_cast<unsigned>(static_cast<std::size_t>(BH) * S), sm_threads, 0, stream>>>(scores, S, 1.f / std::sqrt(static_cast<float>(dh)));
    fl += gemm(g.pv, qkv + 2ull * h, scores, ctx);
    fl += gemm(g.o, Wo, ctx, x);
    layer_norm_kernel<<<static_cast<unsigned>(T), ln_threads, 0, stream>>>(x, xn, h);
    fl += gemm(g.up, W1, xn, up);
    gelu_kernel<<<elem_blocks, 256, 0, stream>>>(up, T * f);
    fl += gemm(g.down, W2, up, x);
    // backward: data and weight gradients of each GEMM, attention backward, element-wise backward
    fl += gemm(g.ddown, W2, x, up);
    fl += gemm(g.wdown, x, up, G2);
    gelu_kernel<<<elem_blocks, 256, 0, stream>>>(up, T * f);
    fl += gemm(g.dup, W1, up, xn);
    fl += gemm(g.wup, up, xn, G1);
    layer_norm_kernel<<<static_cast<unsigned>(T), ln_threads, 0, stream>>>(xn, x, h);
    fl += gemm(g.o, Wo, x, ctx);
    fl += gemm(g.wo, x, ctx, Go);
    fl += gemm(g.sd, scores, ctx, qkv);          // dV = P^T dO (shape-equivalent)
    fl += gemm(g.s, ctx, qkv, scores);           // dP = dO V^T
    softmax_kernel<<<static_cast<unsigned>(static_cast<std::size_t>(BH) * S), sm_threads, 0, stream>>>(scores, S, 1.f);
    fl += gemm(g.sd, scores, qkv, ctx);          // dQ = dS K
    fl += gemm(g.sd, scores, qkv + static_cast<std::size_t>(h), ctx);  // dK = dS^T Q
    fl += gemm(g.dq, Wqkv, qkv, xn);
    fl += gemm(g.wq, qkv, xn, Gqkv);
    layer_norm_kernel<<<static_cast<unsigned>(T), ln_threads, 0, stream>>>(xn, x, h);
  }
  return fl;
}

// Waits for the stream. Also reports kernel launch errors (cudaGetLastError: a bad launch
// configuration is not returned by cudaStreamSynchronize) and failed cublasLtMatmul calls.
bool DeviceRun::sync() {
  cudaError_t se = cudaStreamSynchronize(stream);
  if (se == cudaSuccess) se = cudaGetLastError();
  if (se != cudaSuccess)
    return fail(std::string("CUDA error during the training step: ") + cudaGetErrorName(se) + ": " + cudaGetErrorString(se));
  if (gemm_status != CUBLAS_STATUS_SUCCESS)
    return fail("cublasLtMatmul failed (cublasStatus_t " + std::to_string(static_cast<int>(gemm_status)) + ")");
  w.beat();
  return true;
}

// Warm-up and the GEMM benchmark (FFN-up shape), timed with CUDA events.
bool DeviceRun::benchmark() {
  micro_batch();
  if (!sync()) return false;
  cudaError_t e = cudaSuccess;
  cudaEvent_t e0 = nullptr, e1 = nullptr;
  struct EventGuard {
    cudaEvent_t& a;
    cudaEvent_t& b;
    ~EventGuard() {
      if (a) cudaEventDestroy(a);
      if (b) cudaEventDestroy(b);
    }
  } event_guard{e0, e1};
  if ((e = cudaEventCreate(&e0)) != cudaSuccess || (e = cudaEventCreate(&e1)) != cudaSuccess)
    return fail(std::string("cannot create CUDA events (") + cudaGetErrorName(e) + ")");
  // Sustained, not burst: batches of 50 GEMMs back to back until at least 1 s of GPU time, so that
  // the clocks have settled under the power limit (a few ms of GEMMs would run at boost clocks).
  for (int i = 0; i < 10; ++i) gemm(g.up, w_bf16, xn, up);  // warm-up
  double bench_flops = 0, bench_ms = 0;
  for (int batch = 0; batch < 200 && bench_ms < 1000.0; ++batch) {
    cudaEventRecord(e0, stream);
    for (int i = 0; i < 50; ++i) bench_flops += gemm(g.up, w_bf16, xn, up);
    cudaEventRecord(e1, stream);
    if (!sync()) return false;
    float ms = 0;
    if ((e = cudaEventElapsedTime(&ms, e0, e1)) != cudaSuccess || !(ms > 0))
      return fail(std::string("cannot time the GEMM benchmark (") + cudaGetErrorName(e) + ")");
    bench_ms += ms;
  }
  out.gemm_tflops = bench_flops / (bench_ms * 1e-3) / 1e12;
  return true;
}

// The communication phase of a step, by mode: NCCL all-reduce, paced device-to-device traffic, or
// an idle wait.
bool DeviceRun::communicate() {
  const double tm = w.seconds();
  if (mode == "nccl") {
    // Data-parallel gradient all-reduce: in place, BF16, sum, across the clique's GPUs.
    if (std::string ne = nccl.all_reduce_bf16(rank, grad, P, stream); !ne.empty()) return fail(ne);
    if (!sync()) return false;
  } else if (mode == "traffic") {
    const std::size_t chunk = std::min<std::size_t>(P, 32u << 20);  // elements
    std::size_t off = 0;
    double bytes = 0;
    while (w.seconds() - tm < c.comm_s) {
      const std::size_t n = std::min(chunk, P - off);
      cudaMemcpyAsync(comm_dst + off, grad + off, n * sizeof(__nv_bfloat16), cudaMemcpyDeviceToDevice, stream);
      if (!sync()) return false;
      bytes += 2.0 * n * sizeof(__nv_bfloat16);  // bytes read + written
      off = off + n >= P ? 0 : off + n;
      const double due = bytes / (c.comm_bandwidth_gbs * 1e9);  // pace to the configured bandwidth
      const double ahead = due - (w.seconds() - tm);
      if (ahead > 0) std::this_thread::sleep_for(std::chrono::duration<double>(std::min(ahead, c.comm_s)));
    }
  } else {
    std::this_thread::sleep_for(std::chrono::duration<double>(c.comm_s));
  }
  return true;
}

// The optimizer phase of a step: AdamW over every parameter, optimizer_repeats times.
bool DeviceRun::optimizer(long step) {
  for (int k = 0; k < c.optimizer_repeats; ++k) {
    const float t1 = static_cast<float>(step * c.optimizer_repeats + k + 1);
    adamw_kernel<<<elem_blocks, 256, 0, stream>>>(master, m1, m2, grad, w_bf16, P, 1e-4f, 0.9f, 0.95f, 1e-8f, 0.1f,
                                                 1.f - std::pow(0.9f, t1), 1.f - std::pow(0.95f, t1));
  }
  return sync();
}

void DeviceRun::steps() {
  long step = 0;
  while (w.next_step(step)) {  // the gate marks "compute"
    const double tc = w.seconds();
    double fl = 0;
    for (int a = 0; a < c.grad_accum; ++a) {
      fl += micro_batch();
      if (!sync()) return;
    }
    out.compute_s += w.seconds() - tc;
    out.compute_flops += fl;
    out.flops_per_step = fl;
    if (rank == 0) w.mark("communication", step);
    if (!communicate()) return;
    if (rank == 0) w.mark("optimizer", step);
    if (!optimizer(step)) return;
  }
}

void run_device(LockstepWorker& w, int dev, const TrainingStepConfig& c, const std::string& mode, NcclClique& nccl, DeviceOut& out) {
  DeviceRun run(w, dev, c, mode, nccl, out);
  if (!run.set_up() || !run.make_gemms() || !run.benchmark()) return;
  // The benchmark ran at full power: let the power fall back before the lead idle's marker, since
  // calibrate fits only samples after the first marker and models the trace as starting at rest.
  std::this_thread::sleep_for(std::chrono::duration<double>(kSettleS));
  if (!w.ready()) return;
  run.steps();
}

EmulatorResult run_impl(const TrainingStepConfig& c, double duration_s, SteadyClock::time_point origin) {
  EmulatorResult r;
  const std::vector<int> devices = device_list(c);
  const int n = static_cast<int>(devices.size());
  r.devices = devices;
  r.comm_mode = effective_comm_mode(c);
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess || count == 0) {
    cudaGetLastError();
    r.error = std::string("no usable NVIDIA GPU (") + cudaGetErrorName(e) + ": " + cudaGetErrorString(e) +
              "): install the NVIDIA driver and check `nvidia-smi` lists a GPU";
    return r;
  }
  for (const int d : devices)
    if (d >= count) {
      r.error = "CUDA device " + std::to_string(d) + " does not exist (" + std::to_string(count) + " visible)";
      return r;
    }
  NcclClique nccl;
  if (r.comm_mode == "nccl") {
    if (std::string ne = nccl.init(devices); !ne.empty()) {
      r.error = ne;
      return r;
    }
    r.nccl_version = nccl.version();
  }

  std::vector<DeviceOut> outs(static_cast<std::size_t>(n));
  LockstepTiming timing;
  timing.origin = origin;
  timing.duration_s = duration_s;
  timing.lead_idle_s = c.lead_idle_s;
  timing.tail_idle_s = c.tail_idle_s;
  // Only an NCCL collective makes one GPU wait for another outside the gate: if one fails mid-step,
  // the others would wait in the all-reduce for ever; no GPU progressing for 120 s aborts the clique.
  timing.stall_s = r.comm_mode == "nccl" ? 120 : 0;
  const LockstepResult run = run_lockstep(
      n, timing,
      [&](LockstepWorker& w) {
        const auto i = static_cast<std::size_t>(w.rank());
        run_device(w, devices[i], c, r.comm_mode, nccl, outs[i]);
      },
      [&nccl] { nccl.abort(); });
  if (!run.ok) {
    r.error = run.error;
    return r;
  }
  r.markers = run.markers;
  r.steps = static_cast<int>(run.steps);
  r.mean_step_s = run.mean_step_s;
  r.device_name = outs[0].name + (n > 1 ? " x" + std::to_string(n) : "");
  r.gemm_tflops = r.compute_tflops = std::numeric_limits<double>::infinity();
  for (const auto& o : outs) {
    r.gemm_tflops_per_gpu.push_back(o.gemm_tflops);
    r.gemm_tflops = std::min(r.gemm_tflops, o.gemm_tflops);
    r.compute_tflops = std::min(r.compute_tflops, o.compute_s > 0 ? o.compute_flops / o.compute_s / 1e12 : 0.0);
  }
  r.flops_per_step = outs[0].flops_per_step;
  r.ok = true;
  return r;
}

}  // namespace

EmulatorResult run_training_emulator(const TrainingStepConfig& cfg, double duration_s, SteadyClock::time_point origin) {
  try {
    return run_impl(cfg, duration_s, origin);
  } catch (const std::exception& ex) {
    EmulatorResult r;
    r.error = std::string("training-step emulator failed: ") + ex.what();
    return r;
  }
}

}  // namespace dctwin::gpu
