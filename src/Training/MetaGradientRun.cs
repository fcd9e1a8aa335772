using System.Diagnostics;
using System.Globalization;
using MetaRL.Actors.Population;
using MetaRL.Environments;
using MetaRL.Environments.Baselines;
using MetaRL.Environments.Policies;
using MetaRL.Environments.Tasks;
using MetaRL.Policies;
using MetaRL.Policies.Maml;
using static MetaRL.Torch.torch;

namespace MetaRL.Training;

/// <summary>One meta-update of a MAML or Reptile run, as observers see it.</summary>
/// <param name="PreUpdateReturn">The tasks' mean episode return with θ, before adapting.</param>
/// <param name="PostUpdateReturn">After the inner steps.</param>
public sealed record MetaGradientProgress(long Update, int Updates, double Seconds, double PreUpdateReturn, double PostUpdateReturn);

/// <summary>A MAML or Reptile policy's adaptation on held-out tasks: the mean episode return after 0, 1, … inner steps, beside random actions.</summary>
public sealed record MetaGradientEvaluation(string Algorithm, int Tasks, int EpisodesPerStep, IReadOnlyList<(double Mean, double StdErr)> ByStep,
    double Random, double RandomStdErr);

/// <summary>
/// A gradient-based meta-learning run (config <c>algorithm: Maml</c> or <c>Reptile</c>, docs/architecture.md §3): the
/// <see cref="MetaGradientTrainer"/> samples its tasks from the train split and runs its own rollouts, task by task,
/// on this thread; metrics.csv gets one row an update (update, seconds, pre- and post-update return), model.pt the
/// policy at every checkpoint and at the end. A resumed run starts from model.pt's update with Adam's moments afresh.
/// MAML needs each task's own adapted parameters to sample its post-update episodes, so the population (one batcher
/// serving one parameter vector to many agents) does not run it.
/// </summary>
internal static class MetaGradientRun
{
    public const string Header = "update,seconds,pre_update_return,post_update_return";

    /// <summary>Refuses a config this run cannot train: a family whose observations or actions are not Box vectors.</summary>
    public static void Check(TrainConfig config)
    {
        var family = EnvCatalog.Get(config.Env.Name);
        if (family.ObservationType != typeof(float[]) || family.ActionType != typeof(float[]))
            throw new ArgumentException($"algorithm = {config.Algorithm}: env \"{family.Name}\" has {family.ObservationType.Name} observations and " +
                $"{family.ActionType.Name} actions; MAML and Reptile here train Gaussian policies over Box observations and actions (e.g. point-navigation)");
        if (config.Population.Groups is { Count: > 0 } || config.Env.Schedule is not null)
            throw new ArgumentException($"algorithm = {config.Algorithm}: population.groups and env.schedule apply to the population's runs (algorithm = Ppo)");
        if (config.Eval.Every > 0)
            throw new ArgumentException($"algorithm = {config.Algorithm}: eval.every applies to the population's runs (algorithm = Ppo); " +
                "a MAML or Reptile run is scored by `metarl eval` (its adaptation step by step)");
    }

    public static TrainOutcome Run(TrainConfig config, RunFolder run, RunStatus status, bool resume, Action<MetaGradientProgress> onUpdate, CancellationToken cancel)
    {
        Check(config);
        return EnvCatalog.Get(config.Env.Name).WithTypes(new Training(config, run, status, resume, onUpdate, cancel));
    }

    public static MetaGradientEvaluation Evaluate(TrainConfig config, RunFolder run, int seed)
    {
        Check(config);
        return EnvCatalog.Get(config.Env.Name).WithTypes(new Evaluation(config, run, seed));
    }

    private static GaussianMlp NewPolicy<TTask>(TrainConfig config, EnvFamily<float[], float[], TTask> family, EnvOptions options)
    {
        var env = family.CreateEnv(options, family.CreateDistribution(options).Sample(new Random(0)));
        return new GaussianMlp(env.ObservationSpace.FlatSize, env.ActionSpace.FlatSize, config.Maml.Hidden);
    }

    private static EnvFamily<float[], float[], TTask> Boxed<TObs, TAction, TTask>(EnvFamily<TObs, TAction, TTask> family) =>
        family as EnvFamily<float[], float[], TTask> ?? throw new ArgumentException($"env \"{family.Name}\" needs Box observations and actions");

