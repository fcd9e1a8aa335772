// A one-layer GRU over a whole sequence on the CPU in float32, with a backward written by hand: what PPO's
// whole-trial forward runs on the RL² GRU. at::gru_cell in a loop (what the per-step path does) records about
// fifteen autograd nodes a step, and its backward computes the weights' gradient with two small products a
// step. Here each step is one product and one pass over the gates, forward and backward, and the weights'
// gradients are one large product each over all the steps, after the loop (the arrangement of cuDNN's RNN).
// The math is at::gru_cell's (PyTorch's GRU, gates in the order r, z, n):
//   r = σ(W_ir x + b_ir + W_hr h + b_hr)    z = σ(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))    h' = (1 − z) ⊙ n + z ⊙ h
#include "shim.h"

#include <torch/csrc/autograd/custom_function.h>

using mrt::T;
using mrt::wrap;

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

struct GruSequence : public torch::autograd::Function<GruSequence> {
  // x [T, B, I], h0 [B, H] (or [1, B, H]), w_ih [3H, I], w_hh [3H, H], b_ih and b_hh [3H] → every step's h [T, B, H].
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x_in, const at::Tensor& h0, const at::Tensor& w_ih,
                            const at::Tensor& w_hh, const at::Tensor& b_ih, const at::Tensor& b_hh) {
    auto x = x_in.contiguous();
    const int64_t steps = x.size(0), batch = x.size(1), hidden = w_hh.size(1), g3 = 3 * hidden;
    // Every step's input part of the gates in one product.
    auto gi = at::addmm(b_ih, x.view({steps * batch, x.size(2)}), w_ih.t()).view({steps, batch, g3});
    auto out = at::empty({steps, batch, hidden}, x.options());
    auto gates = at::empty({steps, batch, g3}, x.options());  // r, z, n of each step, for the backward
    auto hn = at::empty({steps, batch, hidden}, x.options());  // W_hn h + b_hn of each step, likewise
    auto gh = at::empty({batch, g3}, x.options());
    auto h = h0.reshape({batch, hidden}).contiguous();
    for (int64_t t = 0; t < steps; ++t) {
      at::addmm_out(gh, b_hh, h, w_hh.t());
      const float* pi = gi.data_ptr<float>() + t * batch * g3;
      const float* ph = gh.data_ptr<float>();
      const float* prev = h.data_ptr<float>();
      auto step = gates[t];
      float* pg = step.data_ptr<float>();
      float* pn = hn.data_ptr<float>() + t * batch * hidden;
      float* po = out.data_ptr<float>() + t * batch * hidden;
      // The gates' pre-activations in plain loops, their sigmoid and tanh by libtorch's vectorised kernels
      // (a scalar std::exp a gate made this slower than the loop of gru_cells it replaces).
      for (int64_t b = 0; b < batch; ++b)
        for (int64_t j = 0; j < 2 * hidden; ++j) pg[b * g3 + j] = pi[b * g3 + j] + ph[b * g3 + j];
      step.narrow(1, 0, 2 * hidden).sigmoid_();
      for (int64_t b = 0; b < batch; ++b)
        for (int64_t j = 0; j < hidden; ++j) {
          float g = ph[b * g3 + 2 * hidden + j];
          pn[b * hidden + j] = g;
          pg[b * g3 + 2 * hidden + j] = pi[b * g3 + 2 * hidden + j] + pg[b * g3 + j] * g;
        }
      step.narrow(1, 2 * hidden, hidden).tanh_();
      for (int64_t b = 0; b < batch; ++b)
        for (int64_t j = 0; j < hidden; ++j) {
          float z = pg[b * g3 + hidden + j], n = pg[b * g3 + 2 * hidden + j];
          po[b * hidden + j] = n + z * (prev[b * hidden + j] - n);
        }
      h = out[t];
    }
    ctx->save_for_backward({x, h0, w_ih, w_hh, out, gates, hn});
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    auto saved = ctx->get_saved_variables();
    const auto &x = saved[0], &h0 = saved[1], &w_ih = saved[2], &w_hh = saved[3], &out = saved[4], &gates = saved[5], &hn = saved[6];
    const int64_t steps = x.size(0), batch = x.size(1), hidden = w_hh.size(1), g3 = 3 * hidden;
    auto dout = grad_outputs[0].defined() ? grad_outputs[0].contiguous() : at::zeros_like(out);
    auto dgi = at::empty({steps, batch, g3}, x.options());
    auto dgh = at::empty({steps, batch, g3}, x.options());
    auto dh = at::zeros({batch, hidden}, x.options());  // the gradient reaching h_t from the steps after t
    auto direct = at::empty({batch, hidden}, x.options());
    auto h0flat = h0.reshape({batch, hidden}).contiguous();
    for (int64_t t = steps - 1; t >= 0; --t) {
      const float* prev = t == 0 ? h0flat.data_ptr<float>() : out.data_ptr<float>() + (t - 1) * batch * hidden;
      const float* pd = dout.data_ptr<float>() + t * batch * hidden;
      const float* pg = gates.data_ptr<float>() + t * batch * g3;
      const float* pn = hn.data_ptr<float>() + t * batch * hidden;
      const float* later = dh.data_ptr<float>();
      float* di = dgi.data_ptr<float>() + t * batch * g3;
      float* dg = dgh.data_ptr<float>() + t * batch * g3;
      float* pdir = direct.data_ptr<float>();
      for (int64_t b = 0; b < batch; ++b) {
        const float* s = pg + b * g3;
        for (int64_t j = 0; j < hidden; ++j) {
          const int64_t k = b * hidden + j;
          float d = pd[k] + later[k];
          float r = s[j], z = s[hidden + j], n = s[2 * hidden + j];
          float dan = d * (1.f - z) * (1.f - n * n);
          float dar = dan * pn[k] * r * (1.f - r);
          float daz = d * (prev[k] - n) * z * (1.f - z);
          di[b * g3 + j] = dar;
          di[b * g3 + hidden + j] = daz;
          di[b * g3 + 2 * hidden + j] = dan;
          dg[b * g3 + j] = dar;
          dg[b * g3 + hidden + j] = daz;
          dg[b * g3 + 2 * hidden + j] = dan * r;
          pdir[k] = d * z;
        }
      }
      at::addmm_out(dh, direct, dgh[t], w_hh);  // dh_{t−1} = d ⊙ z + (∂gates_h)·W_hh
    }
    auto prevs = at::cat({h0flat.unsqueeze(0), out.slice(0, 0, steps - 1)}, 0).view({steps * batch, hidden});
    auto dgiFlat = dgi.view({steps * batch, g3});
    auto dghFlat = dgh.view({steps * batch, g3});
    at::Tensor dx;
    if (ctx->needs_input_grad(0)) dx = dgiFlat.mm(w_ih).view(x.sizes());
    return {dx,
            dh.view(h0.sizes()),
            dgiFlat.t().mm(x.view({steps * batch, x.size(2)})),
            dghFlat.t().mm(prevs),
            dgiFlat.sum(0),
            dghFlat.sum(0)};
  }
};

}  // namespace

