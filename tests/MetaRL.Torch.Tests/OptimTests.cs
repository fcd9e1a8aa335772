using MetaRL.Torch;
using MetaRL.Torch.Modules;
using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Tests;

public sealed class OptimTests
{
    [Fact]
    public void Adam_first_step_moves_each_weight_by_lr_against_its_gradient_sign()
    {
        using var w = tensor(new double[] { 1, -1, 2 }, [3], requires_grad: true);
        using var opt = optim.Adam([w], lr: 0.1);
        using (var loss = (w * tensor(new double[] { 3, 2, -5 }, [3])).sum()) loss.backward();
        opt.step();
        // m̂ = g, v̂ = g², so the update is lr · g / (|g| + ε).
        var v = w.ToArray<double>();
        Assert.Equal(0.9, v[0], 6);
        Assert.Equal(-1.1, v[1], 6);
        Assert.Equal(2.1, v[2], 6);
    }

    [Fact]
    public void AdamW_decays_weights_without_a_gradient_contribution()
    {
        using var w = tensor(new double[] { 2 }, [1], requires_grad: true);
        using var opt = optim.AdamW([w], lr: 0.1, weight_decay: 0.5);
        using var zero = zeros([1], float64);
        w.grad = zero;
        opt.step();
        // p ← p·(1 − lr·wd), then the Adam update with g = 0 is 0.
        Assert.Equal(2 * (1 - 0.05), w.ToArray<double>()[0], 9);
    }

    [Fact]
    public void Sgd_with_momentum_follows_the_recurrence()
    {
        using var w = tensor(new double[] { 0 }, [1], requires_grad: true);
        using var opt = optim.SGD([w], lr: 0.1, momentum: 0.9);
        using var g = ones([1], float64);
        for (int i = 0; i < 3; i++)
        {
            w.grad = g;
            opt.step();
        }
        // buffers 1, 1.9, 2.71: w = −0.1·(1 + 1.9 + 2.71).
        Assert.Equal(-0.561, w.ToArray<double>()[0], 9);
    }

    [Fact]
    public void Parameters_without_a_gradient_are_left_alone()
    {
        using var a = ones([2], requires_grad: true);
        using var b = ones([2], requires_grad: true);
        using var opt = optim.Adam([a, b], lr: 1);
        using (var loss = a.sum()) loss.backward();
        opt.step();
        Assert.Equal([1f, 1], b.ToArray<float>());
        using var sd = new Disposing(opt.state_dict());
        var state = (OrderedDictionary<object, object?>)sd.Tree["state"]!;
        Assert.Equal([0L], state.Keys.Cast<long>());
    }

    [Fact]
    public void Clip_grad_norm_scales_to_the_max_norm_and_returns_the_old_norm()
    {
        using var a = zeros([1], requires_grad: true);
        using var b = zeros([1], requires_grad: true);
        using var ga = tensor(new float[] { 3 }, [1]);
        using var gb = tensor(new float[] { 4 }, [1]);
        a.grad = ga.clone();
        b.grad = gb.clone();
        double norm = nn.utils.clip_grad_norm_([a, b], 1.0);
        Assert.Equal(5.0, norm, 5);
        using var ag = a.grad!;
        using var bg = b.grad!;
        Assert.Equal(0.6f, ag.ToSingle(), 5);
        Assert.Equal(0.8f, bg.ToSingle(), 5);
        // Below the limit nothing changes.
        Assert.Equal(1.0, nn.utils.clip_grad_norm_([a, b], 10.0), 4);
        using var ag2 = a.grad!;
        Assert.Equal(0.6f, ag2.ToSingle(), 4);
    }

    [Fact]
    public void Linear_and_cosine_schedules_set_the_rate_each_step()
    {
        using var w = ones([1], requires_grad: true);
        using var opt = optim.Adam([w], lr: 1.0);
        var linear = optim.lr_scheduler.LinearLR(opt, start_factor: 1.0, end_factor: 0.0, total_iters: 4);
        var rates = new List<double> { opt.param_groups[0].lr };
        for (int i = 0; i < 5; i++)
        {
            linear.step();
            rates.Add(linear.get_last_lr()[0]);
        }
        Assert.Equal([1.0, 0.75, 0.5, 0.25, 0, 0], rates.Select(r => Math.Round(r, 12)));

        using var opt2 = optim.SGD([w], lr: 2.0);
        var cosine = optim.lr_scheduler.CosineAnnealingLR(opt2, T_max: 4, eta_min: 0.0);
        Assert.Equal(2.0, opt2.param_groups[0].lr, 12);
        cosine.step();
        cosine.step();
        Assert.Equal(1.0, opt2.param_groups[0].lr, 12);
        cosine.step();
        cosine.step();
        Assert.Equal(0.0, opt2.param_groups[0].lr, 12);
    }

    [Fact]
    public void Optimizer_state_saved_and_restored_continues_identically()
    {
        manual_seed(5);
        using var scope = NewDisposeScope();
        var a = nn.Linear(3, 1);
        var b = nn.Linear(3, 1);
        var x = randn(8, 3);
        var y = randn(8, 1);
        var optA = optim.Adam(a.parameters(), lr: 0.05, amsgrad: true);
        for (int i = 0; i < 5; i++) Step(a, optA);
        b.load_state_dict(a.state_dict());
        var optB = optim.Adam(b.parameters(), lr: 0.05, amsgrad: true);
        optB.load_state_dict(optA.state_dict());
        for (int i = 0; i < 3; i++)
        {
            Step(a, optA);
            Step(b, optB);
        }
        Assert.True(a.weight.allclose(b.weight, 0, 0), "a restored optimizer diverged");
        optA.Dispose();
        optB.Dispose();
        a.Dispose();
        b.Dispose();

        void Step(Linear m, Optim.Optimizer opt)
        {
            opt.zero_grad();
            var loss = nn.functional.mse_loss(m.call(x), y);
            loss.backward();
            opt.step();
        }
    }

    [Fact]
    public void A_thousand_training_steps_in_dispose_scopes_keep_the_live_tensor_count_flat()
    {
        manual_seed(6);
        using var gru = nn.GRU(4, 16, batchFirst: true);
        using var head = nn.Linear(16, 3);
        var parameters = gru.parameters().Concat(head.parameters()).ToList();
        using var opt = optim.Adam(parameters, lr: 1e-3);
        var schedule = optim.lr_scheduler.LinearLR(opt, 1.0, 0.1, 1000);
        using var x = randn(8, 5, 4);
        using var actions = randint(0, 3, [8, 5]);
        long baseline = 0;
        double firstLoss = 0, lastLoss = 0;
        for (int i = 0; i < 1000; i++)
        {
            using (NewDisposeScope())
            {
                var (h, _) = gru.forward(x);
                var logits = head.call(h);
                var dist = distributions.Categorical(logits: logits);
                var loss = -dist.log_prob(actions).mean() - 0.01 * dist.entropy().mean();
                opt.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(parameters, 0.5);
                opt.step();
                schedule.step();
                if (i == 0) firstLoss = loss.ToDouble();
                lastLoss = loss.ToDouble();
            }
            if (i == 9) baseline = Live.Settled();
        }
        Assert.Equal(baseline, Live.Settled());
        Assert.True(lastLoss < firstLoss, $"loss did not fall: {firstLoss} → {lastLoss}");
    }

    /// <summary>Frees a state tree's tensors at the end of a test.</summary>
    private sealed class Disposing(OrderedDictionary<object, object?> tree) : IDisposable
    {
        public OrderedDictionary<object, object?> Tree { get; } = tree;

        public void Dispose() => dispose_tensors(Tree);
    }
}
