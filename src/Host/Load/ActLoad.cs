using Akka.Actor;
using MetaRL.Actors;
using MetaRL.Actors.Hosting;
using MetaRL.Actors.Inference;
using MetaRL.Environments.Bandits;
using MetaRL.Environments.Tasks;
using MetaRL.Environments.Wrappers;
using MetaRL.Host.Training;
using MetaRL.Load;
using MetaRL.Policies;

namespace MetaRL.Host.Load;

/// <summary>
/// The workload "agents stepping bandit trials" against real inference batchers (async mode): each copy is an agent
/// with its own Bernoulli bandit (k = 5), RL² input and memory, playing whole trials of <see cref="Pulls"/> pulls; each
/// pull's act request to its batcher and the reply is the step <c>act</c>, whose latency includes waiting for a batch
/// to fill (or <c>maxWait</c>) and the GRU's batched forward pass. Nothing learns: the parameters are version 0.
/// </summary>
internal sealed class ActLoad : IDisposable
{
    public const int Arms = 5, Pulls = 100;

    private readonly ActorSystem _system;
    private readonly IActorRef[] _batchers;
    private readonly TrainingSetup _setup;
    private readonly int _memorySize;

    /// <param name="capacity">The most agents that may ask at once (each batcher is built for its share).</param>
    public ActLoad(int capacity, int batchers, int hidden, int maxBatch, TimeSpan maxWait)
    {
        var config = new TrainConfig { Env = new EnvConfig { Name = "bernoulli-bandit", Arms = Arms }, EpisodesPerTrial = Pulls, Model = new ModelOptions { Hidden = hidden } };
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
        var setup = _setup;
        _batchers = new IActorRef[batchers];
        for (int b = 0; b < batchers; b++)
        {
            int served = capacity / batchers + (b < capacity % batchers ? 1 : 0);
            var settings = new BatcherSettings(BatchingMode.Async, served, Math.Min(maxBatch, served), maxWait, 1, Seed: 17 + b, Index: b);
            _batchers[b] = _system.ActorOf(FactoryProps.Create(() => new InferenceBatcher(() => new InContextPolicy(setup.NewModel()), settings, new InferenceStatistics()))
                .WithDispatcher(MetaRlAkka.ComputeDispatcher), $"batcher-{b}");
            _batchers[b].Tell(new ParametersUpdated(0, parameters));
        }
    }

    /// <summary>One copy's work: one trial of <see cref="Pulls"/> pulls by agent <c>ctx.Copy</c>.</summary>
    public async Task Trial(ScenarioContext ctx)
    {
        int agent = (int)(ctx.Copy % int.MaxValue);
        var batcher = _batchers[agent % _batchers.Length];
        var rng = new Random(agent);
        var env = new BernoulliBanditEnv(new UniformBanditDistribution(Arms, TaskSplit.Train).Sample(rng), agent);
        var input = new Rl2Input<int, int>(env.ObservationSpace, env.ActionSpace, Pulls);
        var x = new float[_setup.InputSize];
        var memory = new float[_memorySize];
        input.BeginTrial();
        var (obs, _) = env.Reset();
        for (int pull = 0; pull < Pulls && !ctx.Ended.IsCancellationRequested; pull++)
        {
            input.Write(obs, x);
            ActReply? reply = null;
            // Arrays go by reference on one node (as the agent actor's do): the batcher copies x and writes memory back before it replies.
            bool ok = await ctx.Step("act", async () =>
            {
                reply = await batcher.Ask<ActReply>(new ActRequest(agent, 0, x, memory, pull), TimeSpan.FromSeconds(30), ctx.Ended).ConfigureAwait(false);
                return (x.Length + memory.Length) * sizeof(float);
            }).ConfigureAwait(false);
            if (!ok) return;
            var step = env.Step(reply!.Action);
            input.Record(reply.Action, step.Reward, step.Done);
            obs = step.Obs;
            if (step.Done) (obs, _) = env.Reset();
        }
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(20));
}
