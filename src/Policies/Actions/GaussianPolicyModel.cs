using MetaRL.Torch;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Actions;

/// <summary>
/// Any in-context model with Box actions: the core's policy output is the D means, and a learned log standard
/// deviation per dimension (parameter <c>log_std</c>, state-independent as in PPO for continuous control) is
/// appended to every row, so the policy output is [μ, log σ] (<see cref="GaussianHead"/>). The core's memory, value
/// and parameters are its own (under <c>core.</c>); a user's model gets continuous actions without knowing it.
/// </summary>
public sealed class GaussianPolicyModel : InContextModel
{
    private readonly InContextModel _core;
    private readonly Tensor _logStd;
    private readonly GaussianHead _head;

    public GaussianPolicyModel(InContextModel core, int dims, double initialLogStd)
    {
        if (core.Actions != dims) throw new ArgumentException($"the core model has {core.Actions} policy outputs; a Gaussian over {dims} dimensions needs {dims} means");
        _core = register_module("core", core);
        _logStd = register_parameter("log_std", full([dims], initialLogStd))!;
        Dims = dims;
        _head = new GaussianHead(dims);
    }

    public int Dims { get; }
    public override int InputSize => _core.InputSize;
    public override int Actions => 2 * Dims;
    public override int MemorySize => _core.MemorySize;
    public override int EpisodeNoise => _core.EpisodeNoise;
    public override PolicyHead PolicyHead => _head;

    public override (Tensor Logits, Tensor Values) Step(Tensor x, Tensor memory)
    {
        var (mean, values) = _core.Step(x, memory);
        return (cat([mean, _logStd.expand([mean.shape[0], Dims])], -1), values);
    }

    public override (Tensor Logits, Tensor Values) ForwardTrials(Tensor x)
    {
        var (mean, values) = _core.ForwardTrials(x);
        return (WithLogStd(mean), values);
    }

    public override (Tensor Logits, Tensor Values, Tensor? Auxiliary) ForwardTrialsForLoss(Tensor x)
    {
        var (mean, values, auxiliary) = _core.ForwardTrialsForLoss(x);
        return (WithLogStd(mean), values, auxiliary);
    }

    private Tensor WithLogStd(Tensor mean) => cat([mean, _logStd.expand([mean.shape[0], mean.shape[1], Dims])], -1);
}
