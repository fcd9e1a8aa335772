using MetaRL.Policies.Actions;
using MetaRL.Policies.Algorithms;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Tests;

public sealed class PpoLossTests
{
    [Fact]
    public void Ppo_loss_matches_hand_computation_and_ignores_padding()
    {
        using var scope = NewDisposeScope();
        float ln2 = MathF.Log(2);
        // Two real steps (T=1, B=2) and one padded step (T=2 row 1) that must not count.
        // Uniform logits: π = ½ each. Old log-probs set so that the ratios are 2 and ½.
        var logits = zeros([2, 2, 2]);
        var values = tensor(new float[] { 0.5f, 0f, 99f, 99f }, [2, 2]);
        var actions = tensor(new long[] { 0, 1, 0, 0 }, [2, 2]);
        var oldLogp = tensor(new float[] { -2 * ln2, 0f, 5f, 5f }, [2, 2]);
        var adv = tensor(new float[] { 1f, -1f, 50f, 50f }, [2, 2]);
        var ret = tensor(new float[] { 1f, 1f, -9f, -9f }, [2, 2]);
        var mask = tensor(new float[] { 1f, 1f, 0f, 0f }, [2, 2]);
        var o = new PpoOptions { Clip = 0.2, ValueCoef = 0.5, EntropyCoef = 0.01, NormalizeAdvantages = false };

        var t = PpoLoss.Compute(new CategoricalHead(2), logits, values, actions, oldLogp, adv, ret, mask, o);

        // ρ·Â = [2, −0.5]; clip(ρ)·Â = [1.2, −0.8]; min = [1.2, −0.8]; L_π = −mean = −0.2
        Assert.Equal(-0.2, t.PolicyLoss.item<float>(), 5);
        // ½·mean((0.5−1)², (0−1)²) = ½·0.625
        Assert.Equal(0.3125, t.ValueLoss.item<float>(), 5);
        Assert.Equal(ln2, t.Entropy.item<float>(), 5);
        // mean((ρ−1) − log ρ) = mean(1 − ln 2, −0.5 + ln 2) = 0.25
        Assert.Equal(0.25, t.ApproxKl.item<float>(), 5);
        Assert.Equal(-0.2 + 0.5 * 0.3125 - 0.01 * ln2, t.Loss.item<float>(), 5);
    }

    [Fact]
    public void Normalised_advantages_have_zero_mean_over_real_steps()
    {
        using var scope = NewDisposeScope();
        // With ratio 1 everywhere (old log-probs equal to the current ones), L_π = −mean(Â) = 0 once Â is normalised.
        var logits = zeros([1, 3, 2]);
        var actions = tensor(new long[] { 0, 1, 0 }, [1, 3]);
        var oldLogp = full([1, 3], -MathF.Log(2));
        var adv = tensor(new float[] { 3f, 7f, 100f }, [1, 3]);
        var mask = tensor(new float[] { 1f, 1f, 0f }, [1, 3]);
        var t = PpoLoss.Compute(new CategoricalHead(2), logits, zeros([1, 3]), actions, oldLogp, adv, zeros([1, 3]), mask, new PpoOptions { NormalizeAdvantages = true });
        Assert.Equal(0.0, t.PolicyLoss.item<float>(), 5);
    }
}
