using MetaRL.Environments.Spaces;
using MetaRL.Torch;

namespace MetaRL.Policies.Actions;

/// <summary>
/// How a model's policy output becomes an action distribution: the one place that draws actions (the inference
/// batcher, evaluation, PPO from scratch) and scores them (PPO's log-probabilities and entropy). A model's policy
/// output is <see cref="OutputSize"/> floats a step; an inference policy turns it into a row of the same size
/// (<see cref="InferenceRows"/>) that <see cref="Draw"/> reads.
/// <list type="bullet">
/// <item><see cref="CategoricalHead"/>: discrete actions, logits → probabilities; an action is an index.</item>
/// <item><see cref="GaussianHead"/>: Box actions, a diagonal Gaussian over a normalised [−1, 1]ᴰ box; an action is a vector.</item>
/// </list>
/// </summary>
public abstract class PolicyHead
{
    /// <summary>Floats of the model's policy output (and of an inference row) per step.</summary>
    public abstract int OutputSize { get; }

    /// <summary>Floats of a drawn action's vector: 0 for a discrete head (its action is an index).</summary>
    public abstract int VectorSize { get; }

    /// <summary>Uniform draws in [0, 1) one <see cref="Draw"/> consumes.</summary>
    public abstract int UniformsPerDraw { get; }

    /// <summary>The head for an env's action space: categorical for <see cref="Discrete"/>, Gaussian for <see cref="Box"/>.</summary>
    public static PolicyHead For<TAction>(Space<TAction> actionSpace) => actionSpace switch
    {
        Discrete d => new CategoricalHead(d.N),
        Box b => new GaussianHead(BoxActions.Check(b).Dims),
        _ => throw new ArgumentException($"no policy head for action space {actionSpace}: expected Discrete or Box"),
    };

    /// <summary>The model's policy output [B, P] as the rows an inference policy writes (under no_grad).</summary>
    public abstract Tensor InferenceRows(Tensor output);

    /// <summary>
    /// Draws an action from an inference row with the caller's uniforms (<see cref="UniformsPerDraw"/> of them, so a
    /// draw is keyed as the caller wants: reproducible whatever the batching). Writes a vector action into
    /// <paramref name="vector"/> (<see cref="VectorSize"/> floats) and returns a discrete one as <paramref name="index"/>;
    /// returns the action's log-probability.
    /// </summary>
    public abstract float Draw(ReadOnlySpan<float> row, ReadOnlySpan<double> uniforms, Span<float> vector, out int index);

    /// <summary>The most probable action (greedy evaluation): as <see cref="Draw"/>, without randomness.</summary>
    public abstract float Mode(ReadOnlySpan<float> row, Span<float> vector, out int index);

    /// <summary>
    /// PPO's view: log π(a|h) [T, B] of the taken <paramref name="actions"/> ([T, B] int64 indices, or [T, B, D] vectors)
    /// and the entropy [T, B] of the distribution, from the model's policy output [T, B, P], on the autograd graph.
    /// </summary>
    public abstract (Tensor LogProb, Tensor Entropy) Evaluate(Tensor output, Tensor actions);

    /// <summary>The model this head needs around a core model whose policy output is <paramref name="core"/>'s (the identity for a categorical head).</summary>
    public abstract InContextModel Wrap(InContextModel core);

    /// <summary>The policy output width a core model must have for this head.</summary>
    public abstract int CoreOutputs { get; }
}
