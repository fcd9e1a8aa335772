using MetaRL.Environments;

namespace MetaRL.Policies.Maml;

/// <summary>Which gradient-based meta-learner a run trains (config key <c>algorithm</c>; <c>ppo</c> is RL² and the in-context learners).</summary>
public enum MetaAlgorithm
{
    /// <summary>PPO on an in-context learner run by the population (RL², the transformer, a user's model).</summary>
    Ppo,

    /// <summary>MAML (Finn et al. 2017): inner policy-gradient steps per task, the outer gradient through them (second order unless <c>firstOrder</c>).</summary>
    Maml,

    /// <summary>Reptile (Nichol et al. 2018): inner steps per task, then θ moves toward the adapted parameters (first order).</summary>
    Reptile,
}

/// <summary>
/// MAML's and Reptile's settings (config key <c>maml</c>), defaulting to MAML's 2D navigation: 20 tasks an update, 20
/// episodes a task per inner step, one inner step of vanilla policy gradient with step size 0.1, a 100-100 ReLU policy.
/// The outer step is Adam on the meta-gradient (the paper used TRPO).
/// </summary>
public sealed record MetaGradientOptions
{
    public int TasksPerUpdate { get; init; } = 20;
    public int EpisodesPerTask { get; init; } = 20;
    public int InnerSteps { get; init; } = 1;
    public double InnerLearningRate { get; init; } = 0.1;
    public double OuterLearningRate { get; init; } = 0.001;

    /// <summary>MAML: drop the second-order terms (first-order MAML).</summary>
    public bool FirstOrder { get; init; }

    /// <summary>Reptile: the share of the way θ moves toward the tasks' mean adapted parameters.</summary>
    public double MetaStep { get; init; } = 0.5;

    public double Gamma { get; init; } = 0.99;
    public int Hidden { get; init; } = 100;

    /// <summary>Held-out tasks the final evaluation adapts to, and the gradient steps it reports.</summary>
    public int EvalTasks { get; init; } = 40;
    public int EvalSteps { get; init; } = 3;

    public void Validate(OptionErrors errors, string prefix = "maml")
    {
        errors.Between($"{prefix}.tasksPerUpdate", TasksPerUpdate, 1, 10_000);
        errors.Between($"{prefix}.episodesPerTask", EpisodesPerTask, 2, 10_000);
        errors.Between($"{prefix}.innerSteps", InnerSteps, 1, 100);
        errors.Positive($"{prefix}.innerLearningRate", InnerLearningRate);
        errors.Positive($"{prefix}.outerLearningRate", OuterLearningRate);
        errors.InRange($"{prefix}.metaStep", MetaStep, 1e-6, 1);
        errors.InRange($"{prefix}.gamma", Gamma, 0, 1);
        errors.Between($"{prefix}.hidden", Hidden, 1, ModelOptions.MaxWidth);
        errors.Between($"{prefix}.evalTasks", EvalTasks, 1, 100_000);
        errors.Between($"{prefix}.evalSteps", EvalSteps, 0, 100);
    }
}
