// Process-wide state: the error slot, threads, seeds, grad mode, generators and devices.
#include "shim.h"

#include <dlfcn.h>

#include <ATen/Parallel.h>
#include <torch/csrc/api/include/torch/cuda.h>
#include <torch/csrc/api/include/torch/version.h>

namespace mrt {

thread_local std::string last_error;

void set_error(const char* message) { last_error = message == nullptr ? "" : message; }

at::ScalarType dtype(int code) {
  switch (code) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 11: case 15:
      return static_cast<at::ScalarType>(code);
    default:
      throw std::invalid_argument("unsupported dtype code " + std::to_string(code));
  }
}

at::Device device(int type, int index) {
  switch (type) {
    case 0: return at::Device(at::kCPU);
    case 1: {
      // Checked here so that a CPU-only libtorch says what is wrong instead of listing dispatch keys.
      auto count = static_cast<int>(torch::cuda::device_count());
      int i = index < 0 ? 0 : index;
      if (count == 0)
        throw std::invalid_argument("cuda:" + std::to_string(i) +
                                    " was requested but CUDA is not available (torch.cuda.is_available() is false: "
                                    "this libtorch has no CUDA support or no GPU is visible); use the CPU");
      if (i >= count)
        throw std::invalid_argument("cuda:" + std::to_string(i) + " was requested but only " + std::to_string(count) +
                                    " CUDA device(s) are visible");
      return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
    }
    default: throw std::invalid_argument("unsupported device type " + std::to_string(type));
  }
}

at::TensorOptions options(int dtype_code, int device_type, int device_index) {
  return at::TensorOptions().dtype(dtype(dtype_code)).device(device(device_type, device_index));
}

}  // namespace mrt

MRT_API const char* mrt_last_error() { return mrt::last_error.c_str(); }

MRT_API const char* mrt_version() { return TORCH_VERSION; }

MRT_API int mrt_set_num_threads(int n) {
  MRT_TRY
  at::set_num_threads(n);
  return 0;
  MRT_CATCH(-1)
}

// OpenBLAS (Debian's libopenblas0-pthread, which libtorch 1.13 calls for GEMMs) keeps a thread pool of its own,
// sized to the machine and blind to at::set_num_threads: a "1-thread" forward still runs its GEMMs on every core.
// Its size is process-wide. Looked up at run time: a libtorch on another BLAS (MKL in CUDA builds) has no such
// symbol; then nothing is done and 0 is returned.
MRT_API int mrt_set_blas_threads(int n) {
  using SetThreads = void (*)(int);
  static SetThreads set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  if (set == nullptr) return 0;
  set(n);
  return 1;
}

MRT_API int mrt_get_num_threads() { return at::get_num_threads(); }

MRT_API int mrt_manual_seed(uint64_t seed) {
  MRT_TRY
  at::manual_seed(seed);
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_cuda_is_available() { return torch::cuda::is_available() ? 1 : 0; }

MRT_API int mrt_cuda_device_count() { return static_cast<int>(torch::cuda::device_count()); }

MRT_API int mrt_cuda_synchronize(int index) {
  MRT_TRY
  torch::cuda::synchronize(index);
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_grad_set_enabled(int enabled) {
  bool previous = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(enabled != 0);
  return previous ? 1 : 0;
}

MRT_API int mrt_grad_is_enabled() { return c10::GradMode::is_enabled() ? 1 : 0; }

MRT_API void* mrt_generator_new(uint64_t seed) {
  MRT_TRY
  return new at::Generator(at::make_generator<at::CPUGeneratorImpl>(seed));
  MRT_CATCH(nullptr)
}

MRT_API void mrt_generator_free(void* generator) { delete static_cast<at::Generator*>(generator); }

MRT_API int mrt_generator_set_seed(void* generator, uint64_t seed) {
  MRT_TRY
  auto& g = *static_cast<at::Generator*>(generator);
  std::lock_guard<std::mutex> lock(g.mutex());
  g.set_current_seed(seed);
  return 0;
  MRT_CATCH(-1)
}
