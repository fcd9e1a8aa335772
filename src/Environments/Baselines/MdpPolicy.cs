using MetaRL.Environments.Policies;

namespace MetaRL.Environments.Baselines;

/// <summary>
/// What every tabular-MDP baseline keeps: visit, transition and reward statistics of the trial so far, the
/// step within the current episode, and a time-dependent Q table [h, s, a] that <see cref="Plan"/> fills at
/// the start of each episode. Acting is greedy on Q[h, s, ·] with random tie-breaking (ε-greedy when
/// <see cref="ExplorationEpsilon"/> is set). The statistics persist across the episodes of a trial and are
/// cleared only by <see cref="BeginTrial"/>: that is what lets a baseline learn within a trial.
/// </summary>
public abstract class MdpPolicy : IPolicy<int, int>
{
    protected MdpPolicy(int states, int actions, int horizon)
    {
        if (states < 1) throw new ArgumentOutOfRangeException(nameof(states), states, "needs at least one state");
        if (actions < 1) throw new ArgumentOutOfRangeException(nameof(actions), actions, "needs at least one action");
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "needs at least one step per episode");
        States = states;
        Actions = actions;
        Horizon = horizon;
        Visits = new int[states * actions];
        TransitionCounts = new int[states * actions * states];
        RewardSums = new double[states * actions];
        Q = new double[horizon * states * actions];
        V = new double[(horizon + 1) * states];
        Rng = new Random(0);
    }

    public abstract string Name { get; }

    public int States { get; }
    public int Actions { get; }

    /// <summary>Steps per episode the policy plans for.</summary>
    public int Horizon { get; }

    /// <summary>Visits of (s, a) this trial, indexed s·A + a.</summary>
    protected int[] Visits { get; }

    /// <summary>Observed transitions (s, a) → s', indexed (s·A + a)·S + s'.</summary>
    protected int[] TransitionCounts { get; }

    /// <summary>Sum of the rewards observed at (s, a).</summary>
    protected double[] RewardSums { get; }

    /// <summary>The plan for the current episode, Q[(h·S + s)·A + a].</summary>
    protected double[] Q { get; }

    /// <summary>The current episode's plan as the policy acts on it (<see cref="Q"/>, read-only): for inspecting what a planner believes.</summary>
    public ReadOnlySpan<double> PlannedValues => Q;

    /// <summary>Scratch for the planner's state values, (H + 1)·S.</summary>
    protected double[] V { get; }

    /// <summary>Steps taken so far in this trial.</summary>
    protected int TotalSteps { get; private set; }

    /// <summary>Episodes finished so far in this trial.</summary>
    protected int Episode { get; private set; }

    /// <summary>Probability of a uniformly random action instead of the greedy one.</summary>
    protected double ExplorationEpsilon { get; init; }

    protected Random Rng { get; private set; }

    /// <summary>
    /// When set, the statistics keep only the latest this many transitions (a sliding window, for tasks that change
    /// within a trial): each new one pushes the oldest out of the visit, reward and transition counts.
    /// </summary>
    public int? Window
    {
        get => _window?.Length;
        init
        {
            if (value is < 1) throw new ArgumentOutOfRangeException(nameof(Window), value, "the window must hold at least one transition");
            _window = value is int w ? new (int, double, int)[w] : null;
        }
    }

    private readonly (int Sa, double Reward, int Next)[]? _window;
    private int _step;
    private bool _planned;

    public virtual void BeginTrial(Random rng)
    {
        Rng = rng;
        Array.Clear(Visits);
        Array.Clear(TransitionCounts);
        Array.Clear(RewardSums);
        TotalSteps = 0;
        Episode = 0;
        _step = 0;
        _planned = false;
    }

    public int Act(int obs)
    {
        if (!_planned)
        {
            Plan();
            _planned = true;
        }
        if (ExplorationEpsilon > 0 && Rng.NextDouble() < ExplorationEpsilon) return Rng.Next(Actions);
        int h = Math.Min(_step, Horizon - 1); // an episode longer than planned keeps the last step's plan
        return Sampling.ArgMaxRandomTies(Rng, Q.AsSpan((h * States + obs) * Actions, Actions));
    }

    public void Observe(int obs, int action, double reward, int nextObs, bool terminated, bool truncated)
    {
        int sa = obs * Actions + action;
        // A truncated step still moved to nextObs (the time limit is not part of the dynamics); a terminated one did not.
        int next = terminated ? -1 : nextObs;
        if (_window is not null)
        {
            int slot = TotalSteps % _window.Length;
            if (TotalSteps >= _window.Length) Count(_window[slot], -1);
            _window[slot] = (sa, reward, next);
        }
        Count((sa, reward, next), +1);
        TotalSteps++;
        _step++;
        if (terminated || truncated)
        {
            _step = 0;
            Episode++;
            _planned = false;
        }
    }

    private void Count((int Sa, double Reward, int Next) transition, int sign)
    {
        Visits[transition.Sa] += sign;
        RewardSums[transition.Sa] += sign * transition.Reward;
        if (transition.Next >= 0) TransitionCounts[transition.Sa * States + transition.Next] += sign;
    }

    /// <summary>Makes the next <see cref="Act"/> call <see cref="Plan"/> again, mid-episode (a tracking oracle told of a change).</summary>
    protected void Replan() => _planned = false;

    /// <summary>Fills <see cref="Q"/> for the episode about to start.</summary>
    protected abstract void Plan();

    /// <summary>Solves the finite-horizon MDP (R, P) into <see cref="Q"/>.</summary>
    protected void Solve(ReadOnlySpan<double> rewards, ReadOnlySpan<double> transitions) =>
        FiniteHorizonPlanner.Solve(States, Actions, Horizon, rewards, transitions, Q, V);

    /// <summary>Solves (R, P) into <see cref="Q"/> with a bonus per step still to go (see <see cref="FiniteHorizonPlanner"/>).</summary>
    protected void Solve(ReadOnlySpan<double> rewards, ReadOnlySpan<double> transitions, ReadOnlySpan<double> bonusPerStepToGo) =>
        FiniteHorizonPlanner.Solve(States, Actions, Horizon, rewards, transitions, bonusPerStepToGo, Q, V);
}
