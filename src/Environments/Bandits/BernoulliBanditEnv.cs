namespace MetaRL.Environments.Bandits;

/// <summary>
/// k-armed Bernoulli bandit as in RL² (Duan et al. 2016): a pull of arm a pays 1 with probability
/// <c>Means[a]</c>, else 0. Each pull is a one-step episode (terminated), so a trial of n pulls is n
/// episodes; the observation carries no information (Discrete(1), always 0).
/// </summary>
public sealed class BernoulliBanditEnv(BanditTask task, int seed = 0) : BanditEnv(task, seed)
{
    protected override double Pay(int arm) => Sampling.Bernoulli(Rng, Task.Means[arm]) ? 1.0 : 0.0;
}
