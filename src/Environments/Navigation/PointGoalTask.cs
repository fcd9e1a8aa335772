namespace MetaRL.Environments.Navigation;

/// <summary>A point-robot navigation task: the hidden goal position.</summary>
public sealed record PointGoalTask(double GoalX, double GoalY);
