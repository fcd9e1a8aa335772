using MetaRL.Policies;

namespace MetaRL.Actors.Agents;

/// <summary>
/// The steps of the trial in progress, kept by its agent. Arrays grow by doubling and are reused from trial
/// to trial; <see cref="Complete"/> copies the trial out into a right-sized <see cref="Trajectory"/> (one
/// allocation per trial, none per step).
/// </summary>
public sealed class TrialBuffer
{
    private readonly int _inputSize;
    private float[] _inputs;
    private int[] _actions;
    private float[] _logProbs;
    private float[] _values;
    private float[] _rewards;
    private float[]? _meanRewards; // allocated at the first known mean: an env without means costs nothing
    private bool[] _episodeEnds;
    private float[]? _vectors; // Box actions: Steps × VectorSize; allocated at the first vector action
    private int _vectorSize;
    private long _oldestVersion = long.MaxValue;
    private long _newestVersion = long.MinValue;

    public TrialBuffer(int inputSize, int initialSteps = 16)
    {
        _inputSize = inputSize;
        _inputs = new float[initialSteps * inputSize];
        _actions = new int[initialSteps];
        _logProbs = new float[initialSteps];
        _values = new float[initialSteps];
        _rewards = new float[initialSteps];
        _episodeEnds = new bool[initialSteps];
    }

    /// <summary>Steps whose action has been chosen.</summary>
    public int Steps { get; private set; }

    /// <summary>Total reward so far.</summary>
    public double Score { get; private set; }

    /// <summary>Records the input and the policy's choice of a new step.</summary>
    /// <param name="vector">A Box action's normalised draw (empty for a discrete action).</param>
    public void AddStep(ReadOnlySpan<float> input, int action, ReadOnlySpan<float> vector, float logProb, float value, long policyVersion)
    {
        if (Steps == _actions.Length) Grow();
        input.CopyTo(_inputs.AsSpan(Steps * _inputSize, _inputSize));
        _actions[Steps] = action;
        if (vector.Length > 0)
        {
            if (_vectors is null)
            {
                _vectorSize = vector.Length;
                _vectors = new float[_actions.Length * _vectorSize];
            }
            if (vector.Length != _vectorSize) throw new ArgumentException($"a step's action has {vector.Length} floats; this trial's have {_vectorSize}");
            vector.CopyTo(_vectors.AsSpan(Steps * _vectorSize, _vectorSize));
        }
        _logProbs[Steps] = logProb;
        _values[Steps] = value;
        _rewards[Steps] = 0;
        if (_meanRewards is not null) _meanRewards[Steps] = float.NaN;
        _episodeEnds[Steps] = false;
        _oldestVersion = Math.Min(_oldestVersion, policyVersion);
        _newestVersion = Math.Max(_newestVersion, policyVersion);
        Steps++;
    }

    /// <summary>Records the outcome of the last step; <paramref name="meanReward"/> is NaN where the env does not know it.</summary>
    public void SetOutcome(double reward, double meanReward, bool episodeEnded)
    {
        if (Steps == 0) throw new InvalidOperationException("an outcome arrived before any step was taken");
        _rewards[Steps - 1] = (float)reward;
        if (!double.IsNaN(meanReward) && _meanRewards is null) Array.Fill(_meanRewards = new float[_actions.Length], float.NaN);
        if (_meanRewards is not null) _meanRewards[Steps - 1] = (float)meanReward;
        _episodeEnds[Steps - 1] = episodeEnded;
        Score += reward;
    }

    /// <summary>Copies the trial out and empties the buffer for the next one.</summary>
    public Trajectory Complete(int agentIndex, int trialIndex)
    {
        int n = Steps;
        var t = new Trajectory(agentIndex, trialIndex, n, _inputSize,
            _inputs.AsSpan(0, n * _inputSize).ToArray(), _actions.AsSpan(0, n).ToArray(), _logProbs.AsSpan(0, n).ToArray(),
            _values.AsSpan(0, n).ToArray(), _rewards.AsSpan(0, n).ToArray(), _episodeEnds.AsSpan(0, n).ToArray(),
            _oldestVersion, _newestVersion, KnowsMeans(n) ? _meanRewards!.AsSpan(0, n).ToArray() : null,
            _vectors?.AsSpan(0, n * _vectorSize).ToArray());
        Clear();
        return t;
    }

    private bool KnowsMeans(int n)
    {
        if (_meanRewards is null) return false;
        foreach (float m in _meanRewards.AsSpan(0, n)) if (float.IsNaN(m)) return false;
        return true;
    }

    /// <summary>Forgets the trial in progress (after a fault).</summary>
    public void Clear()
    {
        Steps = 0;
        Score = 0;
        _oldestVersion = long.MaxValue;
        _newestVersion = long.MinValue;
    }

    private void Grow()
    {
        int n = _actions.Length * 2;
        Array.Resize(ref _inputs, n * _inputSize);
        Array.Resize(ref _actions, n);
        Array.Resize(ref _logProbs, n);
        Array.Resize(ref _values, n);
        Array.Resize(ref _rewards, n);
        if (_meanRewards is not null) Array.Resize(ref _meanRewards, n);
        if (_vectors is not null) Array.Resize(ref _vectors, n * _vectorSize);
        Array.Resize(ref _episodeEnds, n);
    }
}
