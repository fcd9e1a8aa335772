using MetaRL.Environments;
using MetaRL.Environments.Bandits;
using MetaRL.Environments.Tasks;
using MetaRL.Policies.Algorithms;
using MetaRL.Policies.Evaluation;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Tests;

public sealed class FromScratchTests
{
    private static readonly BanditTask ArmZeroPays = new([1.0, 0.0]);
    private const int Pulls = 10, Trials = 16;

    private static (long? Steps, double Best) Run(double target, int maxUpdates)
    {
        manual_seed(5);
        var options = new ModelOptions { Hidden = 8, TrialProgress = false };
        var ppo = new PpoOptions { LearningRate = 0.01, EntropyCoef = 0.0 };
        using var policy = new InContextPolicy(options.Create(1 + 2 + 2, 2, Pulls));
        var trainer = new PpoTrainer(options.Create(1 + 2 + 2, 2, Pulls), ppo, seed: 3);
        return FromScratch.StepsToReach(trainer, policy, ArmZeroPays, t => new BernoulliBanditEnv(t), Pulls, target, Trials, maxUpdates, seed: 7);
    }

    [Fact]
    public void It_counts_the_steps_of_every_update_until_one_reaches_the_target()
    {
        // Any fresh policy scores at least 0: the first update reaches it, after one batch of trials.
        Assert.Equal(Trials * Pulls, Run(target: 0, maxUpdates: 5).Steps);
        // No policy scores more than every pull: never, within the budget; the best it did is reported.
        var (steps, best) = Run(target: Pulls + 1, maxUpdates: 3);
        Assert.Null(steps);
        Assert.InRange(best, 1.0, Pulls);
    }

    [Fact]
    public void Ppo_from_scratch_learns_a_single_task_in_whole_updates()
    {
        // A uniform policy scores 5 of 10; PPO learns to pull arm 0 and passes 9 within 60 updates.
        var (steps, best) = Run(target: 9, maxUpdates: 60);
        Assert.NotNull(steps);
        Assert.True(steps > Trials * Pulls, "a fresh policy does not start there");
        Assert.Equal(0, steps % (Trials * Pulls)); // whole updates of whole trials
        Assert.True(best >= 9);
    }
}
