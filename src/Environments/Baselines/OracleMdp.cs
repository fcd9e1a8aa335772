using MetaRL.Environments.Policies;
using MetaRL.Environments.Tabular;

namespace MetaRL.Environments.Baselines;

/// <summary>
/// Is told the task and acts optimally for the episode: value iteration on the true MDP (the ceiling). Under a
/// non-stationary schedule it is told every change and replans at once: the tracking oracle.
/// </summary>
public sealed class OracleMdp(int states, int actions, int horizon) : MdpPolicy(states, actions, horizon), ITaskTrackingPolicy<TabularMdpTask>
{
    private TabularMdpTask? _task;
    private bool _solved;

    public override string Name => "Oracle";

    public void SetTask(TabularMdpTask task)
    {
        if (task.States != States || task.Actions != Actions)
            throw new ArgumentException($"task has {task.States} states and {task.Actions} actions but this policy has {States} and {Actions}", nameof(task));
        _task = task;
        _solved = false;
        Replan();
    }

    protected override void Plan()
    {
        if (_solved) return; // the true MDP changes only through SetTask
        if (_task is null) throw new InvalidOperationException("the oracle needs SetTask before it can act");
        Solve(_task.MeanRewards, _task.Transitions);
        _solved = true;
    }
}
