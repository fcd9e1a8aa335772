using MetaRL.Environments.Policies;

namespace MetaRL.Environments.Baselines;

/// <summary>
/// Tabular Q-learning from scratch within a trial (Watkins 1989): Q(s, a) starts at <paramref name="initialValue"/> each
/// trial and learns over the trial's episodes, acting ε-greedily with ties broken at random.
/// <code>
///   Q(s, a) ← Q(s, a) + α · ( r + γ · max_a' Q(s', a') · [not terminated] − Q(s, a) )
/// </code>
/// With Q₀ = 0 and ε &gt; 0 it is the textbook learner, which finds a hidden goal by a random walk; with an optimistic
/// Q₀ (e.g. 1 / (1 − γ)) and ε = 0 every untried action looks best until tried, a systematic search. What a meta-learner
/// that learns in context must beat on a task family with no structure to exploit but the task's own.
/// </summary>
public sealed class TabularQLearning(string name, int states, int actions, double alpha, double gamma, double epsilon, double initialValue)
    : IPolicy<int, int>
{
    private readonly double[] _q = new double[states * actions];
    private Random _rng = new(0);

    public string Name => name;

    public void BeginTrial(Random rng)
    {
        _rng = rng;
        Array.Fill(_q, initialValue);
    }

    public int Act(int obs)
    {
        if (_rng.NextDouble() < epsilon) return _rng.Next(actions);
        var row = _q.AsSpan(obs * actions, actions);
        double best = double.NegativeInfinity;
        int chosen = 0, ties = 0;
        for (int a = 0; a < actions; a++)
        {
            if (row[a] > best)
            {
                (best, chosen, ties) = (row[a], a, 1);
            }
            else if (row[a] == best && _rng.Next(++ties) == 0)
            {
                chosen = a; // reservoir sampling: each of the tied actions is kept with probability 1 / ties
            }
        }
        return chosen;
    }

    public void Observe(int obs, int action, double reward, int nextObs, bool terminated, bool truncated)
    {
        double next = 0;
        if (!terminated)
        {
            next = double.NegativeInfinity;
            foreach (double v in _q.AsSpan(nextObs * actions, actions)) next = Math.Max(next, v);
        }
        ref double q = ref _q[obs * actions + action];
        q += alpha * (reward + gamma * next - q);
    }
}
