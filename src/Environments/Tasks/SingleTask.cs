namespace MetaRL.Environments.Tasks;

/// <summary>A distribution that always gives the same task: for running many trials of one held-out task.</summary>
public sealed class SingleTask<TTask>(TTask task, TaskSplit split = TaskSplit.Test) : ITaskDistribution<TTask>
{
    public TaskSplit Split => split;

    public TTask Sample(Random rng) => task;
}
