using MetaRL.Environments.Spaces;

namespace MetaRL.Environments.Tabular;

/// <summary>
/// A finite MDP as in RL²'s tabular experiments (Duan et al. 2016): every episode starts in state 0, a step
/// from (s, a) pays Normal(R[s,a], <see cref="TabularMdpTask.RewardNoiseStd"/>) and moves to s' ~ P[s,a,·].
/// There are no terminal states: an episode ends only at <see cref="Horizon"/> steps, which is a time
/// limit, so it is reported as <c>Truncated</c> (never <c>Terminated</c>) and a learner bootstraps there.
/// The observation is the state index, Discrete(|S|).
/// </summary>
public sealed class TabularMdpEnv : ITaskEnv<int, int, TabularMdpTask>, IMeanReward<int>
{
    /// <summary>RL²'s episode length.</summary>
    public const int DefaultHorizon = 10;

    private Random _rng;
    private bool _needsReset = true;

    public TabularMdpEnv(TabularMdpTask task, int horizon = DefaultHorizon, int seed = 0)
    {
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "an episode needs at least one step");
        Validate(task);
        Task = task;
        Horizon = horizon;
        ObservationSpace = new Discrete(task.States);
        ActionSpace = new Discrete(task.Actions);
        _rng = new Random(seed);
    }

    public Space<int> ObservationSpace { get; }
    public Space<int> ActionSpace { get; }
    public TabularMdpTask Task { get; private set; }

    /// <summary>Steps per episode; the step that reaches it is truncated.</summary>
    public int Horizon { get; }

    /// <summary>The current state (what the last observation said).</summary>
    public int State { get; private set; }

    /// <summary>Steps taken in the current episode.</summary>
    public int ElapsedSteps { get; private set; }

    public void SetTask(TabularMdpTask task)
    {
        var obs = (Discrete)ObservationSpace;
        var act = (Discrete)ActionSpace;
        if (task.States != obs.N || task.Actions != act.N)
            throw new ArgumentException($"task has {task.States} states and {task.Actions} actions but this env has {obs.N} and {act.N}");
        Validate(task);
        Task = task;
    }

    public (int Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        if (seed is int s) _rng = new Random(s);
        State = 0;
        ElapsedSteps = 0;
        _needsReset = false;
        return (State, Info.Empty);
    }

    /// <summary>R[s, a] for the current state s.</summary>
    public double MeanReward(int action) => Task.MeanReward(State, action);

    public StepResult<int> Step(int action)
    {
        if (_needsReset) throw new InvalidOperationException("Step called before Reset or after the episode ended");
        if (!ActionSpace.Contains(action)) throw new ArgumentOutOfRangeException(nameof(action), action, $"not in {ActionSpace}");
        double reward = Sampling.Normal(_rng, Task.MeanReward(State, action), Task.RewardNoiseStd);
        State = Sampling.Categorical(_rng, Task.NextStateDistribution(State, action));
        ElapsedSteps++;
        bool truncated = ElapsedSteps >= Horizon;
        _needsReset = truncated;
        return new StepResult<int>(State, reward, Terminated: false, truncated, Info.Empty);
    }

    // A malformed task (arrays of the wrong length) would otherwise fail deep inside Step with an index error.
    private static void Validate(TabularMdpTask task)
    {
        if (task.States < 1 || task.Actions < 1)
            throw new ArgumentException($"a tabular MDP needs at least one state and one action, got {task.States} and {task.Actions}");
        if (task.MeanRewards.Length != task.States * task.Actions)
            throw new ArgumentException($"MeanRewards has {task.MeanRewards.Length} entries, expected |S|·|A| = {task.States * task.Actions}");
        if (task.Transitions.Length != task.States * task.Actions * task.States)
            throw new ArgumentException($"Transitions has {task.Transitions.Length} entries, expected |S|·|A|·|S| = {task.States * task.Actions * task.States}");
    }
}
