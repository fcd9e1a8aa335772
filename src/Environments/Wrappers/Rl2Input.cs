using MetaRL.Environments.Spaces;

namespace MetaRL.Environments.Wrappers;

/// <summary>
/// Builds RL²'s policy input <c>[flat(obs), onehot(prev action), prev reward, prev done]</c> (Duan et al.
/// 2016). Call <see cref="BeginTrial"/> when a new task is drawn: the previous action, reward and done
/// become 0, 0 and 1. Within a trial the previous action and reward carry across episode boundaries and
/// <c>prev done</c> is 1 on the first step of every episode, which is how the recurrent policy learns
/// where episodes end while its memory persists.
/// <para>
/// Optionally (<c>episodesPerTrial</c> given) one more float is appended: the trial's progress k / N, where k
/// counts the episodes of the trial already ended and N is the trial's length in episodes. The agent knows N
/// (the Bayes-optimal finite-horizon policy depends on the pulls left, as Gittins' finite-horizon indices
/// do), and a recurrent net otherwise has to learn to count to 100 before its value estimates can fall
/// toward the trial's end; without it the terminal value error of long trials swamps the policy gradient.
/// </para>
/// <para>
/// Optionally (<c>episodeNoise</c> &gt; 0) that many standard normal floats come last, drawn afresh at the start of
/// every episode and the same on each of its steps: a model's posterior-sampling noise (PEARL draws its latent task
/// variable once an episode, z = μ + σ·ε). The agent draws them, not the model, so that they are part of the recorded
/// input and PPO's replay of the trial sees the draws the agent acted on.
/// </para>
/// </summary>
public sealed class Rl2Input<TObs, TAction>
{
    private readonly Space<TObs> _observationSpace;
    private readonly Space<TAction> _actionSpace;
    private readonly float[] _prevAction;
    private readonly int _episodesPerTrial;
    private float _prevReward;
    private float _prevDone;
    private int _episodesEnded;
    private readonly float[] _noise;
    private readonly Random? _noiseRng;

    /// <param name="observationSpace">The env's observation space (flattened into the input).</param>
    /// <param name="actionSpace">The env's action space (one-hot for discrete actions).</param>
    /// <param name="episodesPerTrial">When given (&gt; 0), append the trial progress k / N as one more float.</param>
    /// <param name="episodeNoise">Standard normal floats appended last, redrawn at every episode's start (0: none).</param>
    /// <param name="noiseSeed">Seeds the noise's draws.</param>
    public Rl2Input(Space<TObs> observationSpace, Space<TAction> actionSpace, int episodesPerTrial = 0, int episodeNoise = 0, int noiseSeed = 0)
    {
        if (episodesPerTrial < 0) throw new ArgumentOutOfRangeException(nameof(episodesPerTrial), episodesPerTrial, "episodes per trial must be >= 0 (0: no progress input)");
        if (episodeNoise < 0) throw new ArgumentOutOfRangeException(nameof(episodeNoise), episodeNoise, "noise inputs must be >= 0");
        _observationSpace = observationSpace;
        _actionSpace = actionSpace;
        _episodesPerTrial = episodesPerTrial;
        _prevAction = new float[actionSpace.FlatSize];
        _noise = new float[episodeNoise];
        _noiseRng = episodeNoise > 0 ? new Random(noiseSeed) : null;
        Size = SizeFor(observationSpace, actionSpace, episodesPerTrial > 0) + episodeNoise;
        BeginTrial();
    }

    /// <summary>The input length for these spaces, with or without the trial-progress float.</summary>
    public static int SizeFor(Space<TObs> observationSpace, Space<TAction> actionSpace, bool trialProgress) =>
        observationSpace.FlatSize + actionSpace.FlatSize + 2 + (trialProgress ? 1 : 0);

    /// <summary>Length of the input vector.</summary>
    public int Size { get; }

    /// <summary>Resets the previous action to action 0 (one-hot for discrete actions, zeros for continuous), reward 0 and done 1.</summary>
    public void BeginTrial()
    {
        Array.Clear(_prevAction);
        if (_actionSpace is Discrete) _prevAction[0] = 1f;
        _prevReward = 0f;
        _prevDone = 1f;
        _episodesEnded = 0;
        DrawNoise();
    }

    /// <summary>Records the transition just taken, to be fed with the next observation.</summary>
    public void Record(TAction action, double reward, bool done)
    {
        _actionSpace.Flatten(action, _prevAction);
        _prevReward = (float)reward;
        _prevDone = done ? 1f : 0f;
        if (!done) return;
        _episodesEnded++;
        DrawNoise();
    }

    private void DrawNoise()
    {
        for (int i = 0; i < _noise.Length; i++) _noise[i] = (float)Sampling.Normal(_noiseRng!);
    }

    /// <summary>Writes the input for <paramref name="obs"/> into <paramref name="destination"/> (length at least <see cref="Size"/>).</summary>
    public void Write(TObs obs, Span<float> destination)
    {
        if (destination.Length < Size) throw new ArgumentException($"destination holds {destination.Length} floats; the RL² input needs {Size}");
        int o = _observationSpace.FlatSize;
        _observationSpace.Flatten(obs, destination[..o]);
        _prevAction.CopyTo(destination.Slice(o, _prevAction.Length));
        destination[o + _prevAction.Length] = _prevReward;
        destination[o + _prevAction.Length + 1] = _prevDone;
        if (_episodesPerTrial > 0) destination[o + _prevAction.Length + 2] = (float)_episodesEnded / _episodesPerTrial;
        _noise.CopyTo(destination[(Size - _noise.Length)..]);
    }

    /// <summary>The input for <paramref name="obs"/> as a new array.</summary>
    public float[] Build(TObs obs)
    {
        var x = new float[Size];
        Write(obs, x);
        return x;
    }
}
