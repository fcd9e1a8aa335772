namespace MetaRL.Environments.Grid;

/// <summary>A Dark Key-to-Door task: the hidden key and door cells (distinct).</summary>
public sealed record KeyDoorTask(int KeyX, int KeyY, int DoorX, int DoorY);
