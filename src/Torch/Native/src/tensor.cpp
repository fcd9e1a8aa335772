// Tensor lifetime, creation and the read-out of shapes and data.
#include "shim.h"

#include <cstring>

using mrt::T;
using mrt::wrap;

MRT_API void mrt_tensor_free(void* t) { delete static_cast<at::Tensor*>(t); }

// A second handle to the same tensor (shares storage and autograd identity).
MRT_API void* mrt_tensor_alias(void* t) {
  MRT_TRY
  return wrap(T(t));
  MRT_CATCH(nullptr)
}

MRT_API int mrt_tensor_ndim(void* t) { return static_cast<int>(T(t).dim()); }

MRT_API void mrt_tensor_shape(void* t, int64_t* out) {
  auto sizes = T(t).sizes();
  for (size_t i = 0; i < sizes.size(); ++i) out[i] = sizes[i];
}

MRT_API void mrt_tensor_strides(void* t, int64_t* out) {
  auto strides = T(t).strides();
  for (size_t i = 0; i < strides.size(); ++i) out[i] = strides[i];
}

MRT_API int64_t mrt_tensor_numel(void* t) { return T(t).numel(); }

MRT_API int mrt_tensor_dtype(void* t) { return static_cast<int>(T(t).scalar_type()); }

MRT_API int mrt_tensor_device_type(void* t) { return static_cast<int>(T(t).device().type()); }

MRT_API int mrt_tensor_device_index(void* t) { return static_cast<int>(T(t).device().index()); }

MRT_API int mrt_tensor_requires_grad(void* t) { return T(t).requires_grad() ? 1 : 0; }

MRT_API int mrt_tensor_is_leaf(void* t) { return T(t).is_leaf() ? 1 : 0; }

MRT_API int mrt_tensor_is_contiguous(void* t) { return T(t).is_contiguous() ? 1 : 0; }

