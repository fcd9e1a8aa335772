namespace MetaRL.Environments.Bandits;

/// <summary>
/// The Gaussian bandit of the Decision-Pretrained Transformer (Lee et al. 2023): a pull of arm
/// a pays <c>Means[a] + Normal(0, NoiseStd)</c>, with NoiseStd = 0.3. DPT's setup is 5 arms with means
/// ~ U(0, 1) (<see cref="UniformBanditDistribution"/>) and 500 pulls a trial. Pulls, episodes and
/// observations are as in every <see cref="BanditEnv"/>.
/// </summary>
public sealed class GaussianBanditEnv : BanditEnv
{
    public const double DefaultNoiseStd = 0.3;
    public const int DptArms = 5;
    public const int DptPulls = 500;

    public GaussianBanditEnv(BanditTask task, double noiseStd = DefaultNoiseStd, int seed = 0) : base(task, seed)
    {
        if (!(noiseStd >= 0)) throw new ArgumentOutOfRangeException(nameof(noiseStd), noiseStd, "the noise standard deviation must be >= 0");
        NoiseStd = noiseStd;
    }

    public double NoiseStd { get; }

    protected override double Pay(int arm) => Sampling.Normal(Rng, Task.Means[arm], NoiseStd);
}