// The layer's outputs at every step for x [T, B, I] from h0 ([B, H] or [1, B, H]). CPU float32 only; the caller
// runs at::gru_cell step by step elsewhere (MetaRL.Torch's GRU.sequence decides).
MRT_API void* mrt_nn_gru_sequence(void* x, void* h0, void* w_ih, void* w_hh, void* b_ih, void* b_hh) {
  MRT_TRY
  auto& input = T(x);
  TORCH_CHECK(input.dim() == 3 && input.size(0) > 0, "gru_sequence: x must be [T, B, I] with T > 0, got ", input.sizes());
  for (auto* t : {&input, &T(h0), &T(w_ih), &T(w_hh), &T(b_ih), &T(b_hh)})
    TORCH_CHECK(t->device().is_cpu() && t->scalar_type() == at::kFloat, "gru_sequence: CPU float32 tensors only");
  TORCH_CHECK(T(h0).numel() == input.size(1) * T(w_hh).size(1), "gru_sequence: h0 must hold [B, H] = [", input.size(1), ", ",
              T(w_hh).size(1), "], got ", T(h0).sizes());
  return wrap(GruSequence::apply(input, T(h0), T(w_ih), T(w_hh), T(b_ih), T(b_hh)));
  MRT_CATCH(nullptr)
}
