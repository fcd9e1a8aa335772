namespace MetaRL.Load;

/// <summary>
/// How a scenario's load is shaped over time, with NBomber's vocabulary and meaning. Simulations run one after
/// another; a ramping one starts from where the one before it ended (0 at the start).
/// <list type="bullet">
/// <item><see cref="Inject"/> and <see cref="RampingInject"/> are the <b>open</b> model: new copies start at a rate, whether
/// or not earlier ones have finished, so a slow system meets more load, not less, and its latency is not hidden
/// (no coordinated omission).</item>
/// <item><see cref="KeepConstant"/> and <see cref="RampingConstant"/> are the <b>closed</b> model: a number of copies
/// run concurrently, each starting again when it finishes.</item>
/// </list>
/// </summary>
public abstract record LoadSimulation
{
    private LoadSimulation(TimeSpan during)
    {
        if (during <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(during), during, "a load simulation must last some time");
        During = during;
    }

    public TimeSpan During { get; }

    /// <summary>The open model's simulations: <see cref="Rate"/> new copies per <see cref="Interval"/>.</summary>
    public abstract record Injection : LoadSimulation
    {
        private protected Injection(int rate, TimeSpan interval, TimeSpan during) : base(during)
        {
            Rate = Positive(rate, nameof(rate), allowZero: true);
            Interval = Positive(interval, nameof(interval));
        }

        public int Rate { get; }
        public TimeSpan Interval { get; }
    }

    /// <summary>The closed model's simulations: <see cref="Copies"/> copies at once.</summary>
    public abstract record Concurrency : LoadSimulation
    {
        private protected Concurrency(int copies, TimeSpan during) : base(during) => Copies = Positive(copies, nameof(copies), allowZero: true);

        public int Copies { get; }
    }

    /// <summary>Open model: <c>rate</c> new copies every <c>interval</c>, for <c>during</c>.</summary>
    public sealed record Inject : Injection
    {
        public Inject(int rate, TimeSpan interval, TimeSpan during) : base(rate, interval, during) { }
    }

    /// <summary>Open model: the injection rate moves linearly from the previous simulation's to <c>rate</c> per <c>interval</c>.</summary>
    public sealed record RampingInject : Injection
    {
        public RampingInject(int rate, TimeSpan interval, TimeSpan during) : base(rate, interval, during) { }
    }

    /// <summary>Closed model: <c>copies</c> copies at once, for <c>during</c>.</summary>
    public sealed record KeepConstant : Concurrency
    {
        public KeepConstant(int copies, TimeSpan during) : base(copies, during) { }
    }

    /// <summary>Closed model: the number of copies moves linearly from the previous simulation's to <c>copies</c>.</summary>
    public sealed record RampingConstant : Concurrency
    {
        public RampingConstant(int copies, TimeSpan during) : base(copies, during) { }
    }

    private static int Positive(int value, string name, bool allowZero) =>
        value > 0 || (allowZero && value == 0) ? value : throw new ArgumentOutOfRangeException(name, value, allowZero ? "must be >= 0" : "must be > 0");

    private static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(name, value, "must be longer than zero");
}
