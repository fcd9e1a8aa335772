using MetaRL.Policies.Actions;
using MetaRL.Torch;
using MetaRL.Torch.Modules;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies;

/// <summary>
/// A network that learns in context (docs/architecture.md §3): it reads the RL² input one step at a time and carries what
/// it has seen of the trial in a memory of fixed size per agent, zero at the start of a trial. The RL² GRU's
/// memory is its hidden state; the transformer's is its key/value cache. PPO trains it over whole trials
/// (<see cref="ForwardTrials"/>); the inference batcher runs it one step at a time (<see cref="Step"/>); the two
/// compute the same thing.
/// </summary>
public abstract class InContextModel : Module
{
    /// <summary>Floats of one input row (the RL² input).</summary>
    public abstract int InputSize { get; }

    /// <summary>Floats of the policy output a step: the discrete actions' logits (a Gaussian policy's: means and log standard deviations, see <see cref="PolicyHead"/>).</summary>
    public abstract int Actions { get; }

    private PolicyHead? _head;

    /// <summary>What the policy output means: categorical logits unless a subclass says otherwise (<see cref="GaussianPolicyModel"/>).</summary>
    public virtual PolicyHead PolicyHead => _head ??= new CategoricalHead(Actions);

    /// <summary>Floats of one agent's memory.</summary>
    public abstract int MemorySize { get; }

    /// <summary>
    /// Standard normal floats the model wants at the end of every input row, drawn by the agent at each episode's
    /// start (<c>Rl2Input</c>'s episode noise; part of <see cref="InputSize"/>): PEARL's posterior-sampling noise.
    /// 0 for models that draw nothing.
    /// </summary>
    public virtual int EpisodeNoise => 0;

    /// <summary>
    /// One step: x [B, In], memory [B, MemorySize] → policy output [B, <see cref="Actions"/>], values [B]; the new memory is written into
    /// <paramref name="memory"/> in place (at inference, under no_grad: a transformer's cache is large, and the
    /// step writes only its own position of it).
    /// </summary>
    public abstract (Tensor Logits, Tensor Values) Step(Tensor x, Tensor memory);

    /// <summary>
    /// Small policy weights start every action near-uniform; unit value weights keep early values near 0; zero
    /// biases. Every learner's heads start this way.
    /// </summary>
    protected static void InitializeHeads(Linear policy, Linear value)
    {
        using (no_grad())
        {
            nn.init.orthogonal_(policy.weight, 0.01);
            nn.init.zeros_(policy.bias!);
            nn.init.orthogonal_(value.weight, 1.0);
            nn.init.zeros_(value.bias!);
        }
    }

    /// <summary>Whole trials from their first step (a zero memory): x [T, B, In] → logits [T, B, A], values [T, B].</summary>
    public abstract (Tensor Logits, Tensor Values) ForwardTrials(Tensor x);

    /// <summary>
    /// <see cref="ForwardTrials"/> for PPO's loss, with a term of the model's own per step, [T, B], that PPO adds to
    /// its loss over the real steps (PEARL: the context posterior's KL to the prior); null when the model has none.
    /// </summary>
    public virtual (Tensor Logits, Tensor Values, Tensor? Auxiliary) ForwardTrialsForLoss(Tensor x)
    {
        var (logits, values) = ForwardTrials(x);
        return (logits, values, null);
    }
}
