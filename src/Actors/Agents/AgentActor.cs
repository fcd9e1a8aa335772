using Akka.Actor;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Tasks;
using MetaRL.Environments.Wrappers;
using MetaRL.Policies.Actions;

namespace MetaRL.Actors.Agents;

/// <summary>Population → agent at start: begin with trial <paramref name="FirstTrial"/> (0 for a new run; where the run left off for a resumed one).</summary>
public sealed record StartAgent(int FirstTrial = 0) : INodeLocalMessage
{
    public static readonly StartAgent Instance = new();
}

/// <summary>
/// One adapting agent (docs/architecture.md §2). It owns its episodic memory (the recurrent state), the trial in progress
/// and the RL² input builder. Memory persists across the episodes of a trial and is zeroed only when a new
/// task is drawn (a new trial, or a fault). Its task actor is its child; an env that throws restarts that
/// child, which tells the agent, and the population goes on.
/// </summary>
public sealed class AgentActor<TObs, TAction> : ReceiveActor
{
    private readonly int _index;
    private readonly Props _taskProps;
    private readonly IActorRef _batcher;
    private readonly IActorRef _learner;
    private readonly AgentStatistics _stats;
    private readonly Rl2Input<TObs, TAction> _rl2;
    private readonly ActionCodec<TAction> _codec;
    private readonly TrialBuffer _trial;
    private readonly float[] _input;
    private readonly float[] _memory;
    private readonly bool _recordMeanRewards;
    private readonly IActorRef? _host;
    private IActorRef _task = ActorRefs.Nobody;
    private bool _started;
    private ActRequest? _awaitingReply; // the request the batcher has not answered yet
    private int _trialIndex;
    private TAction _lastAction = default!;
    private bool _awaitingOutcome;

    /// <param name="recordMeanRewards">Keep the env's mean rewards in the trial (only a learner training on them needs them).</param>
    /// <param name="host">A sharded agent's node host (<see cref="Cluster.NodeHost"/>): the agent tells it when it starts and
    /// begins when told (<see cref="StartAgent"/>); a trial in progress when the agent stops (its shard moved, its node
    /// is leaving) is reported lost. Null for an agent of an in-process population, which its population starts.</param>
    /// <param name="codec">Turns the batcher's draw into the env's action (the index itself; a Box action mapped onto its bounds).</param>
    public AgentActor(int index, Props taskProps, Rl2Input<TObs, TAction> rl2, ActionCodec<TAction> codec, int memorySize, IActorRef batcher, IActorRef learner, AgentStatistics stats,
        bool recordMeanRewards = false, IActorRef? host = null)
    {
        _host = host;
        _recordMeanRewards = recordMeanRewards;
        _index = index;
        _taskProps = taskProps;
        _rl2 = rl2;
        _codec = codec;
        _batcher = batcher;
        _learner = learner;
        _stats = stats;
        _input = new float[rl2.Size];
        _memory = new float[memorySize];
        _trial = new TrialBuffer(rl2.Size);
        Receive<Observed<TObs>>(OnObserved);
        Receive<ActReply>(OnActReply);
        Receive<TaskFaulted>(_ => OnFault());
        Receive<StartAgent>(m =>
        {
            if (_started) return; // once: a second start would reset the trial index of a trial in progress
            _started = true;
            _trialIndex = m.FirstTrial;
            _task.Tell(new BeginTrials(_trialIndex), Self);
        });
        Receive<ResendActRequest>(_ =>
        {
            if (_awaitingReply is { } request) _batcher.Tell(request, Self);
        });
        Receive<Cluster.WakeAgent>(_ => { }); // the message that made sharding start this entity: nothing more to do
    }

    protected override void PreStart()
    {
        _task = Context.ActorOf(_taskProps, "task");
        _host?.Tell(new Cluster.AgentReady(_index), Self);
    }

    /// <summary>A sharded agent stopped mid-trial (its shard moved or its node is leaving): the trial is lost, and counted.</summary>
    protected override void PostStop()
    {
        if (_host is not null && _started) _learner.Tell(new TrialAbandoned(_index, _trialIndex), Self);
    }

    /// <summary>Restart the task on any exception, count it, never give up: one broken env must not stop the population.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ =>
    {
        _stats.AddFault();
        return Directive.Restart;
    }, loggingEnabled: false);

    private void OnObserved(Observed<TObs> o)
    {
        if (_awaitingOutcome)
        {
            _trial.SetOutcome(o.Reward, _recordMeanRewards ? o.MeanReward : double.NaN, o.EpisodeEnded);
            _rl2.Record(_lastAction, o.Reward, o.EpisodeEnded);
            _awaitingOutcome = false;
        }
        if (o.TrialEnded)
        {
            _stats.AddTrial(); // counted before the learner hears of it: its update reads the counters
            _learner.Tell(new TrialCompleted(_trial.Complete(_index, _trialIndex)), Self);
            _trialIndex++;
            StartNewTrialMemory();
        }
        _rl2.Write(o.Obs, _input);
        _awaitingReply = new ActRequest(_index, _trialIndex, _input, _memory, _trial.Steps);
        _batcher.Tell(_awaitingReply, Self);
    }

    private void OnActReply(ActReply reply)
    {
        _awaitingReply = null;
        _trial.AddStep(_input, reply.Action, reply.Vector, reply.LogProb, reply.Value, reply.PolicyVersion);
        _lastAction = _codec.ToEnv(reply.Action, reply.Vector);
        _awaitingOutcome = true;
        _stats.AddStep();
        _task.Tell(new Act<TAction>(_lastAction), Self);
    }

    /// <summary>The env threw: the trial in progress is lost, reported as abandoned, and the restarted task begins the next one.</summary>
    private void OnFault()
    {
        _trial.Clear();
        _awaitingOutcome = false;
        _learner.Tell(new TrialAbandoned(_index, _trialIndex), Self);
        _trialIndex++;
        StartNewTrialMemory();
        _task.Tell(new BeginTrials(_trialIndex), Self);
    }

    /// <summary>A new task: the memory and the RL² "previous" fields start over. Never called at an episode boundary.</summary>
    private void StartNewTrialMemory()
    {
        Array.Clear(_memory);
        _rl2.BeginTrial();
    }
}
