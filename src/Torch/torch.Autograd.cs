using MetaRL.Torch.Interop;

namespace MetaRL.Torch;

public static partial class torch
{
    /// <summary>torch.autograd: gradients of outputs with respect to chosen inputs, and a finite-difference check.</summary>
    public static class autograd
    {
        /// <summary>
        /// d(outputs)/d(inputs), weighted by <paramref name="grad_outputs"/> (ones for scalar outputs when null),
        /// without touching the inputs' <c>.grad</c>. With <paramref name="create_graph"/> the result is itself
        /// differentiable (second-order gradients, as MAML needs). An input the outputs do not depend on
        /// gets null when <paramref name="allow_unused"/> is set, else an error.
        /// </summary>
        public static unsafe Tensor?[] grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?>? grad_outputs = null,
                                            bool? retain_graph = null, bool create_graph = false, bool allow_unused = false)
        {
            if (grad_outputs is not null && grad_outputs.Count != outputs.Count)
                throw new ArgumentException($"autograd.grad: {outputs.Count} outputs but {grad_outputs.Count} grad_outputs");
            var outs = new nint[outputs.Count];
            var ins = new nint[inputs.Count];
            var gouts = grad_outputs is null ? null : new nint[grad_outputs.Count];
            var results = new nint[inputs.Count];
            for (int i = 0; i < outs.Length; i++) outs[i] = outputs[i].Handle;
            for (int i = 0; i < ins.Length; i++) ins[i] = inputs[i].Handle;
            if (gouts is not null)
                for (int i = 0; i < gouts.Length; i++) gouts[i] = grad_outputs![i]?.Handle ?? 0;
            int retain = retain_graph is null ? -1 : retain_graph.Value ? 1 : 0;
            int status;
            fixed (nint* o = outs)
            fixed (nint* x = ins)
            fixed (nint* g = gouts)
            fixed (nint* r = results)
                status = Native.mrt_autograd_grad(o, outs.Length, x, ins.Length, gouts is null ? null : g, retain, create_graph ? 1 : 0, allow_unused ? 1 : 0, r);
            GC.KeepAlive(outputs);
            GC.KeepAlive(inputs);
            GC.KeepAlive(grad_outputs);
            if (status < 0) throw Check.Error("autograd.grad", outputs.Count > 0 ? outputs[0] : null, inputs.Count > 0 ? inputs[0] : null);
            var grads = new Tensor?[results.Length];
            for (int i = 0; i < results.Length; i++) grads[i] = results[i] == 0 ? null : new Tensor(results[i]);
            return grads;
        }

        /// <summary>d(output)/d(inputs) for a scalar output.</summary>
        public static Tensor?[] grad(Tensor output, IReadOnlyList<Tensor> inputs, bool? retain_graph = null, bool create_graph = false, bool allow_unused = false) =>
            grad([output], inputs, null, retain_graph, create_graph, allow_unused);

        /// <summary>
        /// Compares autograd's gradient of <paramref name="function"/> with central finite differences
        /// (PyTorch's gradcheck). Use float64 inputs that require grad. Returns null when every entry
        /// agrees within atol + rtol·|numeric|, else a description of the first disagreement.
        /// </summary>
        public static string? gradcheck(Func<Tensor[], Tensor> function, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
        {
            using var scope = NewDisposeScope();
            using var output = function(inputs);
            // A fixed random weighting turns any output into a scalar whose gradient checks every entry.
            using var gen = new Generator(12345);
            using var weights = randn(output.shape, output.dtype, output.device, gen);
            using var weighted = (output * weights).sum();
            var differentiable = inputs.Where(t => t.requires_grad).ToArray();
            var analytic = grad([weighted], differentiable, allow_unused: true);
            // Evaluated with grad mode on, so that a function that takes gradients itself (a gradient
            // built with create_graph, a MAML inner step) can be checked: PyTorch's gradgradcheck. The
            // entries are nudged through a detached view, which autograd does not see.
            for (int k = 0; k < differentiable.Length; k++)
            {
                var x = differentiable[k];
                using var flat = x.detach().view(-1);
                long n = flat.numel();
                var computed = analytic[k] is { } a ? a.reshape(-1).ToArray<double>() : new double[n];
                for (long j = 0; j < n; j++)
                {
                    using var entry = flat[j];
                    double original = entry.ToDouble();
                    entry.fill_(original + eps);
                    double plus = Evaluate(function, inputs, weights);
                    entry.fill_(original - eps);
                    double minus = Evaluate(function, inputs, weights);
                    entry.fill_(original);
                    double numeric = (plus - minus) / (2 * eps);
                    if (Math.Abs(numeric - computed[j]) > atol + rtol * Math.Abs(numeric))
                        return $"input {k} ({x.Describe()}) entry {j}: autograd {computed[j]:G8}, finite difference {numeric:G8}";
                }
            }
            return null;
        }

        private static double Evaluate(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor weights)
        {
            using var scope = NewDisposeScope();
            var y = function(inputs);
            return (y * weights).sum().ToDouble();
        }
    }
}
