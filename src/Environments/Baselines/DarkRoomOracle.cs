using MetaRL.Environments.Grid;
using MetaRL.Environments.Policies;

namespace MetaRL.Environments.Baselines;

/// <summary>
/// Is told the goal and walks straight to it (along x, then y), then stays: the most reward a Dark Room episode
/// can hold (the ceiling). It reads its cell from the observation, <c>y·size + x</c>.
/// </summary>
public sealed class DarkRoomOracle(int size) : IPolicy<int, int>, ITaskAwarePolicy<DarkRoomTask>
{
    private DarkRoomTask? _goal;

    public string Name => "Oracle";

    public void SetTask(DarkRoomTask task) => _goal = task;

    public void BeginTrial(Random rng) { }

    public int Act(int obs)
    {
        var goal = _goal ?? throw new InvalidOperationException("the oracle needs SetTask before it can act");
        int x = obs % size, y = obs / size;
        if (x != goal.GoalX) return x < goal.GoalX ? GridActions.Right : GridActions.Left;
        if (y != goal.GoalY) return y < goal.GoalY ? GridActions.Down : GridActions.Up;
        return GridActions.Stay;
    }

    public void Observe(int obs, int action, double reward, int nextObs, bool terminated, bool truncated) { }
}
