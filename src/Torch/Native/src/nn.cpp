// Neural-network functions: libtorch's own kernels for embeddings, normalisation, dropout and the
// recurrent layers, so that modules written in C# run as fast as libtorch's C++ modules.
#include "shim.h"

#include <torch/csrc/api/include/torch/nn/init.h>

#include <cmath>
#include <limits>

using mrt::T;
using mrt::wrap;

MRT_API void* mrt_nn_embedding(void* weight, void* indices) {
  MRT_TRY
  return wrap(at::embedding(T(weight), T(indices)));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_nn_layer_norm(void* x, const int64_t* shape, int n, void* weight, void* bias, double eps) {
  MRT_TRY
  return wrap(at::layer_norm(T(x), mrt::dims(shape, n), mrt::opt(weight), mrt::opt(bias), eps));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_nn_dropout(void* x, double p, int train) {
  MRT_TRY
  return wrap(at::dropout(T(x), p, train != 0));
  MRT_CATCH(nullptr)
}

MRT_API void* mrt_nn_mse_loss(void* a, void* b) {
  MRT_TRY
  return wrap(at::mse_loss(T(a), T(b)));
  MRT_CATCH(nullptr)
}

// Multi-layer GRU over a whole sequence. params: per layer (and direction) w_ih, w_hh[, b_ih, b_hh].
MRT_API int mrt_nn_gru(void* input, void* hx, void* const* params, int n_params, int has_biases, int64_t num_layers,
                       double dropout, int train, int bidirectional, int batch_first, void** output, void** h_n) {
  MRT_TRY
  auto r = at::gru(T(input), T(hx), mrt::list(params, n_params), has_biases != 0, num_layers, dropout, train != 0,
                   bidirectional != 0, batch_first != 0);
  *output = wrap(std::get<0>(r));
  *h_n = wrap(std::get<1>(r));
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_nn_lstm(void* input, void* h0, void* c0, void* const* params, int n_params, int has_biases,
                        int64_t num_layers, double dropout, int train, int bidirectional, int batch_first,
                        void** output, void** h_n, void** c_n) {
  MRT_TRY
  std::vector<at::Tensor> hx{T(h0), T(c0)};
  auto r = at::lstm(T(input), hx, mrt::list(params, n_params), has_biases != 0, num_layers, dropout, train != 0,
                    bidirectional != 0, batch_first != 0);
  *output = wrap(std::get<0>(r));
  *h_n = wrap(std::get<1>(r));
  *c_n = wrap(std::get<2>(r));
  return 0;
  MRT_CATCH(-1)
}

MRT_API void* mrt_nn_gru_cell(void* x, void* h, void* w_ih, void* w_hh, void* b_ih, void* b_hh) {
  MRT_TRY
  return wrap(at::gru_cell(T(x), T(h), T(w_ih), T(w_hh), mrt::opt(b_ih), mrt::opt(b_hh)));
  MRT_CATCH(nullptr)
}

MRT_API int mrt_nn_lstm_cell(void* x, void* h, void* c, void* w_ih, void* w_hh, void* b_ih, void* b_hh, void** h_out,
                             void** c_out) {
  MRT_TRY
  std::vector<at::Tensor> hx{T(h), T(c)};
  auto r = at::lstm_cell(T(x), hx, T(w_ih), T(w_hh), mrt::opt(b_ih), mrt::opt(b_hh));
  *h_out = wrap(std::get<0>(r));
  *c_out = wrap(std::get<1>(r));
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_nn_init_orthogonal_(void* t, double gain, void* gen) {
  MRT_TRY
  at::NoGradGuard no_grad;
  auto& w = T(t);
  if (gen == nullptr) {
    torch::nn::init::orthogonal_(w, gain);
    return 0;
  }
  // The same construction as torch.nn.init.orthogonal_, drawing from the given generator.
  if (w.dim() < 2) throw std::invalid_argument("orthogonal_ needs a tensor with at least 2 dimensions");
  int64_t rows = w.size(0);
  int64_t cols = w.numel() / rows;
  auto flat = at::empty({rows, cols}, w.options()).normal_(0, 1, mrt::generator(gen));
  if (rows < cols) flat.t_();
  auto qr = at::linalg_qr(flat);
  auto q = std::get<0>(qr);
  auto r = std::get<1>(qr);
  q = q * at::sign(at::diagonal(r, 0));
  if (rows < cols) q.t_();
  w.view_as(q).copy_(q);
  w.mul_(gain);
  return 0;
  MRT_CATCH(-1)
}

// Scales the gradients of `params` in place so that their joint norm is at most max_norm, like
// torch.nn.utils.clip_grad_norm_. *total_norm receives the norm before clipping.
MRT_API int mrt_nn_clip_grad_norm_(void* const* params, int n, double max_norm, double norm_type,
                                   double* total_norm) {
  MRT_TRY
  at::NoGradGuard no_grad;
  std::vector<at::Tensor> grads;
  for (int i = 0; i < n; ++i) {
    const auto& g = T(params[i]).grad();
    if (g.defined()) grads.push_back(g);
  }
  if (grads.empty()) {
    *total_norm = 0;
    return 0;
  }
  at::Tensor total;
  if (std::isinf(norm_type)) {
    std::vector<at::Tensor> maxes;
    for (auto& g : grads) maxes.push_back(g.abs().max());
    total = at::stack(maxes).max();
  } else {
    std::vector<at::Tensor> norms;
    for (auto& g : grads) norms.push_back(at::norm(g, norm_type));
    total = at::norm(at::stack(norms), norm_type);
  }
  auto coef = at::clamp(max_norm / (total + 1e-6), c10::nullopt, 1.0);
  for (auto& g : grads) g.mul_(coef.to(g.device()));
  *total_norm = total.item<double>();
  return 0;
  MRT_CATCH(-1)
}
