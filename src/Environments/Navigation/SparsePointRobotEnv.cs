namespace MetaRL.Environments.Navigation;

/// <summary>
/// PEARL's sparse point robot (Rakelly et al. 2019), a <see cref="PointEnv"/>: the reward after a step is
/// <c>1 − d</c> when the distance d to the hidden goal is at most <see cref="GoalRadius"/> = 0.2, else 0. Episodes
/// are 20 steps and end truncated (reaching the goal does not end them).
/// </summary>
public sealed class SparsePointRobotEnv(PointGoalTask task, int horizon = SparsePointRobotEnv.DefaultHorizon) : PointEnv(task, horizon)
{
    public const double GoalRadius = 0.2;
    public const int DefaultHorizon = 20;

    protected override (double Reward, bool Terminated) Outcome(double distance) => (distance <= GoalRadius ? 1 - distance : 0, false);
}
