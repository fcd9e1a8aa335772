using MetaRL.Environments;

namespace MetaRL.Policies.Rl2;

/// <summary>The RL² network (config key <c>model</c>): a GRU over the RL² input with policy and value heads.</summary>
public sealed record Rl2ModelOptions
{
    /// <summary>GRU hidden units; the RL² paper used 256.</summary>
    public int Hidden { get; init; } = 256;

    public void Validate(OptionErrors errors, string prefix = "model")
    {
        errors.Positive($"{prefix}.hidden", Hidden);
    }
}
