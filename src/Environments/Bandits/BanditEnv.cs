using MetaRL.Environments.Spaces;

namespace MetaRL.Environments.Bandits;

/// <summary>
/// What every k-armed bandit env shares: each pull is a terminated one-step episode (a trial of n pulls is
/// n episodes), the observation carries no information (Discrete(1), always 0), and the task fixes the arm
/// count. Subclasses only say how a pull of an arm pays.
/// </summary>
public abstract class BanditEnv : ITaskEnv<int, int, BanditTask>, IMeanReward<int>
{
    private bool _needsReset = true;

    protected BanditEnv(BanditTask task, int seed)
    {
        ActionSpace = new Discrete(task.Arms);
        Task = task;
        Rng = new Random(seed);
    }

    public Space<int> ObservationSpace { get; } = new Discrete(1);
    public Space<int> ActionSpace { get; }
    public BanditTask Task { get; private set; }

    /// <summary>The env's own random stream; <see cref="Reset"/> with a seed replaces it.</summary>
    protected Random Rng { get; private set; }

    public void SetTask(BanditTask task)
    {
        if (task.Arms != ((Discrete)ActionSpace).N)
            throw new ArgumentException($"task has {task.Arms} arms but this env has {((Discrete)ActionSpace).N}");
        Task = task;
    }

    public (int Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        if (seed is int s) Rng = new Random(s);
        _needsReset = false;
        return (0, Info.Empty);
    }

    public StepResult<int> Step(int action)
    {
        if (_needsReset) throw new InvalidOperationException("Step called before Reset (each pull is an episode: reset after every step)");
        if (!ActionSpace.Contains(action)) throw new ArgumentOutOfRangeException(nameof(action), action, $"not in {ActionSpace}");
        _needsReset = true;
        return new StepResult<int>(0, Pay(action), Terminated: true, Truncated: false, Info.Empty);
    }

    /// <summary>An arm's mean payoff under the current task (the same for every pull: a bandit has one state).</summary>
    public double MeanReward(int arm) => Task.Means[arm];

    /// <summary>The reward of one pull of <paramref name="arm"/>, drawn from <see cref="Rng"/>.</summary>
    protected abstract double Pay(int arm);
}
