using MetaRL.Environments.Spaces;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.NonStationary;

/// <summary>
/// Makes any task env non-stationary: <see cref="Schedule"/> may replace the task in force before each step
/// (<see cref="ITaskEnv{TObs,TAction,TTask}.SetTask"/> on the inner env takes effect at once, even mid-episode).
/// The agent is not told: observations, rewards and info are the inner env's, unchanged. Time counts steps
/// since the trial began, across episodes; <see cref="SetTask"/> begins a new trial (time 0) and restarts the
/// schedule. Resets do not restart it: a switch every K steps keeps its rhythm across episode boundaries.
/// </summary>
/// <remarks>
/// The schedule is asked about step t as soon as step t − 1 is over (and about step 0 when a trial begins), so
/// <see cref="Task"/> is always the task the next step will run under: a tracking oracle can read it before it
/// acts, and <see cref="IMeanReward{TAction}"/> answers for it. Build with <see cref="Create"/> to keep the inner
/// env's mean rewards.
/// </remarks>
public class NonStationaryEnv<TObs, TAction, TTask> : ITaskEnv<TObs, TAction, TTask>
{
    private readonly List<long> _switchTimes = [];
    private Random _rng;
    private TTask _initial;

    public NonStationaryEnv(ITaskEnv<TObs, TAction, TTask> inner, ITaskSchedule<TTask> schedule, int seed = 0)
    {
        Inner = inner;
        Schedule = schedule;
        _rng = new Random(ScheduleSeed(seed));
        _initial = inner.Task;
        schedule.Begin(_initial);
        PrepareNextStep();
    }

    /// <summary>A non-stationary env that also reports mean rewards when <paramref name="inner"/> does.</summary>
    public static NonStationaryEnv<TObs, TAction, TTask> Create(ITaskEnv<TObs, TAction, TTask> inner, ITaskSchedule<TTask> schedule, int seed = 0) =>
        inner is IMeanReward<TAction> ? new WithMeanRewards(inner, schedule, seed) : new NonStationaryEnv<TObs, TAction, TTask>(inner, schedule, seed);

    public ITaskEnv<TObs, TAction, TTask> Inner { get; }
    public ITaskSchedule<TTask> Schedule { get; }
    public Space<TObs> ObservationSpace => Inner.ObservationSpace;
    public Space<TAction> ActionSpace => Inner.ActionSpace;

    /// <summary>The task the next step runs under.</summary>
    public TTask Task => Inner.Task;

    /// <summary>Steps taken since the trial began.</summary>
    public long TrialStep { get; private set; }

    /// <summary>Changes (switches and drifts) made since the trial began, counting one the next step is about to run under.</summary>
    public int ChangeCount { get; private set; }

    /// <summary>The times of this trial's switches (change points; drifts are not listed), including one before the next step.</summary>
    public IReadOnlyList<long> SwitchTimes => _switchTimes;

    /// <summary>Called with (time, new task) at every change, before the step at that time is taken.</summary>
    public event Action<long, TTask>? TaskChanged;

    /// <summary>Begins a trial with <paramref name="task"/>: time 0, schedule restarted.</summary>
    public void SetTask(TTask task)
    {
        _initial = task;
        Inner.SetTask(task);
        TrialStep = 0;
        ChangeCount = 0;
        _switchTimes.Clear();
        Schedule.Begin(task);
        PrepareNextStep();
    }

    /// <summary>
    /// Resets the inner env; a seed also reseeds the schedule's random stream (derived, so the two never share draws).
    /// A seeded reset before the trial's first step also restarts the trial under the new stream, so that whether the
    /// task or the seed was set first, step 0 sees the same schedule.
    /// </summary>
    public (TObs Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        if (seed is int s)
        {
            _rng = new Random(ScheduleSeed(s));
            if (TrialStep == 0) SetTask(_initial);
        }
        return Inner.Reset(seed, options);
    }

    public StepResult<TObs> Step(TAction action)
    {
        var r = Inner.Step(action);
        TrialStep++;
        PrepareNextStep();
        return r;
    }

    /// <summary>Asks the schedule about step <see cref="TrialStep"/> and puts its task in force.</summary>
    private void PrepareNextStep()
    {
        var change = Schedule.TryChange(TrialStep, Inner.Task, _rng, out var next);
        if (change == TaskChange.None) return;
        Inner.SetTask(next);
        ChangeCount++;
        if (change == TaskChange.Switch) _switchTimes.Add(TrialStep);
        TaskChanged?.Invoke(TrialStep, next);
    }

    private static int ScheduleSeed(int seed) => TaskSeeds.Mix(seed, 0x5C4ED);

    /// <summary>The same env, answering mean rewards from the inner env (whose task is always the next step's).</summary>
    private sealed class WithMeanRewards(ITaskEnv<TObs, TAction, TTask> inner, ITaskSchedule<TTask> schedule, int seed)
        : NonStationaryEnv<TObs, TAction, TTask>(inner, schedule, seed), IMeanReward<TAction>
    {
        public double MeanReward(TAction action) => ((IMeanReward<TAction>)Inner).MeanReward(action);
    }
}
