using Akka.Actor;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Population;
using MetaRL.Actors.Tests.TestDoubles;
using MetaRL.Environments;
using MetaRL.Environments.Bandits;
using MetaRL.Environments.Tasks;
using MetaRL.Policies;
using MetaRL.Policies.Algorithms;
using MetaRL.Policies.Rl2;
using MetaRL.Policies.Transformer;
using Xunit.Abstractions;
using static MetaRL.Torch.torch;

namespace MetaRL.Actors.Tests;

/// <summary>Whole populations meta-training RL² on small bandits, end to end through the actor system.</summary>
public sealed class PopulationTests(ITestOutputHelper output) : ActorsTestKit(output)
{
    private const int Arms = 2;
    private const int Pulls = 10;
    private const int Hidden = 8;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private const int InputSize = 1 + Arms + 2;

    private static InContextModel Gru() => new Rl2Model(InputSize, Arms, Hidden);

    private static InContextModel Transformer() => new TransformerModel(InputSize, Arms, width: 8, layers: 1, heads: 2, context: Pulls);

    private int _populations;

    /// <summary>The next progress report; a failure instead fails the test with what the population reported.</summary>
    private static PopulationProgress NextProgress(Akka.TestKit.TestProbe reports) => reports.ExpectMsg<object>(Timeout) switch
    {
        PopulationProgress p => p,
        PopulationFailure f => throw new Xunit.Sdk.XunitException($"the population failed: {f} {f.Error}"),
        var other => throw new Xunit.Sdk.XunitException($"expected progress, got {other}"),
    };

    /// <summary>Starts a population whose observer reports to a new probe; the caller expects its messages.</summary>
    private (IActorRef Population, Akka.TestKit.TestProbe Reports) Start(PopulationSpec<int, int, BanditTask> spec)
    {
        var reports = CreateTestProbe();
        var population = Sys.ActorOf(Props.Create(() => new Population<int, int, BanditTask>(spec, new ProbeObserver(reports.Ref))), $"population-{_populations++}");
        return (population, reports);
    }

    private static PopulationSpec<int, int, BanditTask> Spec(int seed, int agents, int updates, BatchingMode mode, Func<IPolicyTrainer> trainer,
        Func<IInContextPolicy> policy, int memorySize, Func<ITaskEnv<int, int, BanditTask>, int, ITaskEnv<int, int, BanditTask>>? wrap = null) =>
        new(EnvCatalog.Get<int, int, BanditTask>("bernoulli-bandit"), new EnvOptions(Arms: Arms, Split: TaskSplit.Train), Pulls,
            new PopulationOptions { Agents = agents, Batchers = 2, Mode = mode, MaxBatch = Math.Max(1, agents / 4), MaxWaitMs = 1, MaxPolicyLag = 100 },
            policy, memorySize, trainer, updates, seed, wrap);

    /// <summary>A PPO population on the given model; version 0 is drawn from the seeded generator before anything starts.</summary>
    private IReadOnlyList<PopulationProgress> Train(int seed, int agents, int updates, BatchingMode mode = BatchingMode.Lockstep,
        Func<ITaskEnv<int, int, BanditTask>, int, ITaskEnv<int, int, BanditTask>>? wrap = null, Func<InContextModel>? model = null)
    {
        model ??= Gru;
        manual_seed((ulong)seed);
        float[] initial;
        int memorySize;
        using (var m = model())
        {
            initial = ParameterVector.Get(m);
            memorySize = m.MemorySize;
        }
        var spec = Spec(seed, agents, updates, mode, () =>
        {
            var m = model();
            ParameterVector.Load(m, initial);
            return new PpoTrainer(m, new PpoOptions { Minibatches = 2, Epochs = 2 }, seed);
        }, () => new InContextPolicy(model()), memorySize, wrap);
        var (population, reports) = Start(spec);
        var progress = Enumerable.Range(0, updates).Select(_ => NextProgress(reports)).ToArray();
        Watch(population);
        Sys.Stop(population);
        ExpectTerminated(population, Timeout);
        return progress;
    }

    [Fact]
    public void Two_lockstep_runs_with_one_seed_give_identical_parameters_and_scores()
    {
        var a = Train(seed: 5, agents: 16, updates: 3);
        var b = Train(seed: 5, agents: 16, updates: 3);
        var c = Train(seed: 6, agents: 16, updates: 3);
        Assert.Equal(a.Select(p => p.Update.MeanScore), b.Select(p => p.Update.MeanScore));
        Assert.Equal(a[2].Update.Parameters, b[2].Update.Parameters);
        Assert.Equal(a.Select(p => p.Update.PolicyLoss), b.Select(p => p.Update.PolicyLoss));
        // …and the comparison can fail: another seed draws other tasks and actions.
        Assert.NotEqual(a.Select(p => p.Update.MeanScore), c.Select(p => p.Update.MeanScore));
        Assert.NotEqual(a[2].Update.Parameters, c[2].Update.Parameters);
    }

