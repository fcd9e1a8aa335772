using MetaRL.Environments;

namespace MetaRL.Policies.Rl2;

/// <summary>The RL² network (config key <c>model</c>): a GRU over the RL² input with policy and value heads.</summary>
public sealed record Rl2ModelOptions
{
    /// <summary>GRU hidden units; the RL² paper used 256.</summary>
    public int Hidden { get; init; } = 256;

    /// <summary>
    /// Append the trial's progress (episodes ended / episodes per trial) to the RL² input. On by default: long
    /// trials (bandits with 100 pulls) otherwise stall, because the recurrent value estimate cannot see the
    /// trial's end coming (see <c>Rl2Input</c>). <c>false</c> gives the RL² paper's input exactly.
    /// </summary>
    public bool TrialProgress { get; init; } = true;

    /// <summary>
    /// Units of a tanh layer between the GRU and the policy and value heads; 0 (default) puts the heads straight
    /// on the GRU's output, as in the RL² paper.
    /// </summary>
    public int HeadHidden { get; init; }

    public void Validate(OptionErrors errors, string prefix = "model")
    {
        errors.Positive($"{prefix}.hidden", Hidden);
        errors.AtLeast($"{prefix}.headHidden", HeadHidden, 0);
    }
}
