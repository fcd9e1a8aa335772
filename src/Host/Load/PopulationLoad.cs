using System.Diagnostics;
using Akka.Actor;
using MetaRL.Actors;
using MetaRL.Actors.Agents;
using MetaRL.Actors.Hosting;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Learning;
using MetaRL.Environments;
using MetaRL.Environments.Bandits;
using MetaRL.Environments.Tasks;
using MetaRL.Environments.Wrappers;
using MetaRL.Host.Training;
using MetaRL.Load;
using MetaRL.Policies;

namespace MetaRL.Host.Load;

/// <summary>The population a load runs against: its size and batching, and whether a learner trains on the trials.</summary>
/// <param name="Agents">The most agents that may ask at once (each batcher is built for its share).</param>
/// <param name="Learn">A real PPO learner takes every trial and broadcasts new parameters; without it version 0 acts throughout.</param>
internal sealed record PopulationLoadOptions(int Agents, int Batchers = 1, int Hidden = 64, int MaxBatch = 1024, double MaxWaitMs = 2,
    bool Learn = true, int TrialsPerUpdate = 256, int MaxPolicyLag = 2);

/// <summary>
/// The workload "agents stepping bandit trials" against the population's real actors: inference batchers in async mode
/// (supervised, <see cref="BatcherGroup"/>) and, unless told otherwise, a PPO <see cref="Learner"/> that trains on the
/// trials and broadcasts parameters to them. Each copy is an agent, as an agent actor would be: its own Bernoulli
/// bandit (k = 5), RL² input, GRU memory and trial buffer, playing whole trials of <see cref="Pulls"/> pulls. Steps:
/// <c>act</c> (request → reply: waiting for a batch and the forward pass; resent if the batcher restarts), <c>env</c>
/// (the env's step; failed: it threw), and the learner's <c>trial</c>, <c>update</c> and <c>params</c>
/// (<see cref="LearnerProbe"/>). Faults are injected only in their phases (<see cref="LoadFault"/>).
/// </summary>
internal sealed class PopulationLoad : IDisposable
{
    public const int Arms = 5, Pulls = 100;

    /// <summary>With <see cref="LoadFault.NanRewards"/>, one trial in this many ends on a NaN reward (the phase's first trial, then every this many).</summary>
    public const int NanRewardEvery = 1000;

    /// <summary>With <see cref="LoadFault.SlowEnvs"/>, how long a slow env's step takes.</summary>
    public static readonly TimeSpan SlowStep = TimeSpan.FromMilliseconds(10);

    private readonly ActorSystem _system;
    private readonly IActorRef _group;
    private readonly IActorRef[] _batchers;
    private readonly RestartSignals _restarts;
    private readonly TrialQueue? _trials;
    private readonly TrainingSetup _setup;
    private readonly int _memorySize;
    private readonly ActorPath _inboxPath;
    private readonly IReadOnlyDictionary<string, LoadFault> _faults;
    private readonly int[] _active; // agents asking each batcher now (an open load may bring more than it was built for)
    private readonly int[] _served;
    private readonly long[] _acted; // a bit per agent that has had its first reply
    private long _actedCount;
    private readonly Stopwatch _clock = new();
    private double _firstRoundSeconds = double.NaN;
    private long _trialsEnded;
    private long _nanRewards;

