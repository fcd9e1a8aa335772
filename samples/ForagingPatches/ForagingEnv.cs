using MetaRL.Environments;
using MetaRL.Environments.Spaces;

namespace ForagingPatches;

/// <summary>
/// A non-stationary bandit that the forager changes itself: a visit to a patch pays 1 with the patch's current level,
/// then depletes it (level × (1 − depletion)), while every other patch regrows toward its quality (by a share
/// <c>regrowth</c> of the gap). Staying on the best patch is not optimal: a forager must learn the qualities and
/// rotate among the good patches. An episode is <c>horizon</c> visits from a fresh ground (every patch at its
/// quality); the observation carries nothing (Discrete(1)), so what the forager knows is in its memory.
/// </summary>
public sealed class ForagingEnv : ITaskEnv<int, int, ForagingTask>, IMeanReward<int>
{
    private readonly double _depletion;
    private readonly double _regrowth;
    private readonly int _horizon;
    private double[] _levels;
    private Random _rng = new(0);
    private int _step = -1; // -1: needs a reset

    public ForagingEnv(ForagingTask task, int horizon, double depletion, double regrowth)
    {
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "an episode needs at least one visit");
        if (depletion is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(depletion), depletion, "a share from 0 to 1");
        if (regrowth is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(regrowth), regrowth, "a share from 0 to 1");
        Task = task;
        ActionSpace = new Discrete(task.Patches);
        _horizon = horizon;
        _depletion = depletion;
        _regrowth = regrowth;
        _levels = (double[])task.Quality.Clone();
    }

    public Space<int> ObservationSpace { get; } = new Discrete(1);
    public Space<int> ActionSpace { get; }
    public ForagingTask Task { get; private set; }

    /// <summary>A new ground takes effect at once: its patches start at their qualities.</summary>
    public void SetTask(ForagingTask task)
    {
        if (task.Patches != ((Discrete)ActionSpace).N)
            throw new ArgumentException($"task has {task.Patches} patches but this env has {((Discrete)ActionSpace).N}");
        Task = task;
        _levels = (double[])task.Quality.Clone();
    }

    public (int Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        if (seed is int s) _rng = new Random(s);
        _levels = (double[])Task.Quality.Clone();
        _step = 0;
        return (0, Info.Empty);
    }

    public StepResult<int> Step(int patch)
    {
        if (_step < 0) throw new InvalidOperationException("Step called before Reset");
        if (!ActionSpace.Contains(patch)) throw new ArgumentOutOfRangeException(nameof(patch), patch, $"not in {ActionSpace}");
        double reward = _rng.NextDouble() < _levels[patch] ? 1 : 0;
        for (int i = 0; i < _levels.Length; i++)
            _levels[i] = i == patch ? _levels[i] * (1 - _depletion) : _levels[i] + _regrowth * (Task.Quality[i] - _levels[i]);
        bool truncated = ++_step >= _horizon;
        if (truncated) _step = -1;
        return new StepResult<int>(0, reward, Terminated: false, Truncated: truncated, Info.Empty);
    }

    /// <summary>What a visit to <paramref name="patch"/> pays on average now: its current level.</summary>
    public double MeanReward(int patch) => _levels[patch];
}