    [Fact]
    public void A_transformer_population_carries_its_key_value_cache_through_the_actors_reproducibly()
    {
        // The cache (the transformer's memory) travels as the GRU state does; a lockstep run is still bit-reproducible.
        var a = Train(seed: 7, agents: 16, updates: 3, model: Transformer);
        var b = Train(seed: 7, agents: 16, updates: 3, model: Transformer);
        Assert.Equal(a.Select(p => p.Update.MeanScore), b.Select(p => p.Update.MeanScore));
        Assert.Equal(a[2].Update.Parameters, b[2].Update.Parameters);
        Assert.All(a, p => Assert.False(p.Update.Skipped));
        Assert.Equal(3 * 16, a.Sum(p => p.Update.Trials)); // every trial of 10 pulls fits the 10-step context
    }

    [Fact]
    public void An_async_transformer_population_batches_agents_at_different_steps_and_each_row_reads_only_its_own_trial()
    {
        // Async batches close at maxBatch (8 of a batcher's 16 agents) or on the deadline, so rows at different
        // steps of different trials share a forward pass, each with its own key/value cache. Every log-probability
        // an agent recorded must still be what the whole-trial forward pass of the same parameters gives for its
        // trial alone: the trials of the first update were all acted with version 0, the initial parameters.
        manual_seed(8);
        float[] initial;
        int memorySize;
        using (var m = Transformer())
        {
            initial = ParameterVector.Get(m);
            memorySize = m.MemorySize;
        }
        TrialTap? tap = null;
        var spec = Spec(8, 32, 3, BatchingMode.Async, () =>
        {
            var m = Transformer();
            ParameterVector.Load(m, initial);
            return tap = new TrialTap(new PpoTrainer(m, new PpoOptions { Minibatches = 2, Epochs = 2 }, 8));
        }, () => new InContextPolicy(Transformer()), memorySize);
        var (population, reports) = Start(spec);
        var progress = Enumerable.Range(0, 3).Select(_ => NextProgress(reports)).ToArray();
        Sys.Stop(population);
        Assert.Equal([1L, 2, 3], progress.Select(p => p.Update.Version));
        Assert.All(progress, p => Assert.False(p.Update.Skipped));
        Assert.InRange(progress[^1].MeanBatch, 1, 8);

        Trajectory[] first;
        lock (tap!.Batches) first = tap.Batches[0];
        Assert.All(first, t => Assert.Equal((0L, 0L), (t.OldestPolicyVersion, t.NewestPolicyVersion)));
        using var model = Transformer();
        ParameterVector.Load(model, initial);
        using var _ = no_grad();
        foreach (var t in first)
        {
            using var scope = NewDisposeScope();
            var (logits, _) = model.ForwardTrials(tensor(t.Inputs, [t.Steps, 1, t.InputSize]));
            var logProbs = logits.log_softmax(-1).reshape(t.Steps, Arms).ToArray<float>();
            for (int step = 0; step < t.Steps; step++)
                Assert.Equal(logProbs[step * Arms + t.Actions[step]], t.LogProbs[step], 4);
        }
    }

    [Theory]
    [InlineData(BatchingMode.Lockstep)]
    [InlineData(BatchingMode.Async)]
    public void An_env_that_throws_on_1_percent_of_its_steps_does_not_stop_the_population_and_its_faults_are_counted(BatchingMode mode)
    {
        var reports = Train(seed: 3, agents: 32, updates: 4, mode,
            wrap: (env, seed) => new FaultyEnv<int, BanditTask>(env, 0.01, seed));
        Assert.Equal([1L, 2, 3, 4], reports.Select(p => p.Update.Version));
        var last = reports[^1];
        int abandoned = reports.Sum(p => p.Update.Abandoned);
        // Lockstep: 32 agents × 10 pulls × 4 rounds at 1 %, about 13 faults. Async agents run ahead of the
        // learner, so they have taken more steps (and met more faults) by its 4th update.
        if (mode == BatchingMode.Lockstep) Assert.True(last.Faults is >= 3 and <= 40, $"faults {last.Faults}, abandoned {abandoned}, steps {last.EnvSteps}, trials {last.Trials}");
        else Assert.True(last.Faults >= 3);
        Assert.True(abandoned > 0 && abandoned <= last.Faults, $"abandoned {abandoned}, faults {last.Faults}");
        Assert.All(reports, p => Assert.False(p.Update.Skipped));
        Assert.True(reports.Sum(p => p.Update.Trials) >= 4 * 32 - last.Faults);
    }

    [Fact]
    public void An_update_with_a_nan_loss_is_skipped_and_reported_and_training_goes_on()
    {
        // Agent 0's env returns NaN as the reward of its 3rd step: the first update's loss is NaN.
        var reports = Train(seed: 4, agents: 8, updates: 3,
            wrap: (env, seed) => new PoisonedRewardEnv<int, BanditTask>(env, seed == FirstEnvSeedOfAgent0() ? 2 : int.MaxValue));
        Assert.True(reports[0].Update.Skipped);
        Assert.Contains("not finite", reports[0].Update.SkipReason);
        Assert.Equal(reports[0].Update.Parameters, InitialParameters(seed: 4));
        Assert.False(reports[1].Update.Skipped);
        Assert.False(reports[2].Update.Skipped);
    }

    private static int FirstEnvSeedOfAgent0() => TaskSeeds.Mix(TaskSeeds.Mix(4, 2, 0), 0, 1);

    private static float[] InitialParameters(int seed)
    {
        manual_seed((ulong)seed);
        using var model = new Rl2Model(InputSize, Arms, Hidden);
        return ParameterVector.Get(model);
    }
}
