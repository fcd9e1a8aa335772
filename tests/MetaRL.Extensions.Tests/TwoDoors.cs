using MetaRL.Environments;
using MetaRL.Environments.Spaces;
using MetaRL.Environments.Tasks;

namespace MetaRL.Extensions.Tests;

/// <summary>A task of the test's own: behind one of two doors (which one, the task says) a prize is always waiting.</summary>
public sealed record DoorTask(int Prize);

/// <summary>
/// A family defined here, in the test assembly, to be registered like a user's: each episode is one door opened; the
/// right door pays 1, the other 0. A learner that remembers which door paid scores nearly one per episode; one that
/// does not, a half.
/// </summary>
public sealed class TwoDoorsEnv(DoorTask task) : ITaskEnv<int, int, DoorTask>
{
    private bool _open = true;

    public Space<int> ObservationSpace { get; } = new Discrete(1);
    public Space<int> ActionSpace { get; } = new Discrete(2);
    public DoorTask Task { get; private set; } = task;

    public void SetTask(DoorTask task) => Task = task;

    public (int Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        _open = false;
        return (0, Info.Empty);
    }

    public StepResult<int> Step(int door)
    {
        if (_open) throw new InvalidOperationException("Step called before Reset");
        _open = true;
        return new StepResult<int>(0, door == Task.Prize ? 1 : 0, Terminated: true, Truncated: false, Info.Empty);
    }
}

public static class TwoDoors
{
    public static EnvFamily<int, int, DoorTask> Family { get; } = new("two-doors",
        "Two doors, the prize always behind the same one in a trial",
        episodesPerTrial: 10, optionNames: [],
        distribution: o => new DoorDistribution(o.Split),
        env: (o, task) => new TwoDoorsEnv(task));

    private sealed class DoorDistribution(TaskSplit split) : ITaskDistribution<DoorTask>
    {
        public TaskSplit Split { get; } = split;
        public DoorTask Sample(Random rng) => new(rng.Next(2));
    }
}