MRT_API void* mrt_tensor_empty(const int64_t* shape, int ndim, int dtype, int dev, int index, int requires_grad) {
  MRT_TRY
  auto t = at::empty(mrt::dims(shape, ndim), mrt::options(dtype, dev, index));
  if (requires_grad) t.requires_grad_(true);
  return wrap(t);
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_zeros(const int64_t* shape, int ndim, int dtype, int dev, int index, int requires_grad) {
  MRT_TRY
  auto t = at::zeros(mrt::dims(shape, ndim), mrt::options(dtype, dev, index));
  if (requires_grad) t.requires_grad_(true);
  return wrap(t);
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_ones(const int64_t* shape, int ndim, int dtype, int dev, int index, int requires_grad) {
  MRT_TRY
  auto t = at::ones(mrt::dims(shape, ndim), mrt::options(dtype, dev, index));
  if (requires_grad) t.requires_grad_(true);
  return wrap(t);
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_full(const int64_t* shape, int ndim, double value, int is_int, int dtype, int dev, int index,
                              int requires_grad) {
  MRT_TRY
  auto t = at::full(mrt::dims(shape, ndim), mrt::scalar(value, is_int), mrt::options(dtype, dev, index));
  if (requires_grad) t.requires_grad_(true);
  return wrap(t);
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_arange(double start, double end, double step, int dtype, int dev, int index) {
  MRT_TRY
  return wrap(at::arange(start, end, step, mrt::options(dtype, dev, index)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_linspace(double start, double end, int64_t steps, int dtype, int dev, int index) {
  MRT_TRY
  return wrap(at::linspace(start, end, steps, mrt::options(dtype, dev, index)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_eye(int64_t n, int dtype, int dev, int index) {
  MRT_TRY
  return wrap(at::eye(n, mrt::options(dtype, dev, index)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_rand(const int64_t* shape, int ndim, int dtype, int dev, int index, void* gen) {
  MRT_TRY
  return wrap(at::rand(mrt::dims(shape, ndim), mrt::generator(gen), mrt::options(dtype, dev, index)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_randn(const int64_t* shape, int ndim, int dtype, int dev, int index, void* gen) {
  MRT_TRY
  return wrap(at::randn(mrt::dims(shape, ndim), mrt::generator(gen), mrt::options(dtype, dev, index)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_randint(int64_t low, int64_t high, const int64_t* shape, int ndim, int dtype, int dev,
                                 int index, void* gen) {
  MRT_TRY
  return wrap(at::randint(low, high, mrt::dims(shape, ndim), mrt::generator(gen), mrt::options(dtype, dev, index)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_randperm(int64_t n, int dtype, int dev, int index, void* gen) {
  MRT_TRY
  return wrap(at::randperm(n, mrt::generator(gen), mrt::options(dtype, dev, index)));
  MRT_CATCH(nullptr)
}

// Copies `data` (numel elements of dtype, row-major) into a new tensor.
MRT_API void* mrt_tensor_from_data(const void* data, const int64_t* shape, int ndim, int dtype, int dev, int index,
                                   int requires_grad) {
  MRT_TRY
  auto src = at::from_blob(const_cast<void*>(data), mrt::dims(shape, ndim), at::TensorOptions().dtype(mrt::dtype(dtype)));
  auto t = src.to(mrt::device(dev, index), /*non_blocking=*/false, /*copy=*/true);
  if (requires_grad) t.requires_grad_(true);
  return wrap(t);
  MRT_CATCH(nullptr)
}

// Zero-copy: the tensor reads and writes `data` in place. `release(context)` runs when the last
// tensor that shares the storage is freed, so the caller can unpin its buffer then.
MRT_API void* mrt_tensor_from_blob(void* data, const int64_t* shape, int ndim, int dtype, void (*release)(void*),
                                   void* context) {
  MRT_TRY
  auto deleter = [release, context](void*) {
    if (release != nullptr) release(context);
  };
  return wrap(at::from_blob(data, mrt::dims(shape, ndim), deleter, at::TensorOptions().dtype(mrt::dtype(dtype))));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_scalar(double value, int is_int, int dtype, int dev, int index) {
  MRT_TRY
  return wrap(at::scalar_tensor(mrt::scalar(value, is_int), mrt::options(dtype, dev, index)));
  MRT_CATCH(nullptr)
}

// Copies the elements out, row-major, as the tensor's own dtype; nbytes must match exactly.
MRT_API int mrt_tensor_copy_to(void* t, void* dst, int64_t nbytes) {
  MRT_TRY
  at::NoGradGuard no_grad;
  auto& src = T(t);
  int64_t need = src.numel() * static_cast<int64_t>(src.element_size());
  if (need != nbytes)
    throw std::invalid_argument("copy_to: the tensor holds " + std::to_string(need) + " bytes, the buffer " +
                                std::to_string(nbytes));
  auto cpu = src.device().is_cpu() ? src.contiguous() : src.to(at::kCPU).contiguous();
  if (nbytes > 0) std::memcpy(dst, cpu.data_ptr(), static_cast<size_t>(nbytes));
  return 0;
  MRT_CATCH(-1)
}

// Overwrites the elements in place from a row-major buffer of the tensor's dtype.
MRT_API int mrt_tensor_copy_from(void* t, const void* src, int64_t nbytes) {
  MRT_TRY
  at::NoGradGuard no_grad;
  auto& dst = T(t);
  int64_t need = dst.numel() * static_cast<int64_t>(dst.element_size());
  if (need != nbytes)
    throw std::invalid_argument("copy_from: the tensor holds " + std::to_string(need) + " bytes, the buffer " +
                                std::to_string(nbytes));
  auto view = at::from_blob(const_cast<void*>(src), dst.sizes(), at::TensorOptions().dtype(dst.scalar_type()));
  dst.copy_(view);
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_item(void* t, double* out) {
  MRT_TRY
  *out = T(t).item<double>();
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_item_long(void* t, int64_t* out) {
  MRT_TRY
  *out = T(t).item<int64_t>();
  return 0;
  MRT_CATCH(-1)
}

// The address of the first element of a contiguous CPU tensor, or null.
MRT_API void* mrt_tensor_data_ptr(void* t) {
  MRT_TRY
  auto& x = T(t);
  if (!x.device().is_cpu() || !x.is_contiguous())
    throw std::invalid_argument("data_ptr needs a contiguous CPU tensor");
  return x.data_ptr();
  MRT_CATCH(nullptr)
}
