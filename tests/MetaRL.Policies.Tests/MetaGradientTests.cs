using MetaRL.Environments.Navigation;
using MetaRL.Environments.Tasks;
using MetaRL.Policies.Maml;
using Xunit.Abstractions;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Tests;

/// <summary>MAML and Reptile on MAML's 2D navigation (20-step episodes here, to keep the test short).</summary>
public sealed class MetaGradientTests(ITestOutputHelper output)
{
    private const int Horizon = 20;

    private (double FirstPost, double LastPre, double LastPost, double Adapted0, double Adapted1) Train(MetaAlgorithm algorithm, int updates, MetaGradientOptions options)
    {
        manual_seed(3);
        using var policy = new GaussianMlp(2, 2, options.Hidden);
        using var trainer = new MetaGradientTrainer(policy, algorithm, options);
        var tasks = new SquareGoalDistribution(TaskSplit.Train);
        var rng = new Random(4);
        var results = new List<MetaUpdateResult>();
        for (int u = 0; u < updates; u++)
        {
            var batch = Enumerable.Range(0, options.TasksPerUpdate).Select(_ => tasks.Sample(rng)).ToArray();
            results.Add(trainer.Update(batch, t => new PointNavigationEnv(t, Horizon), rng));
        }
        output.WriteLine(string.Join("\n", results.Select((r, i) => $"{i}: pre {r.PreUpdateReturn:0.00} post {r.PostUpdateReturn:0.00}")));
        // Held-out goals: the return before adapting and after one inner step.
        var test = new SquareGoalDistribution(TaskSplit.Test);
        var testRng = new Random(8);
        double before = 0, after = 0;
        const int n = 20;
        for (int i = 0; i < n; i++)
        {
            using var scope = NewDisposeScope();
            var (returns, _) = trainer.Adapt(test.Sample(testRng), t => new PointNavigationEnv(t, Horizon), 1, testRng);
            before += returns[0] / n;
            after += returns[1] / n;
        }
        output.WriteLine($"held-out: before {before:0.00}, after one step {after:0.00}");
        var last = results.TakeLast(5).ToArray();
        return (results.Take(3).Average(r => r.PostUpdateReturn), last.Average(r => r.PreUpdateReturn), last.Average(r => r.PostUpdateReturn), before, after);
    }

    [Fact]
    public void Maml_learns_an_initialisation_that_one_policy_gradient_step_adapts_to_a_held_out_goal()
    {
        var r = Train(MetaAlgorithm.Maml, 40, new MetaGradientOptions { TasksPerUpdate = 10, EpisodesPerTask = 10, Hidden = 32, OuterLearningRate = 0.01 });
        Assert.True(r.LastPost > r.FirstPost + 1, $"post-update return: first updates {r.FirstPost:0.00}, last {r.LastPost:0.00}");
        Assert.True(r.Adapted1 > r.Adapted0, $"held-out return before adapting {r.Adapted0:0.00}, after one step {r.Adapted1:0.00}");
    }

    [Fact]
    public void Reptile_moves_toward_parameters_that_adapt_to_each_goal()
    {
        var r = Train(MetaAlgorithm.Reptile, 100, new MetaGradientOptions { TasksPerUpdate = 10, EpisodesPerTask = 10, Hidden = 32, InnerSteps = 3, MetaStep = 1 });
        Assert.True(r.LastPost > r.FirstPost + 1, $"post-update return: first updates {r.FirstPost:0.00}, last {r.LastPost:0.00}");
        Assert.True(r.Adapted1 > r.Adapted0, $"held-out return before adapting {r.Adapted0:0.00}, after one step {r.Adapted1:0.00}");
    }
}
