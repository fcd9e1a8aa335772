using MetaRL.Torch;
using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Tests;

public sealed class DistributionTests
{
    [Fact]
    public void Categorical_log_prob_entropy_and_sampling_match_the_probabilities()
    {
        using var scope = NewDisposeScope();
        var probs = tensor(new double[] { 0.2, 0.5, 0.3, 1, 0, 0 }, [2, 3]);
        var dist = distributions.Categorical(probs: probs);
        var lp = dist.log_prob(tensor(new long[] { 1, 0 }, [2])).ToArray<double>();
        Assert.Equal(Math.Log(0.5), lp[0], 6);
        Assert.Equal(0.0, lp[1], 6);
        var h = dist.entropy().ToArray<double>();
        Assert.Equal(-(0.2 * Math.Log(0.2) + 0.5 * Math.Log(0.5) + 0.3 * Math.Log(0.3)), h[0], 6);
        Assert.Equal(0.0, h[1], 6);

        using var g = new Generator(9);
        var counts = new int[3];
        var many = distributions.Categorical(logits: tensor(new float[] { 0, (float)Math.Log(3), 0 }, [1, 3]).expand(20000, 3));
        foreach (var a in many.sample(g).ToArray<long>()) counts[a]++;
        Assert.InRange(counts[1] / 20000.0, 0.58, 0.62);
        Assert.Equal([20000L], many.sample(g).shape);
        Assert.Equal(1L, many.mode()[0].ToInt64());
    }

    [Fact]
    public void Categorical_from_logits_normalises_and_is_differentiable()
    {
        using var g = new Generator(10);
        using var logits = randn([4, 5], float64, generator: g).requires_grad_();
        using var actions = tensor(new long[] { 0, 4, 2, 2 });
        var failure = autograd.gradcheck(v =>
        {
            var d = distributions.Categorical(logits: v[0]);
            return d.log_prob(actions) + d.entropy();
        }, [logits]);
        Assert.True(failure is null, failure);
        using var d = distributions.Categorical(logits: logits);
        using var total = d.probs.sum(-1);
        Assert.All(total.ToArray<double>(), v => Assert.Equal(1.0, v, 9));
    }

    [Fact]
    public void Normal_log_prob_entropy_and_reparameterised_samples()
    {
        using var scope = NewDisposeScope();
        var loc = tensor(new double[] { 0, 1 }, [2], requires_grad: true);
        var scale = tensor(new double[] { 1, 2 }, [2], requires_grad: true);
        var n = distributions.Normal(loc, scale);
        var lp = n.log_prob(tensor(new double[] { 0, 3 }, [2])).ToArray<double>();
        Assert.Equal(-0.5 * Math.Log(2 * Math.PI), lp[0], 9);
        Assert.Equal(-0.5 - Math.Log(2) - 0.5 * Math.Log(2 * Math.PI), lp[1], 9);
        Assert.Equal(0.5 + 0.5 * Math.Log(2 * Math.PI) + Math.Log(2), n.entropy().ToArray<double>()[1], 9);
        var failure = autograd.gradcheck(v => distributions.Normal(v[0], v[1]).log_prob(tensor(new double[] { 0.3, -1 }, [2])), [loc, scale]);
        Assert.True(failure is null, failure);

        // Reparameterised samples carry the gradient of loc + scale·ε (ε redrawn identically each time).
        failure = autograd.gradcheck(v =>
        {
            using var eps = new Generator(12);
            return distributions.Normal(v[0], v[1]).rsample(eps);
        }, [loc, scale]);
        Assert.True(failure is null, failure);

        using var g = new Generator(11);
        var many = distributions.Normal(zeros([20000], float64), full([20000], 2.0, float64));
        var s = many.sample(g);
        Assert.InRange(s.mean().ToDouble(), -0.1, 0.1);
        Assert.InRange(s.std().ToDouble(), 1.9, 2.1);
        Assert.False(s.requires_grad);
        Assert.True(n.rsample(g).requires_grad);
    }
}
