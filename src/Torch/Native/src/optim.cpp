// Optimizer updates: one native call per step for all parameters, the same arithmetic as
// PyTorch's single-tensor Adam/AdamW and SGD, so optimizer state matches Python's.
#include "shim.h"

#include <cmath>

using mrt::T;

// steps[i] already counts this step. Parameters without a gradient are skipped.
// max_exp_avg_sqs may be null (no amsgrad).
MRT_API int mrt_optim_adam_step(void* const* params, void* const* exp_avgs, void* const* exp_avg_sqs,
                                void* const* max_exp_avg_sqs, const double* steps, int n, double lr, double beta1,
                                double beta2, double eps, double weight_decay, int decoupled, int maximize) {
  MRT_TRY
  at::NoGradGuard no_grad;
  for (int i = 0; i < n; ++i) {
    auto& p = T(params[i]);
    at::Tensor grad = p.grad();
    if (!grad.defined()) continue;
    if (maximize) grad = -grad;
    if (weight_decay != 0) {
      if (decoupled) p.mul_(1 - lr * weight_decay);
      else grad = grad.add(p, weight_decay);
    }
    auto& m = T(exp_avgs[i]);
    auto& v = T(exp_avg_sqs[i]);
    m.lerp_(grad, 1 - beta1);
    v.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
    double bias1 = 1 - std::pow(beta1, steps[i]);
    double bias2_sqrt = std::sqrt(1 - std::pow(beta2, steps[i]));
    at::Tensor denom;
    if (max_exp_avg_sqs != nullptr) {
      auto& vmax = T(max_exp_avg_sqs[i]);
      at::maximum_out(vmax, vmax, v);
      denom = (vmax.sqrt() / bias2_sqrt).add_(eps);
    } else {
      denom = (v.sqrt() / bias2_sqrt).add_(eps);
    }
    p.addcdiv_(m, denom, -lr / bias1);
  }
  return 0;
  MRT_CATCH(-1)
}

// momentum_buffers may be null (momentum 0). first[i] != 0 seeds the buffer with the gradient.
MRT_API int mrt_optim_sgd_step(void* const* params, void* const* momentum_buffers, const int* first, int n, double lr,
                               double momentum, double dampening, double weight_decay, int nesterov, int maximize) {
  MRT_TRY
  at::NoGradGuard no_grad;
  for (int i = 0; i < n; ++i) {
    auto& p = T(params[i]);
    at::Tensor d = p.grad();
    if (!d.defined()) continue;
    if (maximize) d = -d;
    if (weight_decay != 0) d = d.add(p, weight_decay);
    if (momentum != 0 && momentum_buffers != nullptr) {
      auto& buf = T(momentum_buffers[i]);
      if (first[i]) buf.copy_(d);
      else buf.mul_(momentum).add_(d, 1 - dampening);
      d = nesterov ? d.add(buf, momentum) : buf;
    }
    p.add_(d, -lr);
  }
  return 0;
  MRT_CATCH(-1)
}
