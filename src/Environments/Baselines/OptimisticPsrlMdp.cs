namespace MetaRL.Environments.Baselines;

/// <summary>
/// Optimistic PSRL: like <see cref="PsrlMdp"/> but draws <see cref="Samples"/> MDPs each episode, solves each,
/// and acts on the upper envelope of their Q functions, Q[h,s,a] = max_i Q_i[h,s,a] (as in the TabulaRL
/// library the RL² paper used). More samples, more optimism.
/// </summary>
public sealed class OptimisticPsrlMdp : BayesMdpPolicy
{
    private readonly double[] _envelope;

    public OptimisticPsrlMdp(int states, int actions, int horizon, MdpPrior prior, int samples) : base(states, actions, horizon, prior)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "needs at least one posterior sample");
        Samples = samples;
        _envelope = new double[Q.Length];
    }

    public int Samples { get; }

    public override string Name => "OPSRL";

    protected override void Plan()
    {
        Array.Fill(_envelope, double.NegativeInfinity);
        for (int i = 0; i < Samples; i++)
        {
            SamplePosterior();
            Solve(SampledRewards, SampledTransitions);
            for (int k = 0; k < Q.Length; k++) _envelope[k] = Math.Max(_envelope[k], Q[k]);
        }
        _envelope.CopyTo(Q, 0);
    }
}
