using MetaRL.Environments.Baselines;

namespace MetaRL.Environments.NonStationary;

/// <summary>
/// A policy's figures in a non-stationary study, beside its mean score: the <b>tracking regret</b>, what the tracking
/// oracle earned more per trial on the same trials (mean of the paired differences of the expected step rewards, with
/// its standard error), and its recovery from switches (<see cref="RecoveryStats"/>).
/// </summary>
/// <param name="Curve">Mean reward at offsets −<see cref="RecoveryStats.Before"/> … <see cref="RecoveryStats.After"/> − 1 around a switch.</param>
/// <param name="MedianRecovery">Median steps to recover (null: no switch measured, or half or more never recovered).</param>
/// <param name="NeverRecovered">Fraction of measured switches never recovered within their segment of the trial.</param>
/// <param name="Switches">Switches seen over all trials.</param>
public sealed record TrackingSummary(double Regret, double RegretStdErr, double[] Curve, double? MedianRecovery, double NeverRecovered, long Switches)
{
    /// <summary>
    /// The summary of <paramref name="policy"/> against <paramref name="oracle"/>, recorded on the same trials; without an
    /// oracle (a family with no baseline suite) the regret is NaN.
    /// </summary>
    public static TrackingSummary Of(TrackingRecord policy, TrackingRecord? oracle)
    {
        var (regret, stderr) = (double.NaN, double.NaN);
        if (oracle is not null)
        {
            if (policy.ExpectedScores.Length != oracle.ExpectedScores.Length)
                throw new ArgumentException($"the policy ran {policy.ExpectedScores.Length} trials and the oracle {oracle.ExpectedScores.Length}; the regret pairs trials");
            var gaps = new double[policy.ExpectedScores.Length];
            for (int i = 0; i < gaps.Length; i++) gaps[i] = oracle.ExpectedScores[i] - policy.ExpectedScores[i];
            var summary = BaselineEvaluator.Summarise("regret", gaps);
            (regret, stderr) = (summary.Mean, summary.StdErr);
        }
        var r = policy.Recovery;
        return new TrackingSummary(regret, stderr, r.Curve(), r.MedianRecoveryTime(), r.NeverRecoveredFraction, r.Switches);
    }
}
