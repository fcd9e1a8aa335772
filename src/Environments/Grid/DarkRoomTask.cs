namespace MetaRL.Environments.Grid;

/// <summary>A Dark Room task: the hidden goal cell.</summary>
public sealed record DarkRoomTask(int GoalX, int GoalY);
