namespace MetaRL.Environments.Baselines;

/// <summary>
/// The classical-baseline rows of the RL² paper's tables (Duan et al. 2016), keyed by setup and
/// policy name, so that tables can show our figures beside the paper's and tests can check them.
/// </summary>
public static class Rl2PaperScores
{
    private static readonly Dictionary<(int Arms, int Pulls), Dictionary<string, double>> Bandit = new()
    {
        [(5, 10)] = Row(5.0, 6.6, 5.7, 6.5, 6.7, 6.6, 6.6),
        [(10, 10)] = Row(5.0, 6.6, 5.5, 6.2, 6.7, 6.6, 6.6),
        [(5, 100)] = Row(49.9, 78.3, 74.7, 77.9, 78.0, 75.4, 74.8),
        [(10, 100)] = Row(49.9, 82.8, 76.7, 81.4, 82.4, 77.4, 77.1),
    };

    private static readonly Dictionary<int, Dictionary<string, double>> Mdp = new()
    {
        [10] = new() { ["Random"] = 100.1, ["PSRL"] = 138.1, ["OPSRL"] = 144.1, ["UCRL2"] = 146.6, ["BEB"] = 150.2, ["ε-Greedy"] = 132.8, ["Greedy"] = 134.8 },
    };

    /// <summary>The paper's score of <paramref name="policy"/> on a k-armed Bernoulli bandit with n pulls, if it has one.</summary>
    public static double? ForBandit(int arms, int pulls, string policy) =>
        Bandit.TryGetValue((arms, pulls), out var row) && row.TryGetValue(policy, out var v) ? v : null;

    /// <summary>
    /// The paper's score of <paramref name="policy"/> on its random tabular MDPs (10 states, 5 actions, 10-step
    /// episodes) with <paramref name="episodes"/> episodes a trial, if it has one.
    /// </summary>
    public static double? ForTabularMdp(int states, int actions, int horizon, int episodes, string policy) =>
        states == 10 && actions == 5 && horizon == 10 && Mdp.TryGetValue(episodes, out var row) && row.TryGetValue(policy, out var v) ? v : null;

    private static Dictionary<string, double> Row(double random, double gittins, double ts, double ots, double ucb1, double epsGreedy, double greedy) => new()
    {
        ["Random"] = random, ["Gittins"] = gittins, ["TS"] = ts, ["OTS"] = ots, ["UCB1"] = ucb1, ["ε-Greedy"] = epsGreedy, ["Greedy"] = greedy,
    };
}
