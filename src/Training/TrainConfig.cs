using MetaRL.Actors.Population;
using MetaRL.Environments;
using MetaRL.Environments.NonStationary;
using MetaRL.Policies.Algorithms;
using MetaRL.Policies;

namespace MetaRL.Training;

/// <summary>Which env family a run trains on (config key <c>env</c>), with the family's options.</summary>
public sealed record EnvConfig
{
    /// <summary>The catalog name, e.g. <c>bernoulli-bandit</c> (see <c>metarl baselines --help</c> for the list).</summary>
    public string Name { get; init; } = "bernoulli-bandit";

    /// <summary>Bandit arms.</summary>
    public int? Arms { get; init; }

    /// <summary>States of a tabular MDP.</summary>
    public int? States { get; init; }

    /// <summary>Actions of a tabular MDP.</summary>
    public int? Actions { get; init; }

    /// <summary>Side of a grid world or maze.</summary>
    public int? Size { get; init; }

    /// <summary>Hallways of the sign hallway.</summary>
    public int? Hallways { get; init; }

    /// <summary>Steps per episode where the family has a time limit.</summary>
    public int? Horizon { get; init; }

    /// <summary>
    /// A non-stationary schedule for every trial (<see cref="ScheduleSpec.Forms"/>), e.g. <c>switch-every:50</c>; null for
    /// stationary tasks. A scripted file is found relative to the config file and saved with its full path.
    /// </summary>
    public string? Schedule { get; init; }

    /// <summary>Knobs of a family registered from user code (<see cref="EnvCatalog.Register"/>), by the names it declares, e.g. <c>{"patches": 4}</c>.</summary>
    public Dictionary<string, double>? Options { get; init; }

    public EnvOptions ToOptions(Environments.Tasks.TaskSplit split) =>
        new(Arms, States, Actions, Size, Hallways, Horizon, split, Schedule is null ? null : ScheduleSpec.Parse(Schedule), Options);
}

/// <summary>
/// Where a run's journal and checkpoints live (config key <c>persistence</c>): <c>sqlite</c> (default, the file
/// <c>runs/&lt;name&gt;/run.db</c>) or <c>postgresql</c> (a shared server, by <see cref="ConnectionString"/>).
/// </summary>
public sealed record PersistenceConfig
{
    public const string Sqlite = "sqlite";
    public const string PostgreSql = "postgresql";

    public string Provider { get; init; } = Sqlite;

    /// <summary>
    /// PostgreSQL: an Npgsql connection string, e.g. <c>Host=db;Port=5432;Database=metarl;Username=metarl</c>. Its
    /// password may instead come from the environment variable <see cref="PasswordVariable"/>; it is never written
    /// into the run's config.json.
    /// </summary>
    public string? ConnectionString { get; init; }

    /// <summary>The environment variable that holds the database password (used when the connection string has none).</summary>
    public string PasswordVariable { get; init; } = "METARL_DB_PASSWORD";

    public void Validate(OptionErrors errors)
    {
        errors.Require(Provider is Sqlite or PostgreSql, "persistence.provider", Provider, $"{Sqlite} or {PostgreSql}");
        if (Provider == PostgreSql)
            errors.Require(!string.IsNullOrWhiteSpace(ConnectionString), "persistence.connectionString", ConnectionString, "an Npgsql connection string (Host=…;Database=…;Username=…) for postgresql");
        errors.Require(!string.IsNullOrWhiteSpace(PasswordVariable), "persistence.passwordVariable", PasswordVariable, "an environment variable's name");
    }
}

/// <summary>Config key <c>cluster</c>: how a clustered run (<c>metarl train --cluster-port</c>) is shared out and who may join it.</summary>
public sealed record ClusterConfig
{
    /// <summary>
    /// The secret a node must prove it holds to join (HMAC of a fresh challenge; never sent). Null: the environment
    /// variable <c>METARL_CLUSTER_SECRET</c>, or none. Not saved with the run's config.
    /// </summary>
    public string? Secret { get; init; }

