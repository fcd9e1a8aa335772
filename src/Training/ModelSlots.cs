using MetaRL.Policies;

namespace MetaRL.Training;

/// <summary>
/// What an agent must hold for the run's model, read once from the template model: its memory row, and the episode noise
/// its RL² input ends with (<see cref="InContextModel.EpisodeNoise"/>).
/// </summary>
internal readonly record struct ModelSlots(int Memory, int EpisodeNoise)
{
    public static ModelSlots Of(InContextModel model) => new(model.MemorySize, model.EpisodeNoise);
}
