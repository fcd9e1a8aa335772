// Element-wise arithmetic, comparisons, activations, matrix products and reductions.
#include "shim.h"

using mrt::T;
using mrt::wrap;

#define MRT_UNARY(name, expr)          \
  MRT_API void* mrt_##name(void* a) {  \
    MRT_TRY                            \
    const at::Tensor& x = T(a);        \
    return wrap(expr);                 \
    MRT_CATCH(nullptr)                 \
  }

#define MRT_BINARY(name, expr)                   \
  MRT_API void* mrt_##name(void* a, void* b) {   \
    MRT_TRY                                      \
    const at::Tensor& x = T(a);                  \
    const at::Tensor& y = T(b);                  \
    return wrap(expr);                           \
    MRT_CATCH(nullptr)                           \
  }

#define MRT_SCALAR(name, expr)                                      \
  MRT_API void* mrt_##name(void* a, double value, int is_int) {     \
    MRT_TRY                                                         \
    const at::Tensor& x = T(a);                                     \
    at::Scalar s = mrt::scalar(value, is_int);                      \
    return wrap(expr);                                              \
    MRT_CATCH(nullptr)                                              \
  }

MRT_UNARY(tensor_neg, at::neg(x))
MRT_UNARY(tensor_abs, at::abs(x))
MRT_UNARY(tensor_exp, at::exp(x))
MRT_UNARY(tensor_log, at::log(x))
MRT_UNARY(tensor_log1p, at::log1p(x))
MRT_UNARY(tensor_expm1, at::expm1(x))
MRT_UNARY(tensor_sqrt, at::sqrt(x))
MRT_UNARY(tensor_rsqrt, at::rsqrt(x))
MRT_UNARY(tensor_square, at::mul(x, x))
MRT_UNARY(tensor_reciprocal, at::reciprocal(x))
MRT_UNARY(tensor_sin, at::sin(x))
MRT_UNARY(tensor_cos, at::cos(x))
MRT_UNARY(tensor_erf, at::erf(x))
MRT_UNARY(tensor_sign, at::sign(x))
MRT_UNARY(tensor_floor, at::floor(x))
MRT_UNARY(tensor_ceil, at::ceil(x))
MRT_UNARY(tensor_round, at::round(x))
MRT_UNARY(tensor_logical_not, at::logical_not(x))
MRT_UNARY(tensor_isnan, at::isnan(x))
MRT_UNARY(tensor_isfinite, at::isfinite(x))
MRT_UNARY(tensor_relu, at::relu(x))
MRT_UNARY(tensor_tanh, at::tanh(x))
MRT_UNARY(tensor_sigmoid, at::sigmoid(x))
MRT_UNARY(tensor_gelu, at::gelu(x))
MRT_UNARY(tensor_silu, at::silu(x))
MRT_UNARY(tensor_softplus, at::softplus(x))
MRT_UNARY(tensor_elu, at::elu(x))

