// Reference loops for bench/MetaRL.Bench.Torch: the same libtorch calls the binding makes, issued
// from C++, so the benchmark can print the binding's overhead as a ratio measured in one run.
#include "shim.h"

#include <chrono>

using mrt::T;

namespace {
double now_ns() {
  return static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count());
}
}  // namespace

// Nanoseconds per at::add(a, b) (result dropped), over `iterations` calls.
MRT_API double mrt_bench_add_loop(void* a, void* b, int64_t iterations) {
  MRT_TRY
  const auto& x = T(a);
  const auto& y = T(b);
  double start = now_ns();
  for (int64_t i = 0; i < iterations; ++i) {
    auto r = at::add(x, y);
  }
  return (now_ns() - start) / static_cast<double>(iterations);
  MRT_CATCH(-1)
}

// Nanoseconds per at::gru_cell(x, h, ...) (what nn.GRU.step calls), over `iterations` calls.
MRT_API double mrt_bench_gru_cell_loop(void* x, void* h, void* w_ih, void* w_hh, void* b_ih, void* b_hh,
                                       int64_t iterations) {
  MRT_TRY
  at::NoGradGuard no_grad;
  double start = now_ns();
  for (int64_t i = 0; i < iterations; ++i) {
    auto r = at::gru_cell(T(x), T(h), T(w_ih), T(w_hh), mrt::opt(b_ih), mrt::opt(b_hh));
  }
  return (now_ns() - start) / static_cast<double>(iterations);
  MRT_CATCH(-1)
}

// Nanoseconds per at::gru over a whole sequence (what nn.GRU.forward calls), over `iterations` calls.
MRT_API double mrt_bench_gru_loop(void* input, void* hx, void* const* params, int n_params, int64_t num_layers,
                                  int batch_first, int64_t iterations) {
  MRT_TRY
  at::NoGradGuard no_grad;
  auto ps = mrt::list(params, n_params);
  double start = now_ns();
  for (int64_t i = 0; i < iterations; ++i) {
    auto r = at::gru(T(input), T(hx), ps, true, num_layers, 0.0, false, false, batch_first != 0);
  }
  return (now_ns() - start) / static_cast<double>(iterations);
  MRT_CATCH(-1)
}