    public PopulationLoad(PopulationLoadOptions options, StepRecorder steps, IReadOnlyDictionary<string, LoadFault>? faults = null)
    {
        Options = options;
        _faults = faults ?? new Dictionary<string, LoadFault>();
        var config = new TrainConfig { Env = new EnvConfig { Name = "bernoulli-bandit", Arms = Arms }, EpisodesPerTrial = Pulls, Model = new ModelOptions { Hidden = options.Hidden } };
        _setup = TrainingSetup.From(config);
        float[] parameters;
        using (var template = _setup.NewModel())
        {
            parameters = ParameterVector.Get(template);
            _memorySize = template.MemorySize;
        }
        // Akka's info lines (its shutdown) would land among the report on stdout.
        _system = ActorSystem.Create("metarl-load", Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING")
            .WithFallback(MetaRlAkka.Config));
        _inboxPath = new RootActorPath(((ExtendedActorSystem)_system).Provider.DefaultAddress) / "temp" / "load-agent";
        var setup = _setup;
        _restarts = new RestartSignals(options.Batchers);
        _active = new int[options.Batchers];
        _served = Enumerable.Range(0, options.Batchers).Select(b => options.Agents / options.Batchers + (b < options.Agents % options.Batchers ? 1 : 0)).ToArray();
        _acted = new long[(options.Agents + 63) / 64];
        var batcherProps = Enumerable.Range(0, options.Batchers).Select(b =>
        {
            int served = _served[b];
            var settings = new BatcherSettings(BatchingMode.Async, served, Math.Min(options.MaxBatch, served), TimeSpan.FromMilliseconds(options.MaxWaitMs), 1, Seed: 17 + b, Index: b);
            return FactoryProps.Create(() => new InferenceBatcher(() => new InContextPolicy(setup.NewModel()), settings, new InferenceStatistics()))
                .WithDispatcher(MetaRlAkka.ComputeDispatcher);
        }).ToArray();
        _group = _system.ActorOf(FactoryProps.Create(() => new BatcherGroup(batcherProps, _restarts, parameters)), "batchers");
        _batchers = _group.Ask<IActorRef[]>(BatcherGroup.GetBatchers.Instance, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        if (options.Learn)
        {
            var learnerSettings = new LearnerSettings(BatchingMode.Async, options.TrialsPerUpdate, options.MaxPolicyLag, TotalUpdates: int.MaxValue / 2);
            var trainer = RunSpecs.Trainer(setup, config, parameters);
            var batchers = _batchers;
            var group = _group;
            // The probe is the learner's reportTo, so it is made first; the queue learns the learner's address once it exists.
            var queue = _trials = new TrialQueue();
            var probe = _system.ActorOf(FactoryProps.Create(() => new LearnerProbe(queue, steps, batchers, group)), "learner-probe");
            var learner = _system.ActorOf(FactoryProps.Create(() => new Learner(trainer, learnerSettings, batchers, probe, null)).WithDispatcher(MetaRlAkka.ComputeDispatcher), "learner");
            queue.Learner = learner;
            _group.Tell(new BatcherGroup.UseLearner(learner)); // the learner sends version 0 to the batchers when it starts
        }
        else
            foreach (var b in _batchers) b.Tell(new ParametersUpdated(0, parameters));
    }

    public PopulationLoadOptions Options { get; }

    /// <summary>Figures of the population read at every sample: live tensors, the learner's updates, batcher restarts.</summary>
    public IReadOnlyDictionary<string, double> Gauges() => new Dictionary<string, double>
    {
        ["live_tensors"] = MetaRL.Torch.torch.LiveTensorCount,
        ["updates"] = _trials?.Updates ?? 0,
        ["batcher_restarts"] = _restarts.Count,
        ["nan_rewards"] = Interlocked.Read(ref _nanRewards),
        ["agents_acted"] = Interlocked.Read(ref _actedCount),
    };

    /// <summary>When every agent (of <see cref="PopulationLoadOptions.Agents"/>) had had its first reply, in seconds from the first request; NaN until then.</summary>
    public double FirstRoundSeconds => Volatile.Read(ref _firstRoundSeconds);

    /// <summary>One copy's work: one trial by agent <c>ctx.Copy</c>; an agent beyond what its batcher was built for is turned away (its act step fails).</summary>
    public async Task Trial(ScenarioContext ctx)
    {
        if (!_clock.IsRunning) lock (_clock) if (!_clock.IsRunning) _clock.Start();
        int b = (int)(ctx.Copy % _batchers.Length);
        if (Interlocked.Increment(ref _active[b]) > _served[b])
        {
            Interlocked.Decrement(ref _active[b]);
            await ctx.Step("act", () => throw new InvalidOperationException("the population is full: more agents arrived than the batchers serve")).ConfigureAwait(false);
            return;
        }
        try
        {
            await Play(ctx).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _active[b]);
        }
    }

    private void FirstReply(long agent)
    {
        if (agent >= Options.Agents) return;
        long bit = 1L << (int)(agent % 64);
        if ((Interlocked.Or(ref _acted[agent / 64], bit) & bit) != 0) return;
        if (Interlocked.Increment(ref _actedCount) == Options.Agents) Volatile.Write(ref _firstRoundSeconds, _clock.Elapsed.TotalSeconds);
    }

