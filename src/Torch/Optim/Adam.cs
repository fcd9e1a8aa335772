using System.Runtime.CompilerServices;
using MetaRL.Torch.Interop;
using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Optim;

/// <summary>
/// Adam (and AdamW with <c>decoupled</c> weight decay): PyTorch's single-tensor algorithm, run for all
/// parameters in one native call. State per parameter: step, exp_avg, exp_avg_sq (and max_exp_avg_sq
/// with amsgrad), saved in PyTorch's layout.
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly ConditionalWeakTable<Tensor, State> states = new();
    private readonly List<State> owned = new();

    /// <summary>Creates the optimizer.</summary>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                double weight_decay = 0, bool amsgrad = false, bool maximize = false, bool decoupled_weight_decay = false)
        : base(parameters, lr)
    {
        if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), $"beta1 must be in [0, 1), got {beta1}");
        if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), $"beta2 must be in [0, 1), got {beta2}");
        if (eps < 0) throw new ArgumentOutOfRangeException(nameof(eps), $"eps must be at least 0, got {eps}");
        if (weight_decay < 0) throw new ArgumentOutOfRangeException(nameof(weight_decay), $"weight_decay must be at least 0, got {weight_decay}");
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weight_decay = weight_decay;
        this.amsgrad = amsgrad;
        this.maximize = maximize;
        decoupled = decoupled_weight_decay;
    }

    /// <summary>Decay of the first moment.</summary>
    public double beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public double beta2 { get; }

    /// <summary>Added to the denominator.</summary>
    public double eps { get; }

    /// <summary>L2 penalty (Adam) or decoupled decay (AdamW).</summary>
    public double weight_decay { get; }

    /// <summary>Whether the maximum of past second moments is used.</summary>
    public bool amsgrad { get; }

    /// <summary>Whether the objective is maximised.</summary>
    public bool maximize { get; }

    /// <summary>Whether weight decay is decoupled (AdamW).</summary>
    public bool decoupled { get; }

    // Reused across steps so that a step allocates nothing.
    private nint[] pBuf = [], mBuf = [], vBuf = [], vmaxBuf = [];
    private double[] stepBuf = [];

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
            mBuf = new nint[n];
            vBuf = new nint[n];
            vmaxBuf = new nint[n];
            stepBuf = new double[n];
        }
        int k = 0;
        foreach (var param in group.Params)
        {
            if (!param.has_grad) continue;
            var s = StateOf(param, create: true)!;
            s.Step += 1;
            pBuf[k] = param.Handle;
            mBuf[k] = s.ExpAvg.Handle;
            vBuf[k] = s.ExpAvgSq.Handle;
            vmaxBuf[k] = s.MaxExpAvgSq?.Handle ?? 0;
            stepBuf[k] = s.Step;
            k++;
        }
        if (k == 0) return;
        int status;
        fixed (nint* p = pBuf)
        fixed (nint* m = mBuf)
        fixed (nint* v = vBuf)
        fixed (nint* vmax = vmaxBuf)
        fixed (double* steps = stepBuf)
            status = Native.mrt_optim_adam_step(p, m, v, amsgrad ? vmax : null, steps, k, group.lr, beta1, beta2, eps, weight_decay,
                                                decoupled ? 1 : 0, maximize ? 1 : 0);
        GC.KeepAlive(group);
        Check.Status(status, decoupled ? "AdamW.step" : "Adam.step");
    }

    private State? StateOf(Tensor parameter, bool create)
    {
        if (states.TryGetValue(parameter, out var s)) return s;
        if (!create) return null;
        s = new State(zeros_like(parameter).DetachFromDisposeScope(), zeros_like(parameter).DetachFromDisposeScope(),
                      amsgrad ? zeros_like(parameter).DetachFromDisposeScope() : null);
        states.Add(parameter, s);
        owned.Add(s);
        return s;
    }

    /// <inheritdoc />
    protected override OrderedDictionary<object, object?>? SaveState(Tensor parameter)
    {
        var s = StateOf(parameter, create: false);
        if (s is null) return null;
        var entry = new OrderedDictionary<object, object?>
        {
            ["step"] = scalar_tensor(s.Step).DetachFromDisposeScope(),
            ["exp_avg"] = s.ExpAvg.alias().DetachFromDisposeScope(),
            ["exp_avg_sq"] = s.ExpAvgSq.alias().DetachFromDisposeScope(),
        };
        if (s.MaxExpAvgSq is not null) entry["max_exp_avg_sq"] = s.MaxExpAvgSq.alias().DetachFromDisposeScope();
        return entry;
    }

    /// <inheritdoc />
    protected override void LoadState(Tensor parameter, IDictionary<object, object?> entry)
    {
        ClearState(parameter);
        var s = new State(StateTensor(entry["exp_avg"], parameter, "exp_avg"), StateTensor(entry["exp_avg_sq"], parameter, "exp_avg_sq"),
                          amsgrad ? entry.TryGetValue("max_exp_avg_sq", out var mx) ? StateTensor(mx, parameter, "max_exp_avg_sq") : zeros_like(parameter).DetachFromDisposeScope() : null)
        {
            Step = ToDouble(entry["step"]),
        };
        states.Add(parameter, s);
        owned.Add(s);
    }

    /// <inheritdoc />
    protected override void ClearState(Tensor parameter)
    {
        if (!states.TryGetValue(parameter, out var s)) return;
        states.Remove(parameter);
        owned.Remove(s);
        s.Dispose();
    }

    /// <inheritdoc />
    protected override OrderedDictionary<object, object?> GroupOptions(ParamGroup group) => new()
    {
        ["lr"] = group.lr,
        ["betas"] = new object?[] { beta1, beta2 },
        ["eps"] = eps,
        ["weight_decay"] = weight_decay,
        ["amsgrad"] = amsgrad,
        ["maximize"] = maximize,
        ["foreach"] = null,
        ["capturable"] = false,
        ["differentiable"] = false,
        ["fused"] = false,
        ["initial_lr"] = group.initial_lr,
    };

    /// <inheritdoc />
    public override void Dispose()
    {
        foreach (var s in owned) s.Dispose();
        owned.Clear();
        states.Clear();
        base.Dispose();
    }

    private sealed class State(Tensor expAvg, Tensor expAvgSq, Tensor? maxExpAvgSq) : IDisposable
    {
        public double Step { get; set; }

        public Tensor ExpAvg { get; } = expAvg;

        public Tensor ExpAvgSq { get; } = expAvgSq;

        public Tensor? MaxExpAvgSq { get; } = maxExpAvgSq;

        public void Dispose()
        {
            ExpAvg.Dispose();
            ExpAvgSq.Dispose();
            MaxExpAvgSq?.Dispose();
        }
    }
}
