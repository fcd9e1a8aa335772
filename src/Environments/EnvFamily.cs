using MetaRL.Environments.Checking;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments;

/// <summary>
/// A named env family of the <see cref="EnvCatalog"/>: how to build its task distribution and its env from
/// <see cref="EnvOptions"/>. The typed subclass <see cref="EnvFamily{TObs,TAction,TTask}"/> is what code that
/// runs the env casts to; this base class is what a command line lists and validates.
/// </summary>
public abstract class EnvFamily
{
    private protected EnvFamily(string name, string summary, int episodesPerTrial, IReadOnlyList<string> optionNames)
    {
        Name = name;
        Summary = summary;
        EpisodesPerTrial = episodesPerTrial;
        OptionNames = optionNames;
    }

    /// <summary>The catalog name, e.g. <c>dark-room</c>.</summary>
    public string Name { get; }

    /// <summary>One line: what the env is and its published setup.</summary>
    public string Summary { get; }

    /// <summary>A suggested number of episodes a trial (for bandits: pulls, each pull being an episode).</summary>
    public int EpisodesPerTrial { get; }

    /// <summary>The <see cref="EnvOptions"/> fields this family takes, as the command line spells them.</summary>
    public IReadOnlyList<string> OptionNames { get; }

    public abstract Type ObservationType { get; }
    public abstract Type ActionType { get; }
    public abstract Type TaskType { get; }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming the option when <paramref name="options"/> sets one this family
    /// does not take or an invalid value, or carries a schedule this family cannot run.
    /// </summary>
    public void Validate(EnvOptions options)
    {
        ValidateKnobs(options);
        if (options.Schedule is { } schedule) CheckSchedule(schedule, options);
    }

    /// <summary>
    /// The checks of <see cref="Validate"/> but the schedule's: what building an env or a distribution needs checked
    /// first. (Building the env builds its schedule, which reports what it cannot run; checking it here too would
    /// build every schedule twice, and evaluators build an env per trial.)
    /// </summary>
    private protected void ValidateKnobs(EnvOptions options)
    {
        foreach (var name in options.SetNames())
            if (!OptionNames.Contains(name))
                throw new ArgumentException(OptionNames.Count == 0
                    ? $"option '{name}' does not apply to {Name}, which takes no options"
                    : $"option '{name}' does not apply to {Name}, which takes: {string.Join(", ", OptionNames)}");
        Check("arms", options.Arms, 1);
        Check("states", options.States, 1);
        Check("actions", options.Actions, 1);
        Check("size", options.Size, 2);
        Check("hallways", options.Hallways, 2);
        Check("horizon", options.Horizon, 1);
    }

    /// <summary>Throws an <see cref="ArgumentException"/> when this family cannot run <paramref name="schedule"/> (a drift it has no law for, a scripted task of another type).</summary>
    private protected abstract void CheckSchedule(NonStationary.ScheduleSpec schedule, EnvOptions options);

    /// <summary>Builds an env of this family on a task drawn with <paramref name="seed"/> and runs the <see cref="EnvChecker"/> on it.</summary>
    public abstract EnvCheckReport Check(EnvOptions options, int seed = 0);

    /// <summary>
    /// Runs <paramref name="code"/> with this family's own types, for code that needs them (a population, an
    /// evaluator): a virtual call where callers holding only an <see cref="EnvFamily"/> would otherwise reach for
    /// reflection. Throws an <see cref="ArgumentException"/> when the family's actions are not discrete.
    /// </summary>
    public abstract TResult WithDiscreteActions<TResult>(IDiscreteFamilyCode<TResult> code);

    /// <summary>Runs <paramref name="code"/> with this family's own types, whatever its actions (discrete or Box).</summary>
    public abstract TResult WithTypes<TResult>(IFamilyCode<TResult> code);

    /// <summary>Whether the family declares classical baselines (<see cref="EnvFamily{TObs,TAction,TTask}.Baselines"/>); without, reports run random actions.</summary>
    public abstract bool HasBaselines { get; }

    /// <summary>Whether its baselines include ones that track a changing task, so that they run under a schedule.</summary>
    public abstract bool HasTrackingBaselines { get; }

    /// <summary>What the command line calls a trial's length for this family: <c>pulls</c> for bandits, <c>episodes</c> otherwise.</summary>
    public abstract string TrialLength { get; }

    private void Check(string name, int? value, int min)
    {
        if (value is int v && v < min)
            throw new ArgumentException($"option '{name}' of {Name} must be at least {min}, got {v}");
    }
}