MRT_API void* mrt_tensor_leaky_relu(void* a, double slope) {
  MRT_TRY
  return wrap(at::leaky_relu(T(a), slope));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_add(void* a, void* b, double alpha) {
  MRT_TRY
  return wrap(at::add(T(a), T(b), alpha));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_sub(void* a, void* b, double alpha) {
  MRT_TRY
  return wrap(at::sub(T(a), T(b), alpha));
  MRT_CATCH(nullptr)
}

MRT_BINARY(tensor_mul, at::mul(x, y))
MRT_BINARY(tensor_div, at::div(x, y))
MRT_BINARY(tensor_pow, at::pow(x, y))
MRT_BINARY(tensor_remainder, at::remainder(x, y))
MRT_BINARY(tensor_maximum, at::maximum(x, y))
MRT_BINARY(tensor_minimum, at::minimum(x, y))
MRT_BINARY(tensor_atan2, at::atan2(x, y))
MRT_BINARY(tensor_eq, at::eq(x, y))
MRT_BINARY(tensor_ne, at::ne(x, y))
MRT_BINARY(tensor_lt, at::lt(x, y))
MRT_BINARY(tensor_le, at::le(x, y))
MRT_BINARY(tensor_gt, at::gt(x, y))
MRT_BINARY(tensor_ge, at::ge(x, y))
MRT_BINARY(tensor_logical_and, at::logical_and(x, y))
MRT_BINARY(tensor_logical_or, at::logical_or(x, y))
MRT_BINARY(tensor_logical_xor, at::logical_xor(x, y))
MRT_BINARY(tensor_matmul, at::matmul(x, y))
MRT_BINARY(tensor_mm, at::mm(x, y))
MRT_BINARY(tensor_bmm, at::bmm(x, y))
MRT_BINARY(tensor_outer, at::outer(x, y))

MRT_SCALAR(tensor_add_scalar, at::add(x, s))
MRT_SCALAR(tensor_sub_scalar, at::sub(x, s))
MRT_SCALAR(tensor_rsub_scalar, at::rsub(x, s))
MRT_SCALAR(tensor_mul_scalar, at::mul(x, s))
MRT_SCALAR(tensor_div_scalar, at::div(x, s))
MRT_SCALAR(tensor_rdiv_scalar, at::mul(at::reciprocal(x), s))
MRT_SCALAR(tensor_pow_scalar, at::pow(x, s))
MRT_SCALAR(tensor_rpow_scalar, at::pow(s, x))
MRT_SCALAR(tensor_remainder_scalar, at::remainder(x, s))
MRT_SCALAR(tensor_eq_scalar, at::eq(x, s))
MRT_SCALAR(tensor_ne_scalar, at::ne(x, s))
MRT_SCALAR(tensor_lt_scalar, at::lt(x, s))
MRT_SCALAR(tensor_le_scalar, at::le(x, s))
MRT_SCALAR(tensor_gt_scalar, at::gt(x, s))
MRT_SCALAR(tensor_ge_scalar, at::ge(x, s))
MRT_SCALAR(tensor_fill_like, at::full_like(x, s))

MRT_API void* mrt_tensor_where(void* cond, void* a, void* b) {
  MRT_TRY
  return wrap(at::where(T(cond), T(a), T(b)));
  MRT_CATCH(nullptr)
}

// Either bound may be absent; a missing bound is passed as has_min/has_max = 0.
MRT_API void* mrt_tensor_clamp(void* a, double min, int has_min, double max, int has_max) {
  MRT_TRY
  c10::optional<at::Scalar> lo = has_min ? c10::optional<at::Scalar>(min) : c10::nullopt;
  c10::optional<at::Scalar> hi = has_max ? c10::optional<at::Scalar>(max) : c10::nullopt;
  return wrap(at::clamp(T(a), lo, hi));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_clamp_tensor(void* a, void* min, void* max) {
  MRT_TRY
  return wrap(at::clamp(T(a), mrt::opt(min), mrt::opt(max)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_masked_fill(void* a, void* mask, double value, int is_int) {
  MRT_TRY
  return wrap(at::masked_fill(T(a), T(mask), mrt::scalar(value, is_int)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_lerp(void* a, void* b, double weight) {
  MRT_TRY
  return wrap(at::lerp(T(a), T(b), weight));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_linear(void* x, void* weight, void* bias) {
  MRT_TRY
  return wrap(at::linear(T(x), T(weight), mrt::opt(bias)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_softmax(void* a, int64_t dim) {
  MRT_TRY
  return wrap(at::softmax(T(a), dim));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_log_softmax(void* a, int64_t dim) {
  MRT_TRY
  return wrap(at::log_softmax(T(a), dim));
  MRT_CATCH(nullptr)
}

// ---- reductions: ndim < 0 means over all elements ----

MRT_API void* mrt_tensor_sum(void* a, const int64_t* d, int nd, int keepdim) {
  MRT_TRY
  if (nd < 0) return wrap(at::sum(T(a)));
  return wrap(at::sum(T(a), mrt::dims(d, nd), keepdim != 0));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_mean(void* a, const int64_t* d, int nd, int keepdim) {
  MRT_TRY
  if (nd < 0) return wrap(at::mean(T(a)));
  return wrap(at::mean(T(a), mrt::dims(d, nd), keepdim != 0));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_prod(void* a, int64_t dim, int all, int keepdim) {
  MRT_TRY
  if (all) return wrap(at::prod(T(a)));
  return wrap(at::prod(T(a), dim, keepdim != 0));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_logsumexp(void* a, const int64_t* d, int nd, int keepdim) {
  MRT_TRY
  return wrap(at::logsumexp(T(a), mrt::dims(d, nd), keepdim != 0));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_var(void* a, const int64_t* d, int nd, int unbiased, int keepdim) {
  MRT_TRY
  if (nd < 0) return wrap(at::var(T(a), unbiased != 0));
  return wrap(at::var(T(a), mrt::dims(d, nd), unbiased != 0, keepdim != 0));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_std(void* a, const int64_t* d, int nd, int unbiased, int keepdim) {
  MRT_TRY
  if (nd < 0) return wrap(at::std(T(a), unbiased != 0));
  return wrap(at::std(T(a), mrt::dims(d, nd), unbiased != 0, keepdim != 0));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_norm(void* a, double p, const int64_t* d, int nd, int keepdim) {
  MRT_TRY
  if (nd < 0) return wrap(at::norm(T(a), p));
  return wrap(at::norm(T(a), p, mrt::dims(d, nd), keepdim != 0));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_max_all(void* a) {
  MRT_TRY
  return wrap(at::max(T(a)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_min_all(void* a) {
  MRT_TRY
  return wrap(at::min(T(a)));
  MRT_CATCH(nullptr)
}

MRT_API int mrt_tensor_max_dim(void* a, int64_t dim, int keepdim, void** values, void** indices) {
  MRT_TRY
  auto r = at::max(T(a), dim, keepdim != 0);
  *values = wrap(std::get<0>(r));
  *indices = wrap(std::get<1>(r));
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_min_dim(void* a, int64_t dim, int keepdim, void** values, void** indices) {
  MRT_TRY
  auto r = at::min(T(a), dim, keepdim != 0);
  *values = wrap(std::get<0>(r));
  *indices = wrap(std::get<1>(r));
  return 0;
  MRT_CATCH(-1)
}

MRT_API void* mrt_tensor_argmax(void* a, int64_t dim, int all, int keepdim) {
  MRT_TRY
  if (all) return wrap(at::argmax(T(a)));
  return wrap(at::argmax(T(a), dim, keepdim != 0));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_argmin(void* a, int64_t dim, int all, int keepdim) {
  MRT_TRY
  if (all) return wrap(at::argmin(T(a)));
  return wrap(at::argmin(T(a), dim, keepdim != 0));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_cumsum(void* a, int64_t dim) {
  MRT_TRY
  return wrap(at::cumsum(T(a), dim));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_all(void* a) {
  MRT_TRY
  return wrap(at::all(T(a)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_any(void* a) {
  MRT_TRY
  return wrap(at::any(T(a)));
  MRT_CATCH(nullptr)
}

MRT_API int mrt_tensor_allclose(void* a, void* b, double rtol, double atol) {
  MRT_TRY
  return at::allclose(T(a), T(b), rtol, atol) ? 1 : 0;
  MRT_CATCH(-1)
}

// ---- in place (autograd records them like PyTorch does) ----

MRT_API int mrt_tensor_add_(void* a, void* b, double alpha) {
  MRT_TRY
  T(a).add_(T(b), alpha);
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_mul_(void* a, void* b) {
  MRT_TRY
  T(a).mul_(T(b));
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_add_scalar_(void* a, double value, int is_int) {
  MRT_TRY
  T(a).add_(mrt::scalar(value, is_int));
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_mul_scalar_(void* a, double value, int is_int) {
  MRT_TRY
  T(a).mul_(mrt::scalar(value, is_int));
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_copy_(void* dst, void* src) {
  MRT_TRY
  T(dst).copy_(T(src));
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_zero_(void* a) {
  MRT_TRY
  T(a).zero_();
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_fill_(void* a, double value, int is_int) {
  MRT_TRY
  T(a).fill_(mrt::scalar(value, is_int));
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_clamp_(void* a, double min, int has_min, double max, int has_max) {
  MRT_TRY
  c10::optional<at::Scalar> lo = has_min ? c10::optional<at::Scalar>(min) : c10::nullopt;
  c10::optional<at::Scalar> hi = has_max ? c10::optional<at::Scalar>(max) : c10::nullopt;
  T(a).clamp_(lo, hi);
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_uniform_(void* a, double from, double to, void* gen) {
  MRT_TRY
  T(a).uniform_(from, to, mrt::generator(gen));
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_normal_(void* a, double mean, double std, void* gen) {
  MRT_TRY
  T(a).normal_(mean, std, mrt::generator(gen));
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_bernoulli_(void* a, double p, void* gen) {
  MRT_TRY
  T(a).bernoulli_(p, mrt::generator(gen));
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_masked_fill_(void* a, void* mask, double value, int is_int) {
  MRT_TRY
  T(a).masked_fill_(T(mask), mrt::scalar(value, is_int));
  return 0;
  MRT_CATCH(-1)
}

MRT_API void* mrt_tensor_multinomial(void* probs, int64_t n, int replacement, void* gen) {
  MRT_TRY
  return wrap(at::multinomial(T(probs), n, replacement != 0, mrt::generator(gen)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_tensor_normal(void* mean, void* std, void* gen) {
  MRT_TRY
  return wrap(at::normal(T(mean), T(std), mrt::generator(gen)));
  MRT_CATCH(nullptr)
}
