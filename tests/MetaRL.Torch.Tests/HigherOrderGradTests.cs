using MetaRL.Torch.Modules;
using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Tests;

/// <summary>
/// Second-order gradients (MAML differentiates through an inner gradient step): the gradient that
/// <c>create_graph</c> returns is itself checked against finite differences (PyTorch's gradgradcheck).
/// </summary>
public sealed class HigherOrderGradTests
{
    private static Tensor Input(Generator g, params long[] shape) => randn(shape, float64, generator: g).requires_grad_();

    /// <summary>v ↦ ∂/∂v[0] Σ w·f(v) with a fixed random w, built with create_graph so that it is differentiable.</summary>
    private static Func<Tensor[], Tensor> FirstGradient(Func<Tensor[], Tensor> f) => v =>
    {
        var y = f(v);
        using var gen = new Generator(99);
        var w = randn(y.shape, y.dtype, generator: gen);
        var grads = autograd.grad((y * w).sum(), [v[0]], create_graph: true);
        return grads[0]!;
    };

    private static void AssertGradgradcheck(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var failure = autograd.gradcheck(FirstGradient(f), inputs);
        Assert.True(failure is null, failure);
    }

    [Fact]
    public void Gradgradcheck_detects_a_wrong_second_derivative()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(20);
        var x = Input(g, 3);
        // f = x²·stop(x): the first gradient 2x·stop(x) has true slope 4x, autograd sees 2x.
        Assert.NotNull(autograd.gradcheck(FirstGradient(v => v[0] * v[0] * v[0].detach()), [x]));
        Assert.Null(autograd.gradcheck(FirstGradient(v => v[0] * v[0] * v[0]), [x]));
    }

    [Fact]
    public void Gradgradcheck_elementwise_and_reductions()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(21);
        var a = Input(g, 2, 3);
        var b = Input(g, 3);
        var p = (rand([2, 3], float64, generator: g) + 0.5).requires_grad_();
        AssertGradgradcheck(v => v[0].tanh() * v[1], a, b);
        AssertGradgradcheck(v => v[0].sigmoid(), a);
        AssertGradgradcheck(v => v[0].gelu(), a);
        AssertGradgradcheck(v => v[0].exp() + v[0].pow(3), a);
        AssertGradgradcheck(v => v[0].log() + v[0].sqrt() + v[0].pow(v[1]), p, b);
        AssertGradgradcheck(v => v[0] / v[1], p, b);
        AssertGradgradcheck(v => v[0].softmax(-1) * v[1], a, b);
        AssertGradgradcheck(v => v[0].log_softmax(0), a);
        AssertGradgradcheck(v => v[0].logsumexp(1), a);
    }

    [Fact]
    public void Gradgradcheck_matmul_and_modules()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(22);
        var a = Input(g, 2, 3);
        var m = Input(g, 3, 4);
        AssertGradgradcheck(v => v[0].matmul(v[1]).tanh(), a, m);
        AssertGradgradcheck(v => v[1].matmul(v[0]).tanh(), m, a);

        using var lin = nn.Linear(3, 2, dtype: float64);
        AssertGradgradcheck(v => lin.call(v[0]).tanh(), lin.weight, a, lin.bias!);

        using var ln = nn.LayerNorm(3, dtype: float64);
        AssertGradgradcheck(v => ln.call(v[0]), a, ln.weight!);

        using var gru = nn.GRU(3, 4, dtype: float64);
        var x = Input(g, 2, 3);
        var h = Input(g, 1, 2, 4);
        AssertGradgradcheck(v => gru.step(v[0], v[1]).h_n, x, h);
        var seq = Input(g, 3, 2, 3);
        AssertGradgradcheck(v => gru.forward(v[1], v[2]).output, gru.parameters().First(), seq, h);

        using var attn = nn.CausalSelfAttention(4, 2, dtype: float64);
        var tokens = Input(g, 1, 3, 4);
        AssertGradgradcheck(v => attn.call(v[0]), tokens);
    }

    [Fact]
    public void Maml_meta_gradient_through_an_inner_step_matches_finite_differences()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(23);
        var w = Input(g, 3, 1);
        var trainX = randn([8, 3], float64, generator: g);
        var trainY = randn([8, 1], float64, generator: g);
        var valX = randn([8, 3], float64, generator: g);
        var valY = randn([8, 1], float64, generator: g);
        const double alpha = 0.1;

        // Outer loss after one inner SGD step: L_val(w − α ∇L_train(w)). Its gradient needs ∇²L_train.
        Tensor MetaLoss(Tensor[] v)
        {
            var inner = nn.functional.mse_loss(trainX.matmul(v[0]).tanh(), trainY);
            var step = autograd.grad(inner, [v[0]], create_graph: true)[0]!;
            var adapted = v[0] - alpha * step;
            return nn.functional.mse_loss(valX.matmul(adapted).tanh(), valY);
        }

        var failure = autograd.gradcheck(MetaLoss, [w]);
        Assert.True(failure is null, failure);

        // And the second-order term matters: a first-order (detached) inner step gives another gradient.
        var full = autograd.grad(MetaLoss([w]), [w])[0]!;
        Tensor FirstOrder(Tensor[] v)
        {
            var inner = nn.functional.mse_loss(trainX.matmul(v[0]).tanh(), trainY);
            var step = autograd.grad(inner, [v[0]])[0]!.detach();
            return nn.functional.mse_loss(valX.matmul(v[0] - alpha * step).tanh(), valY);
        }
        var firstOrder = autograd.grad(FirstOrder([w]), [w])[0]!;
        Assert.False(full.allclose(firstOrder, 1e-6, 1e-9));
    }
}
