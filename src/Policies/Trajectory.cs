namespace MetaRL.Policies;

/// <summary>
/// One completed trial of one agent, as the learner trains on it. Row t of <see cref="Inputs"/> is the RL²
/// input at step t (<c>InputSize</c> floats); the trial's memory started at zero. The last step ends the trial,
/// which is terminal for the return (nothing of this task follows). <see cref="MeanRewards"/>, where the env
/// knows them, are the expected rewards E[r | state, action] of the steps (see <c>IMeanReward</c>). With Box actions
/// the actions drawn are <see cref="ActionVectors"/> (Steps × D, the Gaussian head's normalised draws) and
/// <see cref="Actions"/> holds zeros.
/// </summary>
public sealed record Trajectory(
    int AgentIndex,
    int TrialIndex,
    int Steps,
    int InputSize,
    float[] Inputs,
    int[] Actions,
    float[] LogProbs,
    float[] Values,
    float[] Rewards,
    bool[] EpisodeEnds,
    long OldestPolicyVersion,
    long NewestPolicyVersion,
    float[]? MeanRewards = null,
    float[]? ActionVectors = null)
{
    /// <summary>The trial's score: total reward.</summary>
    public double Score
    {
        get
        {
            double s = 0;
            for (int t = 0; t < Steps; t++) s += Rewards[t];
            return s;
        }
    }
}