    /// <summary>One trial of <see cref="Pulls"/> pulls by agent <c>ctx.Copy</c>.</summary>
    private async Task Play(ScenarioContext ctx)
    {
        int agent = (int)(ctx.Copy % int.MaxValue);
        int b = (int)(ctx.Copy % _batchers.Length);
        var batcher = _batchers[b];
        var rng = new Random(agent);
        var env = new BernoulliBanditEnv(new UniformBanditDistribution(Arms, TaskSplit.Train).Sample(rng), agent);
        var input = new Rl2Input<int, int>(env.ObservationSpace, env.ActionSpace, Pulls);
        var inbox = new AgentInbox(_inboxPath, ((ExtendedActorSystem)_system).Provider);
        var x = new float[_setup.InputSize];
        var memory = new float[_memorySize];
        var trial = _trials is null ? null : new TrialBuffer(x.Length); // grows as the agent actor's does
        int trialIndex = (int)Math.Min(int.MaxValue, rng.NextInt64(int.MaxValue)); // keys the batcher's draws: one per trial
        input.BeginTrial();
        var (obs, _) = env.Reset();
        for (int pull = 0; pull < Pulls && !ctx.Ended.IsCancellationRequested; pull++)
        {
            input.Write(obs, x);
            ActReply? reply = null;
            // Arrays go by reference on one node (as the agent actor's do): the batcher copies x and writes memory back before it replies.
            bool ok = await ctx.Step("act", async () =>
            {
                var replied = inbox.Expect();
                var request = new ActRequest(agent, trialIndex, x, memory, pull);
                while (true)
                {
                    var restarted = _restarts.Next(b);
                    batcher.Tell(request, inbox);
                    if (await Task.WhenAny(replied, restarted).WaitAsync(ctx.Ended).ConfigureAwait(false) == replied) break;
                    // The batcher restarted and may have lost the request: ask again (it keeps one if it still holds it).
                }
                reply = await replied.ConfigureAwait(false);
                return (x.Length + memory.Length) * sizeof(float);
            }).ConfigureAwait(false);
            if (!ok) return;
            if (pull == 0) FirstReply(ctx.Copy);
            trial?.AddStep(x, reply!.Action, reply.Vector, reply.LogProb, reply.Value, reply.PolicyVersion);
            var fault = ctx.Phase is { } phase && _faults.TryGetValue(phase, out var f) ? f : (LoadFault?)null;
            StepResult<int> step = default!;
            ok = await ctx.Step("env", () =>
            {
                if (fault == LoadFault.ThrowingEnvs && agent % 100 == 0 && pull == (agent / 100 + trialIndex) % Pulls)
                    throw new InvalidOperationException("an env fault (1 % of envs throw during this phase)");
                if (fault == LoadFault.SlowEnvs && agent % 100 == 1) Thread.Sleep(SlowStep); // blocks its thread, as a slow env in a task actor does
                step = env.Step(reply!.Action);
                return Task.FromResult(0L);
            }).ConfigureAwait(false);
            if (!ok)
            {
                // As the agent actor does: the trial is lost, the learner told, and the copy's next trial starts afresh.
                _trials?.Abandon(agent, trialIndex);
                return;
            }
            double reward = step.Reward;
            if (pull == Pulls - 1 && fault == LoadFault.NanRewards && Interlocked.Increment(ref _trialsEnded) % NanRewardEvery == 1)
            {
                reward = double.NaN;
                Interlocked.Increment(ref _nanRewards);
            }
            trial?.SetOutcome(reward, double.NaN, step.Done);
            input.Record(reply!.Action, reward, step.Done);
            obs = step.Obs;
            if (step.Done) (obs, _) = env.Reset();
        }
        if (trial is { Steps: Pulls }) _trials!.Submit(trial.Complete(agent, trialIndex));
    }

    /// <summary>Kills a batcher (in turn) when <paramref name="phase"/> begins and every <paramref name="every"/> while it lasts.</summary>
    public async Task KillBatchers(Func<string?> phaseNow, string phase, TimeSpan every, CancellationToken ended)
    {
        int kills = 0;
        try
        {
            while (!ended.IsCancellationRequested)
            {
                if (phaseNow() != phase)
                {
                    await Task.Delay(10, ended).ConfigureAwait(false);
                    continue;
                }
                _group.Tell(new BatcherGroup.KillBatcher(kills++ % _batchers.Length));
                var next = Stopwatch.StartNew();
                while (phaseNow() == phase && next.Elapsed < every) await Task.Delay(10, ended).ConfigureAwait(false);
                if (phaseNow() != phase) return;
            }
        }
        catch (OperationCanceledException)
        {
            // the load ended
        }
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(20));
}

/// <summary>A fault the <c>faults</c> scenario injects during its phase.</summary>
internal enum LoadFault
{
    /// <summary>1 % of envs throw (once a trial, at a pull of their own): the trial is abandoned, the agent goes on.</summary>
    ThrowingEnvs,

    /// <summary>1 % of envs take <see cref="PopulationLoad.SlowStep"/> a step, blocking their thread.</summary>
    SlowEnvs,

    /// <summary>One trial in <see cref="PopulationLoad.NanRewardEvery"/> ends on a NaN reward: the update it lands in is not finite and is skipped.</summary>
    NanRewards,

    /// <summary>A batcher is killed at the phase's start and every minute of it; it restarts, reloads the parameters, and its agents ask again.</summary>
    BatcherKills,
}