/// <summary>
/// A typed catalog entry: build the task distribution for a split, and an env set to a task (non-stationary when
/// the options carry a schedule).
/// </summary>
public sealed class EnvFamily<TObs, TAction, TTask> : EnvFamily
{
    private readonly Func<EnvOptions, ITaskDistribution<TTask>> _distribution;
    private readonly Func<EnvOptions, TTask, ITaskEnv<TObs, TAction, TTask>> _env;
    /// <param name="drift">How this family's tasks drift under <c>drift:SIGMA</c>; null when they have no such law.</param>
    /// <param name="baselines">
    /// The family's classical baselines (e.g. random actions, a learner from scratch, an oracle told the task; for bandits
    /// Gittins and the rest), which <c>metarl baselines</c> runs and <c>metarl eval</c> sets beside the learner; null:
    /// random actions only.
    /// </param>
    public EnvFamily(string name, string summary, int episodesPerTrial, IReadOnlyList<string> optionNames,
        Func<EnvOptions, ITaskDistribution<TTask>> distribution, Func<EnvOptions, TTask, ITaskEnv<TObs, TAction, TTask>> env,
        NonStationary.ITaskDrift<TTask>? drift = null, Baselines.BaselineSuite<TObs, TAction>? baselines = null)
        : base(name, summary, episodesPerTrial, optionNames)
    {
        _distribution = distribution;
        _env = env;
        Drift = drift;
        Baselines = baselines;
    }

    /// <summary>The family's classical baselines, or null when it declares none.</summary>
    public Baselines.BaselineSuite<TObs, TAction>? Baselines { get; }

    public override bool HasBaselines => Baselines is not null;
    public override bool HasTrackingBaselines => Baselines?.Tracking is not null;
    public override string TrialLength => Baselines?.TrialLength ?? "episodes";

    /// <summary>How this family's tasks drift (<c>drift:SIGMA</c>), or null.</summary>
    public NonStationary.ITaskDrift<TTask>? Drift { get; }

    public override Type ObservationType => typeof(TObs);
    public override Type ActionType => typeof(TAction);
    public override Type TaskType => typeof(TTask);

    /// <summary>The task distribution of <paramref name="options"/>' split.</summary>
    public ITaskDistribution<TTask> CreateDistribution(EnvOptions options)
    {
        ValidateKnobs(options);
        return _distribution(options);
    }

    /// <summary>
    /// An env set to <paramref name="task"/>; with a schedule in <paramref name="options"/>, a
    /// <see cref="NonStationary.NonStationaryEnv{TObs,TAction,TTask}"/> around it with a schedule of its own, whose
    /// stream is reseeded by every seeded <c>Reset</c>.
    /// </summary>
    public ITaskEnv<TObs, TAction, TTask> CreateEnv(EnvOptions options, TTask task)
    {
        ValidateKnobs(options);
        var env = _env(options, task);
        return options.Schedule is { } schedule
            ? NonStationary.NonStationaryEnv<TObs, TAction, TTask>.Create(env, schedule.Build(_distribution(options), Drift, Name))
            : env;
    }

    private protected override void CheckSchedule(NonStationary.ScheduleSpec schedule, EnvOptions options) =>
        schedule.Build(_distribution(options), Drift, Name);

    public override EnvCheckReport Check(EnvOptions options, int seed = 0)
    {
        var task = CreateDistribution(options).Sample(new Random(seed));
        return EnvChecker.Check<TObs, TAction>(() => CreateEnv(options, task), name: Name);
    }

    public override TResult WithDiscreteActions<TResult>(IDiscreteFamilyCode<TResult> code) =>
        this is EnvFamily<TObs, int, TTask> discrete
            ? code.Run(discrete)
            : throw new ArgumentException($"env.name = \"{Name}\": this needs discrete actions; this family's actions are {typeof(TAction).Name}");

    public override TResult WithTypes<TResult>(IFamilyCode<TResult> code) => code.Run(this);
}

/// <summary>Code that needs an env family's observation, action and task types, run by <see cref="EnvFamily.WithTypes{TResult}"/>.</summary>
public interface IFamilyCode<out TResult>
{
    TResult Run<TObs, TAction, TTask>(EnvFamily<TObs, TAction, TTask> family);
}

/// <summary>Code that needs an env family's observation and task types, run by <see cref="EnvFamily.WithDiscreteActions{TResult}"/>.</summary>
public interface IDiscreteFamilyCode<out TResult>
{
    TResult Run<TObs, TTask>(EnvFamily<TObs, int, TTask> family);
}
