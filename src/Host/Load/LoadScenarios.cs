using System.Globalization;
using MetaRL.Load;
using static MetaRL.Load.LoadSimulation;

namespace MetaRL.Host.Load;

/// <summary>
/// A shipped load scenario: its defaults, and how it shapes the load (simulations, phases, faults) for a number of agents
/// and a duration.
/// </summary>
internal sealed record LoadScenario(string Name, string Summary, int Agents, TimeSpan Duration, int Batchers = 1, TimeSpan? SampleEvery = null)
{
    /// <summary>Whether agents arrive at a rate (open model) rather than being kept at a number (closed model).</summary>
    public bool Open => Name == "inject";

    public TimeSpan DefaultSampleEvery => SampleEvery ?? TimeSpan.FromSeconds(1);
}

/// <summary>What a scenario asks of the runner for given agents, duration and rate.</summary>
internal sealed record LoadPlan(IReadOnlyList<LoadSimulation> Load, IReadOnlyList<LoadPhase> Phases, IReadOnlyDictionary<string, LoadFault> Faults, TimeSpan WarmUp)
{
    public string Describe() => string.Join(", then ", Load.Select(s => s switch
    {
        RampingConstant r => string.Create(CultureInfo.InvariantCulture, $"ramping to {r.Copies:N0} agents over {r.During.TotalSeconds:0.#} s"),
        KeepConstant k => string.Create(CultureInfo.InvariantCulture, $"{k.Copies:N0} agents for {k.During.TotalSeconds:0.#} s"),
        RampingInject r => string.Create(CultureInfo.InvariantCulture, $"arrivals ramping to {r.Rate:N0} agents/s over {r.During.TotalSeconds:0.#} s"),
        Inject i => string.Create(CultureInfo.InvariantCulture, $"{i.Rate:N0} new agents/s for {i.During.TotalSeconds:0.#} s"),
        _ => s.ToString(),
    }));
}

/// <summary>The scenarios <c>metarl load</c> ships (the issue's: ramp, million, soak, faults, cluster-faults; and steady and inject).</summary>
internal static class LoadScenarios
{
    public static readonly LoadScenario[] All =
    [
        new("ramp", "0 → agents over two thirds of the duration (2 minutes at most), then hold", 100_000, TimeSpan.FromMinutes(3)),
        new("steady", "all agents for the whole duration", 4096, TimeSpan.FromSeconds(60)),
        new("inject", "open model: new agents arrive at --rate a second (ramping up over the first quarter), each plays one trial and leaves", 100_000, TimeSpan.FromSeconds(60)),
        new("million", "a million agents at once in one process: memory and the first round", 1_000_000, TimeSpan.FromSeconds(60)),
        new("soak", "agents for a long time, sampled every 10 s: memory, live tensors and throughput must stay flat after the warm-up", 100_000,
            TimeSpan.FromMinutes(30), SampleEvery: TimeSpan.FromSeconds(10)),
        new("faults", "agents under load while faults come one at a time (envs throw, slow envs, NaN rewards, a batcher killed), with clean stretches between", 4096,
            TimeSpan.FromMinutes(9), Batchers: 2),
        new("cluster-faults", "a clustered training of 2 nodes on loopback, one of them killed in the middle", 256, TimeSpan.FromMinutes(3)),
    ];

    /// <summary>The faults scenario's faults, in the order they come.</summary>
    public static readonly (LoadFault Fault, string Phase)[] Faults =
    [
        (LoadFault.ThrowingEnvs, "envs throw"),
        (LoadFault.SlowEnvs, "slow envs"),
        (LoadFault.NanRewards, "NaN rewards"),
        (LoadFault.BatcherKills, "batcher killed"),
    ];

    public static LoadScenario? Named(string name) => All.FirstOrDefault(s => s.Name == name);

    public static LoadPlan Plan(LoadScenario scenario, int agents, TimeSpan duration, int rate)
    {
        switch (scenario.Name)
        {
            case "ramp":
                // The default 3 minutes: 2 minutes of ramp, then 1 of hold, whose figures are the phase "hold".
                var ramp = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(2).Ticks, duration.Ticks * 2 / 3));
                return new LoadPlan([new RampingConstant(agents, ramp), new KeepConstant(agents, duration - ramp)],
                    [new LoadPhase("ramp", TimeSpan.Zero, ramp), new LoadPhase("hold", ramp, duration)], Empty, TimeSpan.Zero);
            case "inject":
                var up = duration / 4;
                return new LoadPlan([new RampingInject(rate, TimeSpan.FromSeconds(1), up), new Inject(rate, TimeSpan.FromSeconds(1), duration - up)], [], Empty, up);
            case "soak":
                // Warm-up: the first sixth (5 minutes of 30), while the learner's first updates and the GC's heaps settle.
                return new LoadPlan([new KeepConstant(agents, duration)], [], Empty, duration / 6);
            case "faults":
                // clean, fault, clean, fault, …, clean: each fault's before and after are the clean stretches around it.
                var window = duration / (2 * Faults.Length + 1);
                var phases = new List<LoadPhase>();
                for (int i = 0; i <= 2 * Faults.Length; i++)
                    phases.Add(new LoadPhase(i % 2 == 0 ? $"clean {i / 2 + 1}" : Faults[i / 2].Phase, window * i, window * (i + 1)));
                return new LoadPlan([new KeepConstant(agents, duration)], phases, Faults.ToDictionary(f => f.Phase, f => f.Fault), window);
            default: // steady, million
                return new LoadPlan([new KeepConstant(agents, duration)], [], Empty, TimeSpan.Zero);
        }
    }

    private static readonly IReadOnlyDictionary<string, LoadFault> Empty = new Dictionary<string, LoadFault>();
}
