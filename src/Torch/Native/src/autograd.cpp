// Autograd: backward, gradients of leaves, torch.autograd.grad (with create_graph for second order).
#include "shim.h"

using mrt::T;
using mrt::wrap;

MRT_API int mrt_tensor_requires_grad_(void* a, int requires_grad) {
  MRT_TRY
  T(a).requires_grad_(requires_grad != 0);
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_retain_grad(void* a) {
  MRT_TRY
  T(a).retain_grad();
  return 0;
  MRT_CATCH(-1)
}

// retain_graph < 0 means the default (= create_graph), as in PyTorch.
MRT_API int mrt_tensor_backward(void* a, void* gradient, int retain_graph, int create_graph) {
  MRT_TRY
  c10::optional<bool> retain = retain_graph < 0 ? c10::nullopt : c10::optional<bool>(retain_graph != 0);
  at::Tensor g = gradient == nullptr ? at::Tensor() : T(gradient);
  T(a).backward(g, retain, create_graph != 0);
  return 0;
  MRT_CATCH(-1)
}

// *out is null when the tensor has no gradient (PyTorch's None).
MRT_API int mrt_tensor_grad(void* a, void** out) {
  MRT_TRY
  *out = wrap(T(a).grad());
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_set_grad(void* a, void* gradient) {
  MRT_TRY
  T(a).mutable_grad() = gradient == nullptr ? at::Tensor() : T(gradient);
  return 0;
  MRT_CATCH(-1)
}

// torch.autograd.grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused).
// grad_outputs may be null (all ones-like for scalars) or hold null entries. results[i] is null
// for an unused input when allow_unused is set.
MRT_API int mrt_autograd_grad(void* const* outputs, int n_outputs, void* const* inputs, int n_inputs,
                              void* const* grad_outputs, int retain_graph, int create_graph, int allow_unused,
                              void** results) {
  MRT_TRY
  auto outs = mrt::list(outputs, n_outputs);
  auto ins = mrt::list(inputs, n_inputs);
  std::vector<at::Tensor> gouts;
  if (grad_outputs != nullptr) {
    for (int i = 0; i < n_outputs; ++i)
      gouts.push_back(grad_outputs[i] == nullptr ? at::Tensor() : T(grad_outputs[i]));
  }
  c10::optional<bool> retain = retain_graph < 0 ? c10::nullopt : c10::optional<bool>(retain_graph != 0);
  auto grads = torch::autograd::grad(outs, ins, gouts, retain, create_graph != 0, allow_unused != 0);
  for (size_t i = 0; i < grads.size(); ++i) results[i] = wrap(grads[i]);
  return 0;
  MRT_CATCH(-1)
}

MRT_API int mrt_tensor_has_grad(void* a) {
  MRT_TRY
  return T(a).grad().defined() ? 1 : 0;
  MRT_CATCH(-1)
}
