// Views, indexing, joining and conversions.
#include "shim.h"

using mrt::T;
using mrt::wrap;

MRT_API void* mrt_tensor_view(void* a, const int64_t* shape, int n) {
  MRT_TRY
  return wrap(T(a).view(mrt::dims(shape, n)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_reshape(void* a, const int64_t* shape, int n) {
  MRT_TRY
  return wrap(at::reshape(T(a), mrt::dims(shape, n)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_expand(void* a, const int64_t* shape, int n) {
  MRT_TRY
  return wrap(T(a).expand(mrt::dims(shape, n)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_repeat(void* a, const int64_t* repeats, int n) {
  MRT_TRY
  return wrap(T(a).repeat(mrt::dims(repeats, n)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_permute(void* a, const int64_t* order, int n) {
  MRT_TRY
  return wrap(T(a).permute(mrt::dims(order, n)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_flip(void* a, const int64_t* d, int n) {
  MRT_TRY
  return wrap(at::flip(T(a), mrt::dims(d, n)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_transpose(void* a, int64_t d0, int64_t d1) {
  MRT_TRY
  return wrap(at::transpose(T(a), d0, d1));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_squeeze(void* a) {
  MRT_TRY
  return wrap(at::squeeze(T(a)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_squeeze_dim(void* a, int64_t dim) {
  MRT_TRY
  return wrap(at::squeeze(T(a), dim));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_unsqueeze(void* a, int64_t dim) {
  MRT_TRY
  return wrap(at::unsqueeze(T(a), dim));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_flatten(void* a, int64_t start, int64_t end) {
  MRT_TRY
  return wrap(at::flatten(T(a), start, end));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_contiguous(void* a) {
  MRT_TRY
  return wrap(T(a).contiguous());
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_clone(void* a) {
  MRT_TRY
  return wrap(T(a).clone());
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_detach(void* a) {
  MRT_TRY
  return wrap(T(a).detach());
  MRT_CATCH(nullptr)
}

// end == INT64_MAX means "to the end", as an omitted bound does in Python.
MRT_API void* mrt_tensor_slice(void* a, int64_t dim, int64_t start, int64_t end, int64_t step) {
  MRT_TRY
  return wrap(T(a).slice(dim, start, end, step));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_narrow(void* a, int64_t dim, int64_t start, int64_t length) {
  MRT_TRY
  return wrap(T(a).narrow(dim, start, length));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_select(void* a, int64_t dim, int64_t index) {
  MRT_TRY
  return wrap(T(a).select(dim, index));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_index_select(void* a, int64_t dim, void* index) {
  MRT_TRY
  return wrap(at::index_select(T(a), dim, T(index)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_gather(void* a, int64_t dim, void* index) {
  MRT_TRY
  return wrap(at::gather(T(a), dim, T(index)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_scatter(void* a, int64_t dim, void* index, void* src) {
  MRT_TRY
  return wrap(at::scatter(T(a), dim, T(index), T(src)));
  MRT_CATCH(nullptr)
}

MRT_API int mrt_tensor_scatter_(void* a, int64_t dim, void* index, void* src) {
  MRT_TRY
  T(a).scatter_(dim, T(index), T(src));
  return 0;
  MRT_CATCH(-1)
}

MRT_API void* mrt_tensor_scatter_add(void* a, int64_t dim, void* index, void* src) {
  MRT_TRY
  return wrap(at::scatter_add(T(a), dim, T(index), T(src)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_masked_select(void* a, void* mask) {
  MRT_TRY
  return wrap(at::masked_select(T(a), T(mask)));
  MRT_CATCH(nullptr)
}

// a[index] with one index tensor on dim 0 (long or bool), as in Python.
MRT_API void* mrt_tensor_index(void* a, void* index) {
  MRT_TRY
  c10::List<c10::optional<at::Tensor>> indices;
  indices.push_back(c10::optional<at::Tensor>(T(index)));
  return wrap(at::index(T(a), indices));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_cat(void* const* tensors, int n, int64_t dim) {
  MRT_TRY
  return wrap(at::cat(mrt::list(tensors, n), dim));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_stack(void* const* tensors, int n, int64_t dim) {
  MRT_TRY
  return wrap(at::stack(mrt::list(tensors, n), dim));
  MRT_CATCH(nullptr)
}

// Writes up to `capacity` handles to `out` and returns how many pieces there are.
MRT_API int mrt_tensor_chunk(void* a, int64_t chunks, int64_t dim, void** out, int capacity) {
  MRT_TRY
  auto parts = at::chunk(T(a), chunks, dim);
  int n = static_cast<int>(parts.size());
  for (int i = 0; i < n && i < capacity; ++i) out[i] = wrap(parts[static_cast<size_t>(i)]);
  return n;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_split(void* a, const int64_t* sizes, int n, int64_t dim, void** out) {
  MRT_TRY
  auto parts = at::split_with_sizes(T(a), mrt::dims(sizes, n), dim);
  for (size_t i = 0; i < parts.size(); ++i) out[i] = wrap(parts[i]);
  return static_cast<int>(parts.size());
  MRT_CATCH(-1)
}

MRT_API void* mrt_tensor_tril(void* a, int64_t k) {
  MRT_TRY
  return wrap(at::tril(T(a), k));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_triu(void* a, int64_t k) {
  MRT_TRY
  return wrap(at::triu(T(a), k));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_one_hot(void* a, int64_t classes) {
  MRT_TRY
  return wrap(at::one_hot(T(a), classes));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_to_dtype(void* a, int dtype) {
  MRT_TRY
  return wrap(T(a).to(mrt::dtype(dtype)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_to_device(void* a, int dev, int index, int non_blocking) {
  MRT_TRY
  return wrap(T(a).to(mrt::device(dev, index), non_blocking != 0));
  MRT_CATCH(nullptr)
}

// Re-points `a` at `src`'s data (module.to(device) keeps the same parameter handles).
MRT_API int mrt_tensor_set_data(void* a, void* src) {
  MRT_TRY
  T(a).set_data(T(src));
  return 0;
  MRT_CATCH(-1)
}

// A view with explicit sizes, strides (in elements) and storage offset: how a checkpoint's tensors
// are rebuilt over their storage.
MRT_API void* mrt_tensor_as_strided(void* a, const int64_t* size, const int64_t* stride, int n, int64_t offset) {
  MRT_TRY
  return wrap(at::as_strided(T(a), mrt::dims(size, n), mrt::dims(stride, n), offset));
  MRT_CATCH(nullptr)
}
