using MetaRL.Environments.Spaces;

namespace MetaRL.Environments.Policies;

/// <summary>
/// Uniformly random actions from the action space (<see cref="Space{T}.Sample"/>): the floor every learner must clear,
/// and the one baseline every family has, its own included.
/// </summary>
public sealed class RandomActions<TObs, TAction>(Space<TAction> actions) : IPolicy<TObs, TAction>
{
    private Random _rng = new(0);

    public string Name => "Random";

    public void BeginTrial(Random rng) => _rng = rng;

    public TAction Act(TObs obs) => actions.Sample(_rng);

    public void Observe(TObs obs, TAction action, double reward, TObs nextObs, bool terminated, bool truncated) { }
}
