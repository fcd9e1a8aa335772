// Shared by every translation unit of the shim: the libtorch headers, the error slot and the
// handle conversions. Only APIs that exist unchanged in libtorch 1.13 and 2.x are used.
#pragma once

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include <cstdint>
#include <string>
#include <vector>

#define MRT_API extern "C" __attribute__((visibility("default")))

namespace mrt {

// The message of the last failure on this thread; C# reads it right after a call returns an error.
void set_error(const char* message);

inline at::Tensor& T(void* handle) {
  if (handle == nullptr) throw std::invalid_argument("null tensor handle");
  return *static_cast<at::Tensor*>(handle);
}

inline c10::optional<at::Tensor> opt(void* handle) {
  if (handle == nullptr) return c10::nullopt;
  return *static_cast<at::Tensor*>(handle);
}

// Undefined tensors never cross the boundary: they become null handles.
inline void* wrap(at::Tensor t) {
  if (!t.defined()) return nullptr;
  return new at::Tensor(std::move(t));
}

inline at::IntArrayRef dims(const int64_t* values, int n) {
  return at::IntArrayRef(values, static_cast<size_t>(n));
}

inline std::vector<at::Tensor> list(void* const* handles, int n) {
  std::vector<at::Tensor> v;
  v.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v.push_back(T(handles[i]));
  return v;
}

at::ScalarType dtype(int code);
at::Device device(int type, int index);
at::TensorOptions options(int dtype_code, int device_type, int device_index);

inline at::Scalar scalar(double value, int is_integer) {
  if (is_integer) return at::Scalar(static_cast<int64_t>(value));
  return at::Scalar(value);
}

inline c10::optional<at::Generator> generator(void* handle) {
  if (handle == nullptr) return c10::nullopt;
  return *static_cast<at::Generator*>(handle);
}

}  // namespace mrt

// Every entry point catches everything: a libtorch failure becomes an error return and a message,
// never a crash of the .NET process.
#define MRT_TRY try {
#define MRT_CATCH(failure)                                        \
  }                                                               \
  catch (const c10::Error& e) {                                   \
    mrt::set_error(e.what_without_backtrace());                   \
  }                                                               \
  catch (const std::exception& e) {                               \
    mrt::set_error(e.what());                                     \
  }                                                               \
  catch (...) {                                                   \
    mrt::set_error("unknown native error");                       \
  }                                                               \
  return failure;
