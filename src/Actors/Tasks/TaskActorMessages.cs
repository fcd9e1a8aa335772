namespace MetaRL.Actors.Tasks;

/// <summary>
/// Agent → task (node-local): start trial <paramref name="TrialIndex"/> (draw its task, reset the env, send the
/// first observation); the task actor numbers the trials that follow itself.
/// </summary>
public sealed record BeginTrials(int TrialIndex) : INodeLocalMessage;

/// <summary>Agent → task (node-local): take this action in the current episode.</summary>
public sealed record Act<TAction>(TAction Action) : INodeLocalMessage;

/// <summary>
/// Task → agent (node-local): the outcome of the last <see cref="Act"/> and the observation to act on next.
/// <see cref="Reward"/>, <see cref="Terminated"/> and <see cref="Truncated"/> describe the step just taken (all
/// zero/false for the first observation of the first trial). When that step ended an episode, <see cref="Obs"/>
/// is already the first observation of the next episode; when it ended the trial (<see cref="TrialEnded"/>),
/// a new task has been drawn and <see cref="Obs"/> starts the next trial. <see cref="MeanReward"/> is the
/// expected value of <see cref="Reward"/> given the state and action, where the env knows it
/// (<see cref="MetaRL.Environments.IMeanReward{TAction}"/>), else NaN.
/// </summary>
public sealed record Observed<TObs>(TObs Obs, double Reward, bool Terminated, bool Truncated, bool TrialEnded, double MeanReward = double.NaN) : INodeLocalMessage
{
    public bool EpisodeEnded => Terminated || Truncated;
}

/// <summary>
/// Task → agent: the env threw and the task actor was restarted. The trial in progress is lost; the agent
/// answers with <see cref="BeginTrials"/> for its next trial.
/// </summary>
public sealed record TaskFaulted(string Reason) : INodeLocalMessage;
