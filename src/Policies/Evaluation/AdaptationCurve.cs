namespace MetaRL.Policies.Evaluation;

/// <summary>A mean with its standard error.</summary>
public readonly record struct MeanStderr(double Mean, double Stderr)
{
    public static MeanStderr Of(ReadOnlySpan<double> xs)
    {
        if (xs.Length == 0) return new(double.NaN, double.NaN);
        double mean = 0;
        foreach (var x in xs) mean += x;
        mean /= xs.Length;
        if (xs.Length == 1) return new(mean, 0);
        double ss = 0;
        foreach (var x in xs) ss += (x - mean) * (x - mean);
        return new(mean, Math.Sqrt(ss / (xs.Length - 1) / xs.Length));
    }

    public override string ToString() => $"{Mean:F2} ± {Stderr:F2}";
}

/// <summary>
/// How a policy did over many trials: the trial score (total reward) and the adaptation curve, the mean return
/// of the k-th episode of a trial for every k. An in-context learner's curve rises with k.
/// </summary>
/// <param name="Trials">Trials run.</param>
/// <param name="Score">Total reward per trial.</param>
/// <param name="Episodes">Return of episode k (0-based), for k = 0 … episodes per trial − 1.</param>
public sealed record AdaptationCurve(int Trials, MeanStderr Score, MeanStderr[] Episodes)
{
    /// <summary>Builds the summary from per-trial episode returns ([trial][episode]).</summary>
    public static AdaptationCurve From(double[][] episodeReturns)
    {
        int trials = episodeReturns.Length, episodes = trials == 0 ? 0 : episodeReturns[0].Length;
        var scores = episodeReturns.Select(r => r.Sum()).ToArray();
        var curve = new MeanStderr[episodes];
        var column = new double[trials];
        for (int k = 0; k < episodes; k++)
        {
            for (int t = 0; t < trials; t++) column[t] = episodeReturns[t][k];
            curve[k] = MeanStderr.Of(column);
        }
        return new AdaptationCurve(trials, MeanStderr.Of(scores), curve);
    }
}
