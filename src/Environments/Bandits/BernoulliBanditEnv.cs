using MetaRL.Environments.Spaces;

namespace MetaRL.Environments.Bandits;

/// <summary>
/// k-armed Bernoulli bandit as in RL² (ANCHORS.md): a pull of arm a pays 1 with probability
/// <c>Means[a]</c>, else 0. Each pull is a one-step episode (terminated), so a trial of n pulls is n
/// episodes; the observation carries no information (Discrete(1), always 0).
/// </summary>
public sealed class BernoulliBanditEnv : ITaskEnv<int, int, BanditTask>
{
    private Random _rng;
    private bool _needsReset = true;

    public BernoulliBanditEnv(BanditTask task, int seed = 0)
    {
        ActionSpace = new Discrete(task.Arms);
        Task = task;
        _rng = new Random(seed);
    }

    public Space<int> ObservationSpace { get; } = new Discrete(1);
    public Space<int> ActionSpace { get; }
    public BanditTask Task { get; private set; }

    public void SetTask(BanditTask task)
    {
        if (task.Arms != ((Discrete)ActionSpace).N)
            throw new ArgumentException($"task has {task.Arms} arms but this env has {((Discrete)ActionSpace).N}");
        Task = task;
    }

    public (int Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        if (seed is int s) _rng = new Random(s);
        _needsReset = false;
        return (0, Info.Empty);
    }

    public StepResult<int> Step(int action)
    {
        if (_needsReset) throw new InvalidOperationException("Step called before Reset (each pull is an episode: reset after every step)");
        if (!ActionSpace.Contains(action)) throw new ArgumentOutOfRangeException(nameof(action), action, $"not in {ActionSpace}");
        _needsReset = true;
        double reward = Sampling.Bernoulli(_rng, Task.Means[action]) ? 1.0 : 0.0;
        return new StepResult<int>(0, reward, Terminated: true, Truncated: false, Info.Empty);
    }
}
