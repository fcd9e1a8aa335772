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

    /// <summary>Open model: <paramref name="Rate"/> new copies every <paramref name="Interval"/>, for <paramref name="During"/>.</summary>
    public sealed record Inject : LoadSimulation
    {
        public Inject(int rate, TimeSpan interval, TimeSpan during) : base(during)
        {
            Rate = Positive(rate, nameof(rate), allowZero: true);
            Interval = Positive(interval, nameof(interval));
        }

        public int Rate { get; }
        public TimeSpan Interval { get; }
    }

    /// <summary>Open model: the injection rate moves linearly from the previous simulation's to <paramref name="Rate"/> per <paramref name="Interval"/>.</summary>
    public sealed record RampingInject : LoadSimulation
    {
        public RampingInject(int rate, TimeSpan interval, TimeSpan during) : base(during)
        {
            Rate = Positive(rate, nameof(rate), allowZero: true);
            Interval = Positive(interval, nameof(interval));
        }

        public int Rate { get; }
        public TimeSpan Interval { get; }
    }

    /// <summary>Closed model: <paramref name="Copies"/> copies at once, for <paramref name="During"/>.</summary>
    public sealed record KeepConstant : LoadSimulation
    {
        public KeepConstant(int copies, TimeSpan during) : base(during) => Copies = Positive(copies, nameof(copies), allowZero: true);

        public int Copies { get; }
    }

    /// <summary>Closed model: the number of copies moves linearly from the previous simulation's to <paramref name="Copies"/>.</summary>
    public sealed record RampingConstant : LoadSimulation
    {
        public RampingConstant(int copies, TimeSpan during) : base(during) => Copies = Positive(copies, nameof(copies), allowZero: true);

        public int Copies { get; }
    }

    private static int Positive(int value, string name, bool allowZero) =>
        value > 0 || (allowZero && value == 0) ? value : throw new ArgumentOutOfRangeException(name, value, allowZero ? "must be >= 0" : "must be > 0");

    private static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(name, value, "must be longer than zero");
}
