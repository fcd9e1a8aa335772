using MetaRL.Policies;

namespace MetaRL.Actors.Learning;

/// <summary>
/// What an update was made from, for its metrics row: trials trained on, trials lost to env faults, stale trials
/// dropped, the sums of their scores and policy lags, and each group's mean score (empty without groups).
/// </summary>
public sealed record UpdateReport(int Trials, int Abandoned, int DroppedStale, double ScoreSum, double LagSum, double[] GroupScores)
{
    /// <summary>The report of <paramref name="trials"/> trained on at <paramref name="version"/> (no faults or drops counted).</summary>
    public static UpdateReport Of(IReadOnlyList<Trajectory> trials, long version, IReadOnlyList<int>? groupStarts)
    {
        double lag = 0, score = 0;
        foreach (var t in trials)
        {
            lag += version - t.OldestPolicyVersion;
            score += t.Score;
        }
        var (sums, counts) = GroupSums(trials, groupStarts);
        return new UpdateReport(trials.Count, 0, 0, score, lag, GroupMeans(sums, counts));
    }

    /// <summary>Each group's score sum and trial count over <paramref name="trials"/>; empty without groups.</summary>
    public static (double[] Sums, int[] Counts) GroupSums(IReadOnlyList<Trajectory> trials, IReadOnlyList<int>? groupStarts)
    {
        if (groupStarts is not { } starts) return (Array.Empty<double>(), Array.Empty<int>());
        var sums = new double[starts.Count - 1];
        var counts = new int[sums.Length];
        foreach (var t in trials)
        {
            int g = Population.AgentGroups.GroupOf(t.AgentIndex, starts);
            sums[g] += t.Score;
            counts[g]++;
        }
        return (sums, counts);
    }

    /// <summary>Means from sums and counts (NaN for a group with no trial); the shared empty array without groups.</summary>
    public static double[] GroupMeans(double[] sums, int[] counts)
    {
        if (sums.Length == 0) return Array.Empty<double>();
        var means = new double[sums.Length];
        for (int g = 0; g < sums.Length; g++) means[g] = counts[g] == 0 ? double.NaN : sums[g] / counts[g];
        return means;
    }
}
