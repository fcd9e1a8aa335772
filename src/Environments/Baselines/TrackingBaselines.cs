using MetaRL.Environments.Policies;

namespace MetaRL.Environments.Baselines;

/// <summary>
/// The baselines made for tasks that change within a trial, each with the constant that sets how fast it forgets,
/// tuned per schedule on the train split (<see cref="Tune{TObs,TAction,TTask}"/>) the way the stationary constants
/// were tuned once on the RL² setups: bandits get sliding-window UCB, discounted UCB (Garivier and Moulines 2011)
/// and discounted Thompson sampling (Raj and Kalyani 2017); tabular MDPs get sliding-window PSRL.
/// </summary>
public static class TrackingBaselines
{
    /// <summary>SW-UCB's windows τ (pulls).</summary>
    public static readonly IReadOnlyList<double> Windows = [10, 20, 50, 100, 200, 500];

    /// <summary>D-UCB's and D-TS's discounts γ (an effective memory of 1/(1 − γ) pulls: 5 … 200).</summary>
    public static readonly IReadOnlyList<double> Discounts = [0.8, 0.9, 0.95, 0.98, 0.99, 0.995];

    /// <summary>SW-PSRL's windows (transitions; an episode of the RL² MDPs is 10).</summary>
    public static readonly IReadOnlyList<double> TransitionWindows = [20, 50, 100, 200, 500];

    /// <summary>Trials of the train split each grid value is scored on.</summary>
    public const int TuningTrials = 500;

    public static IReadOnlyList<TunableBaseline<int, int>> ForBandits(int arms) =>
    [
        new("SW-UCB", Windows, w => new SlidingWindowUcbBandit(arms, (int)w), w => $"window τ = {w:0} pulls, c = {BanditBaselines.Ucb1C}"),
        new("D-UCB", Discounts, g => new DiscountedUcbBandit(arms, g), g => $"discount γ = {g:0.###}, c = {BanditBaselines.Ucb1C}"),
        new("D-TS", Discounts, g => new DiscountedThompsonBandit(arms, g), g => $"discount γ = {g:0.###}, Beta(1,1) prior"),
    ];

    public static IReadOnlyList<TunableBaseline<int, int>> ForTabularMdps(int states, int actions, int horizon) =>
    [
        new("SW-PSRL", TransitionWindows, w => new PsrlMdp(states, actions, horizon, MdpPrior.TabulaRl) { Window = (int)w },
            w => $"posterior of the last {w:0} transitions; prior Dir(1), R ~ N(0,1)"),
    ];

    /// <summary>
    /// Scores every value of <paramref name="baseline"/>'s grid on <paramref name="tasks"/> (train tasks, with their
    /// schedule in <paramref name="makeEnv"/>) and returns the best, the first of equals, with every value's mean score.
    /// </summary>
    public static (double Best, IReadOnlyList<(double Value, double Mean)> Scores) Tune<TObs, TAction, TTask>(
        TunableBaseline<TObs, TAction> baseline, IReadOnlyList<TTask> tasks, Func<TTask, int, ITaskEnv<TObs, TAction, TTask>> makeEnv,
        int episodes, int seed, int maxParallelism = 0)
    {
        var scores = baseline.Grid
            .Select(v => (v, BaselineEvaluator.Summarise(baseline.Name, BaselineEvaluator.Scores(tasks, makeEnv, () => baseline.Create(v), episodes, seed, maxParallelism)).Mean))
            .ToList();
        double best = scores[0].v, bestMean = scores[0].Mean;
        foreach (var (v, mean) in scores)
            if (mean > bestMean) (best, bestMean) = (v, mean);
        return (best, scores);
    }
}
