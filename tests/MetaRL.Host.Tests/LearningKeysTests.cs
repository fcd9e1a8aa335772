using MetaRL.Host.Training;

namespace MetaRL.Host.Tests;

/// <summary>Which config edits an evaluation refuses: learning keys only, whichever build saved the model.</summary>
public sealed class LearningKeysTests
{
    [Fact]
    public void Operational_keys_saved_by_an_earlier_build_are_not_compared_and_learning_keys_are()
    {
        var trained = new Dictionary<string, string> { ["model.hidden"] = "8", ["cluster.shards"] = "100", ["seed"] = "1" };
        var now = new Dictionary<string, string> { ["model.hidden"] = "8", ["seed"] = "1" };
        Assert.Equal("", LearningKeys.Differences(trained, now));
        now["model.hidden"] = "16";
        now["eval.trials"] = "5";
        Assert.Equal("model.hidden: 8 at training, 16 now", LearningKeys.Differences(trained, now));
        Assert.DoesNotContain(LearningKeys.Of(new TrainConfig()).Keys, k => k.StartsWith("cluster.", StringComparison.Ordinal) || k.StartsWith("eval.", StringComparison.Ordinal));
    }

    [Fact]
    public void A_key_a_later_build_added_is_compared_only_when_it_leaves_its_default()
    {
        // A model saved before algorithm and maml.* existed: the config now carries them at their defaults.
        var now = LearningKeys.Of(new TrainConfig());
        var trained = now.Where(kv => !kv.Key.StartsWith("maml.", StringComparison.Ordinal) && kv.Key != "algorithm").ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("", LearningKeys.Differences(trained, now));
        var edited = LearningKeys.Of(new TrainConfig { Maml = new MetaRL.Policies.Maml.MetaGradientOptions { Hidden = 7 } });
        Assert.Equal("maml.hidden: (unset) at training, 7 now", LearningKeys.Differences(trained, edited));
    }
}
