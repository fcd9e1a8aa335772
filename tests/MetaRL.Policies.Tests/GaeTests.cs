using MetaRL.Policies.Algorithms;

namespace MetaRL.Policies.Tests;

public sealed class GaeTests
{
    private static (float[] Adv, float[] Ret) Run(float[] r, float[] v, bool[] term, bool[] trunc, float[] boot, float gamma, float lambda)
    {
        var adv = new float[r.Length];
        var ret = new float[r.Length];
        Gae.Compute(r, v, term, trunc, boot, gamma, lambda, adv, ret);
        return (adv, ret);
    }

    [Fact]
    public void Gae_matches_hand_computation_on_a_terminated_sequence()
    {
        // γ = 0.9, λ = 0.5; rewards 1, 0, 2; values 0.5, 1.0, 1.5; the last step terminates.
        // delta2 = 2 − 1.5 = 0.5                 A2 = 0.5
        // delta1 = 0 + 0.9·1.5 − 1.0 = 0.35      A1 = 0.35 + 0.45·0.5  = 0.575
        // delta0 = 1 + 0.9·1.0 − 0.5 = 1.4       A0 = 1.4 + 0.45·0.575 = 1.65875
        var (adv, ret) = Run([1, 0, 2], [0.5f, 1.0f, 1.5f], [false, false, true], [false, false, false], [0, 0, 0], 0.9f, 0.5f);
        Assert.Equal(0.5f, adv[2], 5);
        Assert.Equal(0.575f, adv[1], 5);
        Assert.Equal(1.65875f, adv[0], 5);
        Assert.Equal(1.65875f + 0.5f, ret[0], 5);
        Assert.Equal(0.575f + 1.0f, ret[1], 5);
    }

    [Fact]
    public void Truncation_bootstraps_from_the_supplied_value_and_termination_does_not()
    {
        float[] r = [1, 1], v = [0, 0];
        var (truncAdv, _) = Run(r, v, [false, false], [false, true], [0, 10], 0.5f, 1.0f);
        var (termAdv, _) = Run(r, v, [false, true], [false, false], [0, 10], 0.5f, 1.0f);
        // truncated: A1 = 1 + 0.5·10 = 6, A0 = 1 + 0.5·0 − 0 + 0.5·6 = 4
        Assert.Equal(6f, truncAdv[1], 5);
        Assert.Equal(4f, truncAdv[0], 5);
        // terminated: A1 = 1, A0 = 1 + 0.5·1 = 1.5
        Assert.Equal(1f, termAdv[1], 5);
        Assert.Equal(1.5f, termAdv[0], 5);
    }

    [Fact]
    public void A_boundary_in_the_middle_cuts_the_advantage_chain()
    {
        // Two sequences back to back: the first truncated at step 1 with bootstrap 2, the second terminated.
        var (adv, _) = Run([0, 0, 5, 0], [0, 0, 0, 0], [false, false, false, true], [false, true, false, false], [0, 2, 0, 0], 1f, 1f);
        Assert.Equal(5f, adv[2], 5); // 5 + V3 (0) − 0 + A3 (0)
        Assert.Equal(2f, adv[1], 5); // bootstrap only; the later 5 must not leak back across the cut
        Assert.Equal(2f, adv[0], 5);
    }

    [Fact]
    public void An_open_ended_last_step_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Run([1], [0], [false], [false], [0], 0.9f, 0.9f));
    }
}
