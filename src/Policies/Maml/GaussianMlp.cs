using MetaRL.Torch;
using MetaRL.Torch.Modules;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Maml;

/// <summary>
/// MAML's policy (Finn et al. 2017): a ReLU MLP over the observation gives the mean of a diagonal Gaussian over the
/// normalised action box (<see cref="Actions.GaussianHead"/>'s convention), with a learned log standard deviation. Its
/// forward pass takes the parameters as an argument (<see cref="Mean"/>), so that an inner-loop step's adapted
/// parameters θ' = θ − α∇L(θ) run through the same function and the outer loss differentiates through them.
/// </summary>
public sealed class GaussianMlp : Module
{
    private readonly Tensor[] _parameters;

    public GaussianMlp(int observations, int dims, int hidden, double initialLogStd = Actions.GaussianHead.InitialLogStd)
    {
        if (observations < 1 || dims < 1 || hidden < 1)
            throw new ArgumentException($"GaussianMlp: observations {observations}, dims {dims} and hidden {hidden} must be positive");
        var first = register_module("first", new Linear(observations, hidden));
        var second = register_module("second", new Linear(hidden, hidden));
        var mean = register_module("mean", new Linear(hidden, dims));
        var logStd = register_parameter("log_std", full([dims], initialLogStd))!;
        using (no_grad()) mean.weight.mul_(0.01); // near-zero initial means: the first rollouts explore around the origin
        _parameters = [first.weight, first.bias!, second.weight, second.bias!, mean.weight, mean.bias!, logStd];
        Observations = observations;
        Dims = dims;
    }

    public int Observations { get; }
    public int Dims { get; }

    /// <summary>θ in the order <see cref="Mean"/> and <see cref="LogStd"/> read it.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>The action means [N, D] for observations [N, O] under parameters <paramref name="p"/> (θ or an adapted θ').</summary>
    public static Tensor Mean(Tensor observations, IReadOnlyList<Tensor> p)
    {
        var h = (observations.matmul(p[0].t()) + p[1]).relu();
        h = (h.matmul(p[2].t()) + p[3]).relu();
        return h.matmul(p[4].t()) + p[5];
    }

    public static Tensor LogStd(IReadOnlyList<Tensor> p) => p[6];

    /// <summary>log π(u|o) [N] of normalised actions u [N, D] under <paramref name="p"/>.</summary>
    public static Tensor LogProb(Tensor observations, Tensor actions, IReadOnlyList<Tensor> p)
    {
        var logStd = LogStd(p);
        var z = (actions - Mean(observations, p)) / logStd.exp();
        return (-0.5 * z * z - logStd - 0.5 * Math.Log(2 * Math.PI)).sum(-1);
    }
}
