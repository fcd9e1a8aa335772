using Akka.Actor;
using MetaRL.Environments;
using MetaRL.Environments.Tasks;

namespace MetaRL.Actors.Tasks;

/// <summary>
/// Owns one environment instance and its task (docs/architecture.md §2). It counts the episodes of a trial and draws a
/// new task from the distribution when a trial ends, so the agent never waits for a separate round trip. It is
/// the child of its agent: when the env throws, the agent's supervisor restarts it, and the new instance draws
/// a fresh task and tells the agent (<see cref="TaskFaulted"/>) before sending the first observation.
/// </summary>
public sealed class TaskActor<TObs, TTask> : ReceiveActor
{
    private readonly ITaskEnv<TObs, int, TTask> _env;
    private readonly IMeanReward<int>? _means;
    private readonly ITaskDistribution<TTask> _tasks;
    private readonly Random _rng;
    private readonly int _episodesPerTrial;
    private int _episode;

    /// <param name="env">The env, built fresh for every incarnation of this actor.</param>
    /// <param name="tasks">Where tasks come from (a split of a family, possibly non-stationary).</param>
    /// <param name="seed">Seeds the task draws and the env's own randomness; a restart passes a different one.</param>
    /// <param name="episodesPerTrial">Episodes per trial (for bandits: pulls).</param>
    /// <param name="restarted">True for an incarnation created by a restart after a fault.</param>
    public TaskActor(ITaskEnv<TObs, int, TTask> env, ITaskDistribution<TTask> tasks, int seed, int episodesPerTrial, bool restarted = false)
    {
        _env = env;
        _means = env as IMeanReward<int>;
        _tasks = tasks;
        _rng = new Random(seed);
        _episodesPerTrial = episodesPerTrial;
        Receive<BeginTrials>(_ => Context.Parent.Tell(NewTrial(0, false, false, trialEnded: false), Self));
        Receive<Act>(OnAct);
        Restarted = restarted;
    }

    private bool Restarted { get; }

    protected override void PreStart()
    {
        if (Restarted)
        {
            Context.Parent.Tell(new TaskFaulted("the environment threw; restarted with a fresh task"), Self);
            Context.Parent.Tell(NewTrial(0, false, false, trialEnded: false), Self);
        }
    }

    private void OnAct(Act act)
    {
        double mean = _means?.MeanReward(act.Action) ?? double.NaN; // read before the step moves the state
        var r = _env.Step(act.Action);
        if (!r.Done)
        {
            Context.Parent.Tell(new Observed<TObs>(r.Obs, r.Reward, false, false, false, mean), Self);
            return;
        }
        if (++_episode < _episodesPerTrial)
        {
            var (obs, _) = _env.Reset();
            Context.Parent.Tell(new Observed<TObs>(obs, r.Reward, r.Terminated, r.Truncated, false, mean), Self);
            return;
        }
        Context.Parent.Tell(NewTrial(r.Reward, r.Terminated, r.Truncated, trialEnded: true, mean), Self);
    }

    /// <summary>Draws a task, resets the env with a seed from this actor's stream, and builds the first observation.</summary>
    private Observed<TObs> NewTrial(double reward, bool terminated, bool truncated, bool trialEnded, double meanReward = double.NaN)
    {
        _env.SetTask(_tasks.Sample(_rng));
        _episode = 0;
        var (obs, _) = _env.Reset(_rng.Next());
        return new Observed<TObs>(obs, reward, terminated, truncated, trialEnded, meanReward);
    }
}
