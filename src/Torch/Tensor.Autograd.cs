using MetaRL.Torch.Interop;

namespace MetaRL.Torch;

// Autograd on a tensor: requires_grad, backward, grad, detach.
public sealed partial class Tensor
{
    /// <summary>Whether autograd records operations on this tensor.</summary>
    public bool requires_grad
    {
        get => Native.mrt_tensor_requires_grad(Handle) != 0;
        set => requires_grad_(value);
    }

    /// <summary>Sets <see cref="requires_grad"/> (only on leaves) and returns this tensor.</summary>
    public Tensor requires_grad_(bool requiresGrad = true)
    {
        Check.Status(Native.mrt_tensor_requires_grad_(Handle, requiresGrad ? 1 : 0), "requires_grad_", this);
        return this;
    }

    /// <summary>Whether this tensor was created by the user rather than by a recorded operation.</summary>
    public bool is_leaf => Native.mrt_tensor_is_leaf(Handle) != 0;

    /// <summary>
    /// The accumulated gradient (a new handle each time; dispose it or read it in a scope), or null.
    /// Setting null clears it (PyTorch's <c>p.grad = None</c>).
    /// </summary>
    public unsafe Tensor? grad
    {
        get
        {
            nint g;
            Check.Status(Native.mrt_tensor_grad(Handle, &g), "grad", this);
            return g == 0 ? null : new Tensor(g);
        }
        set
        {
            Check.Status(Native.mrt_tensor_set_grad(Handle, value?.Handle ?? 0), "grad", this, value);
        }
    }

    /// <summary>Whether a gradient has been accumulated (without creating a handle to it).</summary>
    public bool has_grad
    {
        get
        {
            int r = Native.mrt_tensor_has_grad(Handle);
            Check.Status(r, "grad", this);
            return r == 1;
        }
    }

    /// <summary>Makes a non-leaf keep its gradient after backward.</summary>
    public void retain_grad() => Check.Status(Native.mrt_tensor_retain_grad(Handle), "retain_grad", this);

    /// <summary>
    /// Accumulates d(this)/d(leaf) into every leaf's <see cref="grad"/>. A non-scalar tensor needs
    /// <paramref name="gradient"/>. <paramref name="create_graph"/> records the backward pass for a
    /// second derivative; <paramref name="retain_graph"/> defaults to it.
    /// </summary>
    public void backward(Tensor? gradient = null, bool? retain_graph = null, bool create_graph = false)
    {
        int retain = retain_graph is null ? -1 : retain_graph.Value ? 1 : 0;
        Check.Status(Native.mrt_tensor_backward(Handle, gradient?.Handle ?? 0, retain, create_graph ? 1 : 0), "backward", this, gradient);
    }

    /// <summary>A tensor sharing this one's data, outside the autograd graph.</summary>
    public Tensor detach() => Check.Result(Native.mrt_tensor_detach(Handle), "detach", this);
}
