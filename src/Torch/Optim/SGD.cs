using System.Runtime.CompilerServices;
using MetaRL.Torch.Interop;
using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Optim;

/// <summary>Stochastic gradient descent with optional momentum, dampening, Nesterov and weight decay (PyTorch's algorithm).</summary>
public sealed class SGD : Optimizer
{
    private readonly ConditionalWeakTable<Tensor, Tensor> buffers = new();
    private readonly List<Tensor> owned = new();

    /// <summary>Creates the optimizer.</summary>
    public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0, bool nesterov = false,
               bool maximize = false)
        : base(parameters, lr)
    {
        if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), $"momentum must be at least 0, got {momentum}");
        if (nesterov && (momentum <= 0 || dampening != 0)) throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
        this.momentum = momentum;
        this.dampening = dampening;
        this.weight_decay = weight_decay;
        this.nesterov = nesterov;
        this.maximize = maximize;
    }

    /// <summary>Momentum factor.</summary>
    public double momentum { get; }

    /// <summary>Dampening of the momentum.</summary>
    public double dampening { get; }

    /// <summary>L2 penalty.</summary>
    public double weight_decay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool nesterov { get; }

    /// <summary>Whether the objective is maximised.</summary>
    public bool maximize { get; }

    private nint[] pBuf = [], bBuf = [];
    private int[] firstBuf = [];

    /// <inheritdoc />
    public override void step()
    {
        foreach (var group in param_groups) StepGroup(group);
    }

    private unsafe void StepGroup(ParamGroup group)
    {
        int n = group.Params.Count;
        if (pBuf.Length < n)
        {
            pBuf = new nint[n];
            bBuf = new nint[n];
            firstBuf = new int[n];
        }
        int k = 0;
        foreach (var param in group.Params)
        {
            if (!param.has_grad) continue;
            pBuf[k] = param.Handle;
            firstBuf[k] = 0;
            if (momentum != 0)
            {
                if (!buffers.TryGetValue(param, out var buffer))
                {
                    buffer = zeros_like(param).DetachFromDisposeScope();
                    buffers.Add(param, buffer);
                    owned.Add(buffer);
                    firstBuf[k] = 1;
                }
                bBuf[k] = buffer.Handle;
            }
            k++;
        }
        if (k == 0) return;
        int status;
        fixed (nint* p = pBuf)
        fixed (nint* b = bBuf)
        fixed (int* first = firstBuf)
            status = Native.mrt_optim_sgd_step(p, momentum != 0 ? b : null, first, k, group.lr, momentum, dampening, weight_decay, nesterov ? 1 : 0,
                                               maximize ? 1 : 0);
        GC.KeepAlive(group);
        Check.Status(status, "SGD.step");
    }

    /// <inheritdoc />
    protected override OrderedDictionary<object, object?>? SaveState(Tensor parameter) =>
        buffers.TryGetValue(parameter, out var buffer)
            ? new OrderedDictionary<object, object?> { ["momentum_buffer"] = buffer.alias().DetachFromDisposeScope() }
            : null;

    /// <inheritdoc />
    protected override void LoadState(Tensor parameter, IDictionary<object, object?> entry)
    {
        ClearState(parameter);
        if (!entry.TryGetValue("momentum_buffer", out var value) || value is null) return;
        var buffer = StateTensor(value, parameter, "momentum_buffer");
        buffers.Add(parameter, buffer);
        owned.Add(buffer);
    }

    /// <inheritdoc />
    protected override void ClearState(Tensor parameter)
    {
        if (!buffers.TryGetValue(parameter, out var buffer)) return;
        buffers.Remove(parameter);
        owned.Remove(buffer);
        buffer.Dispose();
    }

    /// <inheritdoc />
    protected override OrderedDictionary<object, object?> GroupOptions(ParamGroup group) => new()
    {
        ["lr"] = group.lr,
        ["momentum"] = momentum,
        ["dampening"] = dampening,
        ["weight_decay"] = weight_decay,
        ["nesterov"] = nesterov,
        ["maximize"] = maximize,
        ["foreach"] = null,
        ["differentiable"] = false,
        ["initial_lr"] = group.initial_lr,
    };

    /// <inheritdoc />
    public override void Dispose()
    {
        foreach (var t in owned) t.Dispose();
        owned.Clear();
        buffers.Clear();
        base.Dispose();
    }
}
