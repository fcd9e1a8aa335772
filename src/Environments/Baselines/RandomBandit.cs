namespace MetaRL.Environments.Baselines;

/// <summary>Pulls an arm uniformly at random: the floor every learner must beat (n/2 on RL²'s bandits).</summary>
public sealed class RandomBandit(int arms) : BanditPolicy(arms)
{
    public override string Name => "Random";

    public override int Act(int obs) => Rng.Next(Arms);
}
