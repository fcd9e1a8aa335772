using MetaRL.Environments.Bandits;
using MetaRL.Environments.Policies;

namespace MetaRL.Environments.Baselines;

/// <summary>
/// Is told the task and always pulls its best arm: the ceiling, n · max mean on average. Under a non-stationary
/// schedule it is told every change before the step it applies to, so it is the tracking oracle: always the
/// arm that is best now.
/// </summary>
public sealed class OracleBandit(int arms) : BanditPolicy(arms), ITaskTrackingPolicy<BanditTask>
{
    private int _best;

    public override string Name => "Oracle";

    public void SetTask(BanditTask task)
    {
        if (task.Arms != Arms) throw new ArgumentException($"task has {task.Arms} arms but this policy has {Arms}", nameof(task));
        _best = Array.IndexOf(task.Means, task.BestMean);
    }

    public override int Act(int obs) => _best;
}