    /// <summary>Shards the agents are spread over: about ten per node of the largest cluster the run will see.</summary>
    public int Shards { get; init; } = 100;

    /// <summary>The secret in force: the config's, else the environment's, else none.</summary>
    public string? EffectiveSecret => Secret is { Length: > 0 } s ? s
        : Environment.GetEnvironmentVariable(MetaRL.Actors.Cluster.JoinSecret.EnvironmentVariable) is { Length: > 0 } e ? e : null;

    public void Validate(OptionErrors errors) => errors.Between("cluster.shards", Shards, 1, 100_000);
}

/// <summary>Held-out evaluation (config key <c>eval</c>): during training (<see cref="Every"/>) and after it (<c>metarl eval</c>'s default trials).</summary>
public sealed record EvalConfig
{
    /// <summary>Trials per split (test and ood) for the adaptation curve and the baselines; also the trials of each evaluation during training.</summary>
    public int Trials { get; init; } = 2000;

    /// <summary>
    /// Updates between evaluations during training (0: none): the frozen current policy on <see cref="Trials"/> test
    /// tasks (seed <see cref="Seed"/>, sampled actions, as <c>metarl eval</c>), written to metrics.csv as eval_mean
    /// and eval_stderr; the run's last update is evaluated too.
    /// </summary>
    public int Every { get; init; }

    /// <summary>The evaluation seed during training: which test tasks and env draws (the same as <c>metarl eval --seed</c> and <c>metarl baselines --seed</c>).</summary>
    public int Seed { get; init; }
}

/// <summary>
/// A meta-training run, bound from <c>config/*.json</c> and overridable with <c>--set key=value</c>
/// (e.g. <c>--set ppo.clip=0.2</c>). Saved beside the run's outputs as <c>runs/&lt;name&gt;/config.json</c>.
/// </summary>
public sealed record TrainConfig
{
    /// <summary>The run's name: its folder is <c>runs/&lt;name&gt;</c>.</summary>
    public string Name { get; init; } = "run";

    /// <summary>Seeds everything: parameters, tasks, envs, action draws, minibatches.</summary>
    public int Seed { get; init; } = 1;

    public EnvConfig Env { get; init; } = new();

    /// <summary>Episodes per trial (bandits: pulls); 0 takes the family's suggestion.</summary>
    public int EpisodesPerTrial { get; init; }

    /// <summary>Learner updates to run.</summary>
    public int Updates { get; init; } = 200;

    /// <summary>Wall-clock budget in minutes: training stops after this even if updates remain (0: none).</summary>
    public double MaxMinutes { get; init; }

    /// <summary>
    /// libtorch intra-op threads of every thread that runs a model: each inference batcher's and the learner's
    /// own thread, and the host thread (model creation, evaluation). libtorch's thread count is per thread.
    /// </summary>
    public int TorchThreads { get; init; } = 1;

    /// <summary>
    /// Threads of OpenBLAS's pool, which runs libtorch's matrix products and which <see cref="TorchThreads"/> does
    /// not reach; process-wide; 0 leaves OpenBLAS's own choice (all cores). Default 1: OpenBLAS's extra workers
    /// busy-wait between products, and on 2 cores that took a core from the agents and the learner (a lockstep
    /// bandit run: 0.90 s an update with all cores, 0.84 s with one).
    /// </summary>
    public int BlasThreads { get; init; } = 1;

    /// <summary>
    /// Threads the learner computes each PPO minibatch step on (<see cref="Policies.Algorithms.LearnerThreads"/>): the
    /// minibatch's trials are cut into this many parts computed at once, each on its own copy of the model with
    /// <see cref="TorchThreads"/> libtorch threads, and their gradients summed (the same gradient, up to summation
    /// order). Default 1. A lockstep population's agents idle while the learner updates, so on a 2-core machine 2
    /// gives the learner both cores.
    /// </summary>
    public int LearnerThreads { get; init; } = 1;

