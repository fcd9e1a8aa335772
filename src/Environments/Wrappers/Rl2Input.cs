using MetaRL.Environments.Spaces;

namespace MetaRL.Environments.Wrappers;

/// <summary>
/// Builds RL²'s policy input <c>[flat(obs), onehot(prev action), prev reward, prev done]</c> (Duan et al.
/// 2016). Call <see cref="BeginTrial"/> when a new task is drawn: the previous action, reward and done
/// become 0, 0 and 1. Within a trial the previous action and reward carry across episode boundaries and
/// <c>prev done</c> is 1 on the first step of every episode, which is how the recurrent policy learns
/// where episodes end while its memory persists.
/// </summary>
public sealed class Rl2Input<TObs, TAction>
{
    private readonly Space<TObs> _observationSpace;
    private readonly Space<TAction> _actionSpace;
    private readonly float[] _prevAction;
    private float _prevReward;
    private float _prevDone;

    public Rl2Input(Space<TObs> observationSpace, Space<TAction> actionSpace)
    {
        _observationSpace = observationSpace;
        _actionSpace = actionSpace;
        _prevAction = new float[actionSpace.FlatSize];
        Size = observationSpace.FlatSize + actionSpace.FlatSize + 2;
        BeginTrial();
    }

    /// <summary>Length of the input vector.</summary>
    public int Size { get; }

    /// <summary>Resets the previous action to action 0 (one-hot for discrete actions, zeros for continuous), reward 0 and done 1.</summary>
    public void BeginTrial()
    {
        Array.Clear(_prevAction);
        if (_actionSpace is Discrete) _prevAction[0] = 1f;
        _prevReward = 0f;
        _prevDone = 1f;
    }

    /// <summary>Records the transition just taken, to be fed with the next observation.</summary>
    public void Record(TAction action, double reward, bool done)
    {
        _actionSpace.Flatten(action, _prevAction);
        _prevReward = (float)reward;
        _prevDone = done ? 1f : 0f;
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
    }

    /// <summary>The input for <paramref name="obs"/> as a new array.</summary>
    public float[] Build(TObs obs)
    {
        var x = new float[Size];
        Write(obs, x);
        return x;
    }
}