    private sealed class Training(TrainConfig config, RunFolder run, RunStatus status, bool resume, Action<MetaGradientProgress> onUpdate,
        CancellationToken cancel) : IFamilyCode<TrainOutcome>
    {
        public TrainOutcome Run<TObs, TAction, TTask>(EnvFamily<TObs, TAction, TTask> anyFamily)
        {
            var family = Boxed(anyFamily);
            var options = config.Env.ToOptions(TaskSplit.Train);
            set_num_threads(config.TorchThreads);
            if (config.BlasThreads > 0) set_blas_threads(config.BlasThreads);
            manual_seed((ulong)(uint)config.Seed);
            using var policy = NewPolicy(config, family, options);
            long start = resume && status.Update > 0 && File.Exists(run.ModelFile) ? ModelFile.Load(run.ModelFile, policy, config) : 0;
            using var trainer = new MetaGradientTrainer(policy, config.Algorithm, config.Maml);
            var tasks = family.CreateDistribution(options);
            var clock = Stopwatch.StartNew();
            var budget = config.MaxMinutes > 0 ? TimeSpan.FromMinutes(config.MaxMinutes) : TimeSpan.MaxValue;
            double before = status.WallSeconds;
            // A resumed run keeps the rows of the updates its model holds; later ones (past the checkpoint) are redone.
            var rows = resume && File.Exists(run.MetricsFile) ? File.ReadAllLines(run.MetricsFile).Skip(1).Take((int)start).ToList() : [];
            long version = start, saved = start;
            string reason = $"ran {config.Updates} updates";
            for (long u = start + 1; u <= config.Updates; u++)
            {
                if (cancel.IsCancellationRequested)
                {
                    reason = "cancelled";
                    break;
                }
                if (clock.Elapsed >= budget)
                {
                    reason = $"the {config.MaxMinutes} min budget ran out";
                    break;
                }
                // An update's tasks and rollouts come from (seed, update) alone: a resumed run draws what the run it continues would have.
                var rng = new Random(TaskSeeds.Mix(config.Seed, 21, (int)u));
                var batch = Enumerable.Range(0, config.Maml.TasksPerUpdate).Select(_ => tasks.Sample(rng)).ToArray();
                MetaUpdateResult result;
                try
                {
                    result = trainer.Update(batch, t => family.CreateEnv(options, t), rng);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // The run stops where its last checkpoint left it (the parameters of a failed update are not trusted),
                    // and says why; --resume continues from there once the cause is mended.
                    return new TrainOutcome([], saved, $"update {u} failed", clock.Elapsed, 0,
                        new PopulationFailure($"the {config.Algorithm} trainer, update {u}", e), StartVersion: start);
                }
                version = u;
                double seconds = before + clock.Elapsed.TotalSeconds;
                rows.Add(string.Create(CultureInfo.InvariantCulture, $"{u},{seconds:0.######},{result.PreUpdateReturn:0.######},{result.PostUpdateReturn:0.######}"));
                if (u % config.CheckpointEvery == 0) saved = Save(policy, version, seconds, rows);
                onUpdate(new MetaGradientProgress(u, config.Updates, seconds, result.PreUpdateReturn, result.PostUpdateReturn));
            }
            Save(policy, version, before + clock.Elapsed.TotalSeconds, rows);
            return new TrainOutcome([], version, reason, clock.Elapsed, 0, StartVersion: start);
        }

        /// <returns>The version saved.</returns>
        private long Save(GaussianMlp policy, long version, double seconds, List<string> rows)
        {
            File.WriteAllLines(run.MetricsFile, [Header, .. rows]);
            ModelFile.Save(run.ModelFile, policy, ParameterVector.Get(policy), version, config);
            (status with { Update = version, WallSeconds = seconds }).Write(run);
            return version;
        }
    }

    private sealed class Evaluation(TrainConfig config, RunFolder run, int seed) : IFamilyCode<MetaGradientEvaluation>
    {
        public MetaGradientEvaluation Run<TObs, TAction, TTask>(EnvFamily<TObs, TAction, TTask> anyFamily)
        {
            var family = Boxed(anyFamily);
            var options = config.Env.ToOptions(TaskSplit.Test);
            manual_seed((ulong)(uint)config.Seed);
            using var policy = NewPolicy(config, family, options);
            ModelFile.Load(run.ModelFile, policy, config);
            using var trainer = new MetaGradientTrainer(policy, config.Algorithm, config.Maml);
            var tasks = BaselineEvaluator.Tasks(family.CreateDistribution(options), config.Maml.EvalTasks, seed);
            var byStep = new double[tasks.Length][];
            for (int i = 0; i < tasks.Length; i++)
            {
                using var scope = NewDisposeScope();
                byStep[i] = trainer.Adapt(tasks[i], t => family.CreateEnv(options, t), config.Maml.EvalSteps, new Random(TaskSeeds.Mix(seed, 31, i))).Returns;
            }
            var steps = Enumerable.Range(0, config.Maml.EvalSteps + 1)
                .Select(s => BaselineEvaluator.Summarise("", byStep.Select(b => b[s]).ToArray()))
                .Select(r => (r.Mean, r.StdErr)).ToArray();
            // Random actions on the same tasks: one episode's return, averaged over as many episodes as a step samples.
            var space = family.CreateEnv(options, tasks[0]).ActionSpace;
            var scores = BaselineEvaluator.Scores(tasks, (t, _) => family.CreateEnv(options, t), () => new RandomActions<float[], float[]>(space),
                config.Maml.EpisodesPerTask, seed);
            var random = BaselineEvaluator.Summarise("Random", scores.Select(s => s / config.Maml.EpisodesPerTask).ToArray());
            return new MetaGradientEvaluation(config.Algorithm.ToString(), tasks.Length, config.Maml.EpisodesPerTask, steps, random.Mean, random.StdErr);
        }
    }
}
