namespace MetaRL.Torch.Optim;

/// <summary>
/// Sets every group's learning rate from its initial_lr and the number of <see cref="step"/> calls
/// (PyTorch's schedulers, in closed form). Call <see cref="step"/> after each optimizer step.
/// </summary>
public abstract class LRScheduler
{
    /// <summary>Binds to the optimizer; the subclass then calls <see cref="Start"/>.</summary>
    protected LRScheduler(Optimizer optimizer) => this.optimizer = optimizer;

    /// <summary>Applies the rate for epoch 0, as PyTorch's constructors do.</summary>
    protected void Start()
    {
        last_epoch = 0;
        Apply();
    }

    /// <summary>The optimizer whose groups are scheduled.</summary>
    protected Optimizer optimizer { get; }

    /// <summary>Steps taken so far (restore it from a checkpoint to resume the schedule).</summary>
    public int last_epoch { get; set; }

    /// <summary>Advances the schedule by one and sets the new rates.</summary>
    public void step()
    {
        last_epoch++;
        Apply();
    }

    /// <summary>The rates set last, one per group.</summary>
    public double[] get_last_lr() => optimizer.param_groups.Select(g => g.lr).ToArray();

    /// <summary>The rate for a group at <paramref name="epoch"/>.</summary>
    protected abstract double RateAt(double initialLr, int epoch);

    private void Apply()
    {
        foreach (var g in optimizer.param_groups) g.lr = RateAt(g.initial_lr, last_epoch);
    }
}

/// <summary>Scales the rate linearly from start_factor to end_factor over total_iters steps, then holds (PyTorch's LinearLR).</summary>
public sealed class LinearLR : LRScheduler
{
    private readonly double start;
    private readonly double end;
    private readonly int total;

    /// <summary>Creates the schedule.</summary>
    public LinearLR(Optimizer optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0, int total_iters = 5)
        : base(optimizer)
    {
        if (start_factor is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(start_factor), $"start_factor must be in (0, 1], got {start_factor}");
        if (total_iters < 1) throw new ArgumentOutOfRangeException(nameof(total_iters), $"total_iters must be at least 1, got {total_iters}");
        start = start_factor;
        end = end_factor;
        total = total_iters;
        Start();
    }

    /// <inheritdoc />
    protected override double RateAt(double initialLr, int epoch) =>
        initialLr * (start + (end - start) * Math.Min(epoch, total) / total);
}

/// <summary>Cosine annealing from the initial rate to eta_min over T_max steps (PyTorch's CosineAnnealingLR, closed form).</summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    private readonly int tMax;
    private readonly double etaMin;

    /// <summary>Creates the schedule.</summary>
    public CosineAnnealingLR(Optimizer optimizer, int T_max, double eta_min = 0)
        : base(optimizer)
    {
        if (T_max < 1) throw new ArgumentOutOfRangeException(nameof(T_max), $"T_max must be at least 1, got {T_max}");
        tMax = T_max;
        etaMin = eta_min;
        Start();
    }

    /// <inheritdoc />
    protected override double RateAt(double initialLr, int epoch) =>
        etaMin + (initialLr - etaMin) * (1 + Math.Cos(Math.PI * epoch / tMax)) / 2;
}

/// <summary>rate = initial_lr · factor(epoch) (PyTorch's LambdaLR).</summary>
public sealed class LambdaLR : LRScheduler
{
    private readonly Func<int, double> factor;

    /// <summary>Creates the schedule.</summary>
    public LambdaLR(Optimizer optimizer, Func<int, double> lr_lambda)
        : base(optimizer)
    {
        factor = lr_lambda;
        Start();
    }

    /// <inheritdoc />
    protected override double RateAt(double initialLr, int epoch) => initialLr * factor(epoch);
}
