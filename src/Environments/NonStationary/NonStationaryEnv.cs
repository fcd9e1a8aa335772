using MetaRL.Environments.Spaces;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.NonStationary;

/// <summary>
/// Makes any task env non-stationary: before each step, <see cref="Schedule"/> may replace the task in force
/// (<see cref="ITaskEnv{TObs,TAction,TTask}.SetTask"/> on the inner env takes effect at once, even mid-episode).
/// The agent is not told: observations, rewards and info are the inner env's, unchanged. Time counts steps
/// since the trial began, across episodes; <see cref="SetTask"/> begins a new trial (time 0) and restarts the
/// schedule. Resets do not restart it: a switch every K steps keeps its rhythm across episode boundaries.
/// <see cref="Task"/> is the task in force now; <see cref="TaskChanged"/> reports changes to evaluators.
/// </summary>
public sealed class NonStationaryEnv<TObs, TAction, TTask> : ITaskEnv<TObs, TAction, TTask>
{
    private Random _rng;

    public NonStationaryEnv(ITaskEnv<TObs, TAction, TTask> inner, ITaskSchedule<TTask> schedule, int seed = 0)
    {
        Inner = inner;
        Schedule = schedule;
        _rng = new Random(ScheduleSeed(seed));
        schedule.Begin(inner.Task);
    }

    public ITaskEnv<TObs, TAction, TTask> Inner { get; }
    public ITaskSchedule<TTask> Schedule { get; }
    public Space<TObs> ObservationSpace => Inner.ObservationSpace;
    public Space<TAction> ActionSpace => Inner.ActionSpace;

    /// <summary>The task in force now.</summary>
    public TTask Task => Inner.Task;

    /// <summary>Steps taken since the trial began.</summary>
    public long TrialStep { get; private set; }

    /// <summary>Changes made since the trial began.</summary>
    public int ChangeCount { get; private set; }

    /// <summary>Called with (time, new task) at every change, before the step at that time is taken.</summary>
    public event Action<long, TTask>? TaskChanged;

    /// <summary>Begins a trial with <paramref name="task"/>: time 0, schedule restarted.</summary>
    public void SetTask(TTask task)
    {
        Inner.SetTask(task);
        TrialStep = 0;
        ChangeCount = 0;
        Schedule.Begin(task);
    }

    /// <summary>Resets the inner env; a seed also reseeds the schedule's random stream (derived, so the two never share draws).</summary>
    public (TObs Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        if (seed is int s) _rng = new Random(ScheduleSeed(s));
        return Inner.Reset(seed, options);
    }

    public StepResult<TObs> Step(TAction action)
    {
        if (Schedule.TryChange(TrialStep, Inner.Task, _rng, out var next))
        {
            Inner.SetTask(next);
            ChangeCount++;
            TaskChanged?.Invoke(TrialStep, next);
        }
        var r = Inner.Step(action);
        TrialStep++;
        return r;
    }

    private static int ScheduleSeed(int seed) => TaskSeeds.Mix(seed, 0x5C4ED);
}
