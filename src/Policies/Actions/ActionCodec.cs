using MetaRL.Environments.Spaces;

namespace MetaRL.Policies.Actions;

/// <summary>Turns what a <see cref="PolicyHead"/> drew (an index, or a vector) into the env's action.</summary>
public abstract class ActionCodec<TAction>
{
    public abstract TAction ToEnv(int index, ReadOnlySpan<float> vector);
}

/// <summary>The codec for an env's action space: the index itself for <see cref="Discrete"/>, <see cref="BoxActions"/> for a <see cref="Box"/>.</summary>
public static class ActionCodec
{
    public static ActionCodec<TAction> For<TAction>(Space<TAction> space) => space switch
    {
        Discrete => (ActionCodec<TAction>)(object)new IndexActions(),
        Box box => (ActionCodec<TAction>)(object)new BoxActions(box),
        _ => throw new ArgumentException($"no action codec for action space {space}: expected Discrete or Box"),
    };

    private sealed class IndexActions : ActionCodec<int>
    {
        public override int ToEnv(int index, ReadOnlySpan<float> vector) => index;
    }
}

/// <summary>A Gaussian head's normalised action u: clipped to [−1, 1], then mapped onto the box's bounds (a new array).</summary>
public sealed class BoxActions : ActionCodec<float[]>
{
    private readonly float[] _low;
    private readonly float[] _high;

    public BoxActions(Box box)
    {
        Check(box);
        _low = box.Low.ToArray();
        _high = box.High.ToArray();
    }

    /// <summary>Refuses a box a Gaussian policy cannot map onto: one with an unbounded dimension.</summary>
    public static Box Check(Box box)
    {
        for (int d = 0; d < box.Dims; d++)
            if (!float.IsFinite(box.Low[d]) || !float.IsFinite(box.High[d]))
                throw new ArgumentException($"a Gaussian policy needs a bounded action box, got {box}");
        return box;
    }

    public override float[] ToEnv(int index, ReadOnlySpan<float> u)
    {
        var action = new float[_low.Length];
        for (int d = 0; d < action.Length; d++)
            action[d] = _low[d] + (Math.Clamp(u[d], -1f, 1f) + 1f) * 0.5f * (_high[d] - _low[d]);
        return action;
    }
}
