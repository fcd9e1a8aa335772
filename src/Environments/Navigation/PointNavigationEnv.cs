namespace MetaRL.Environments.Navigation;

/// <summary>
/// MAML's 2D navigation (Finn et al. 2017), a <see cref="PointEnv"/>: an action is a velocity; the reward
/// of a step is the negative distance to the hidden goal after it. An episode ends terminated within
/// <see cref="GoalRadius"/> = 0.01 of the goal, else truncated after 100 steps.
/// </summary>
public sealed class PointNavigationEnv(PointGoalTask task, int horizon = PointNavigationEnv.DefaultHorizon) : PointEnv(task, horizon)
{
    public const int DefaultHorizon = 100;
    public const double GoalRadius = 0.01;

    protected override (double Reward, bool Terminated) Outcome(double distance) => (-distance, distance < GoalRadius);
}
