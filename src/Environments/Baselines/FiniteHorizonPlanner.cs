namespace MetaRL.Environments.Baselines;

/// <summary>
/// Backward induction (finite-horizon value iteration) for a tabular MDP with the RL² episode structure:
/// H steps from the start, no terminal states, no discount. Q[h, s, a] = R[s, a] + Σ_s' P[s, a, s'] V[h+1, s'],
/// V[h, s] = max_a Q[h, s, a], V[H] = 0. Arrays are row-major: R[s·A + a], P[(s·A + a)·S + s'], Q[(h·S + s)·A + a].
/// </summary>
public static class FiniteHorizonPlanner
{
    /// <summary>Fills <paramref name="q"/> (H·S·A) with the optimal finite-horizon Q values; <paramref name="v"/> is scratch of length (H + 1)·S.</summary>
    public static void Solve(int states, int actions, int horizon, ReadOnlySpan<double> rewards, ReadOnlySpan<double> transitions,
        Span<double> q, Span<double> v) =>
        Solve(states, actions, horizon, rewards, transitions, ReadOnlySpan<double>.Empty, q, v);

    /// <summary>
    /// As <see cref="Solve(int, int, int, ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double}, Span{double})"/>, with
    /// an exploration bonus that grows with the steps still to go after this one: Q[h, s, a] gains
    /// <paramref name="bonusPerStepToGo"/>[s·A + a] · (H − h − 1). Empty means no bonus.
    /// </summary>
    public static void Solve(int states, int actions, int horizon, ReadOnlySpan<double> rewards, ReadOnlySpan<double> transitions,
        ReadOnlySpan<double> bonusPerStepToGo, Span<double> q, Span<double> v)
    {
        v.Slice(horizon * states, states).Clear();
        for (int h = horizon - 1; h >= 0; h--)
        {
            var next = v.Slice((h + 1) * states, states);
            for (int s = 0; s < states; s++)
            {
                double best = double.NegativeInfinity;
                for (int a = 0; a < actions; a++)
                {
                    int sa = s * actions + a;
                    var p = transitions.Slice(sa * states, states);
                    double value = rewards[sa];
                    if (!bonusPerStepToGo.IsEmpty) value += bonusPerStepToGo[sa] * (horizon - h - 1);
                    for (int n = 0; n < states; n++) value += p[n] * next[n];
                    q[(h * states + s) * actions + a] = value;
                    if (value > best) best = value;
                }
                v[h * states + s] = best;
            }
        }
    }

    /// <summary>The expected return of the optimal policy from <paramref name="start"/> over the horizon (the oracle's score per episode).</summary>
    public static double OptimalValue(int states, int actions, int horizon, ReadOnlySpan<double> rewards, ReadOnlySpan<double> transitions, int start = 0)
    {
        var q = new double[horizon * states * actions];
        var v = new double[(horizon + 1) * states];
        Solve(states, actions, horizon, rewards, transitions, q, v);
        return v[start];
    }
}
