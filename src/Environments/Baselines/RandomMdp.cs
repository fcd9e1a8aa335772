namespace MetaRL.Environments.Baselines;

/// <summary>Uniformly random actions: the floor (about 1 a step on RL²'s MDPs, whose mean rewards average 1).</summary>
public sealed class RandomMdp : MdpPolicy
{
    public RandomMdp(int states, int actions, int horizon) : base(states, actions, horizon)
    {
        ExplorationEpsilon = 1.0;
    }

    public override string Name => "Random";

    protected override void Plan() { }
}
