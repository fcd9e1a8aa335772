namespace MetaRL.Environments.Navigation;

/// <summary>A sign-hallway task: which hallway (0-based, left to right) holds the reward.</summary>
public sealed record HallwayTask(int Target);