    /// <summary>Updates between checkpoints of the learner (one is also saved at the end and on a clean stop).</summary>
    public int CheckpointEvery { get; init; } = 10;

    public PersistenceConfig Persistence { get; init; } = new();

    /// <summary>
    /// <c>Ppo</c> (default): an in-context learner (<see cref="Model"/>) trained with PPO by the population. <c>Maml</c> or
    /// <c>Reptile</c>: a gradient-based meta-learner (<see cref="Maml"/>) for Box-action families, trained task by task
    /// (<see cref="MetaGradientRun"/>).
    /// </summary>
    public Policies.Maml.MetaAlgorithm Algorithm { get; init; } = Policies.Maml.MetaAlgorithm.Ppo;

    public Policies.Maml.MetaGradientOptions Maml { get; init; } = new();

    public PopulationOptions Population { get; init; } = new();
    public ModelOptions Model { get; init; } = new();
    public PpoOptions Ppo { get; init; } = new();
    public EvalConfig Eval { get; init; } = new();
    public ClusterConfig Cluster { get; init; } = new();

    /// <summary>Each group's env options for <paramref name="split"/> (the env's, with the group's schedule), or null without groups.</summary>
    public IReadOnlyList<EnvOptions>? GroupEnvOptions(Environments.Tasks.TaskSplit split) =>
        Population.Groups is { Count: > 0 } groups
            ? groups.Select(g => (Env with { Schedule = g.Schedule }).ToOptions(split)).ToArray()
            : null;

    /// <summary>Every problem with this config, each naming its key, value and what was expected.</summary>
    public OptionErrors Validate()
    {
        var errors = new OptionErrors();
        errors.Require(!string.IsNullOrWhiteSpace(Name) && Name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && Name is not ("." or ".."),
            "name", Name, "a non-empty folder name without / or other path characters");
        errors.Require(EnvCatalog.TryGet(Env.Name, out _), "env.name", Env.Name, $"one of {string.Join(", ", EnvCatalog.Names)}");
        errors.Between("episodesPerTrial", EpisodesPerTrial, 0, 100_000);
        errors.Between("updates", Updates, 1, 10_000_000);
        errors.Between("checkpointEvery", CheckpointEvery, 1, 10_000_000);
        foreach (var (key, value, max) in new[] { ("env.arms", Env.Arms, 1000), ("env.states", Env.States, 10_000), ("env.actions", Env.Actions, 1000),
                     ("env.size", Env.Size, 1000), ("env.hallways", Env.Hallways, 1000), ("env.horizon", Env.Horizon, 100_000) })
            if (value is { } v) errors.Require(v <= max, key, v, $"a whole number up to {max}");
        if (Env.Schedule is not null)
        {
            try
            {
                ScheduleSpec.Parse(Env.Schedule);
            }
            catch (ScheduleFormatException e)
            {
                errors.Invalid("env.schedule", Env.Schedule, $"{e.Reason}; allowed: {ScheduleSpec.Forms}");
            }
        }
        if (Env.Schedule is not null && Population.Groups is { Count: > 0 })
            errors.Invalid("env.schedule", Env.Schedule, "population.groups is set too; give each group its schedule (a group without one is stationary)");
        Persistence.Validate(errors);
        Cluster.Validate(errors);
        errors.AtLeast("torchThreads", TorchThreads, 1);
        errors.AtLeast("blasThreads", BlasThreads, 0);
        errors.Between("learnerThreads", LearnerThreads, 1, 64);
        errors.Require(double.IsFinite(MaxMinutes) && MaxMinutes >= 0, "maxMinutes", MaxMinutes, "a number >= 0");
        errors.Between("eval.trials", Eval.Trials, 1, 1_000_000);
        errors.Between("eval.every", Eval.Every, 0, 10_000_000);
        Population.Validate(errors);
        Maml.Validate(errors);
        Model.Validate(errors);
        Ppo.Validate(errors);
        return errors;
    }
}
