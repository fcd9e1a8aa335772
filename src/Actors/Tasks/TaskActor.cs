using Akka.Actor;
using MetaRL.Environments;
using MetaRL.Environments.Tasks;

namespace MetaRL.Actors.Tasks;

/// <summary>
/// Owns one environment instance and its task (docs/architecture.md §2). It counts the episodes of a trial and draws a
/// new task from the distribution when a trial ends, so the agent never waits for a separate round trip. It is
/// the child of its agent: when the env throws, the agent's supervisor restarts it, and the new instance tells
/// the agent (<see cref="TaskFaulted"/>), which answers with the index of its next trial.
/// </summary>
/// <remarks>
/// Every random draw of trial k (its task, the env's reset seed, and through it the env's noise and any
/// non-stationary schedule) comes from a stream seeded by (seed, k) alone: a run resumed at trial k draws what
/// the run it continues would have, with no generator state saved (docs/architecture.md §4).
/// </remarks>
public sealed class TaskActor<TObs, TAction, TTask> : ReceiveActor
{
    private readonly ITaskEnv<TObs, TAction, TTask> _env;
    private readonly IMeanReward<TAction>? _means;
    private readonly ITaskDistribution<TTask> _tasks;
    private readonly int _seed;
    private readonly int _episodesPerTrial;
    private int _episode;
    private int _trialIndex;

    /// <param name="env">The env, built fresh for every incarnation of this actor.</param>
    /// <param name="tasks">Where tasks come from (a split of a family, possibly non-stationary).</param>
    /// <param name="seed">With the trial index, seeds each trial's task draw and the env's own randomness.</param>
    /// <param name="episodesPerTrial">Episodes per trial (for bandits: pulls).</param>
    /// <param name="restarted">True for an incarnation created by a restart after a fault.</param>
    public TaskActor(ITaskEnv<TObs, TAction, TTask> env, ITaskDistribution<TTask> tasks, int seed, int episodesPerTrial, bool restarted = false)
    {
        _env = env;
        _means = env as IMeanReward<TAction>;
        _tasks = tasks;
        _seed = seed;
        _episodesPerTrial = episodesPerTrial;
        Receive<BeginTrials>(b =>
        {
            _trialIndex = b.TrialIndex;
            Context.Parent.Tell(NewTrial(0, false, false, trialEnded: false), Self);
        });
        Receive<Act<TAction>>(OnAct);
        Restarted = restarted;
    }

    private bool Restarted { get; }

    protected override void PreStart()
    {
        if (Restarted) Context.Parent.Tell(new TaskFaulted("the environment threw; restarted with a fresh task"), Self);
    }

    private void OnAct(Act<TAction> act)
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
        _trialIndex++;
        Context.Parent.Tell(NewTrial(r.Reward, r.Terminated, r.Truncated, trialEnded: true, mean), Self);
    }

    /// <summary>Draws the task of trial <see cref="_trialIndex"/>, resets the env with that trial's seed, and builds the first observation.</summary>
    private Observed<TObs> NewTrial(double reward, bool terminated, bool truncated, bool trialEnded, double meanReward = double.NaN)
    {
        var rng = new Random(TaskSeeds.Mix(_seed, _trialIndex));
        _env.SetTask(_tasks.Sample(rng));
        _episode = 0;
        var (obs, _) = _env.Reset(rng.Next());
        return new Observed<TObs>(obs, reward, terminated, truncated, trialEnded, meanReward);
    }
}
