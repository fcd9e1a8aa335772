using MetaRL.Torch;
using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Tests;

public sealed class AutogradTests
{
    private static Tensor Input(Generator g, params long[] shape) => randn(shape, float64, generator: g).requires_grad_();

    private static Tensor Positive(Generator g, params long[] shape)
    {
        using var r = rand(shape, float64, generator: g);
        return (r + 0.5).requires_grad_();
    }

    private static void AssertGradcheck(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var failure = autograd.gradcheck(f, inputs);
        Assert.True(failure is null, failure);
    }

    [Fact]
    public void Backward_accumulates_the_gradient_of_a_scalar_into_leaves()
    {
        using var x = tensor(new double[] { 1, 2, 3 }, [3], requires_grad: true);
        using var y = (x * x).sum();
        y.backward();
        using var g = x.grad!;
        Assert.Equal([2.0, 4, 6], g.ToArray<double>());
        using var y2 = x.sum();
        y2.backward();
        using var g2 = x.grad!;
        Assert.Equal([3.0, 5, 7], g2.ToArray<double>());
        x.grad = null;
        Assert.Null(x.grad);
        Assert.True(x.is_leaf);
        Assert.False(y.is_leaf);
    }

    [Fact]
    public void Backward_of_a_non_scalar_needs_and_uses_a_gradient()
    {
        using var x = tensor(new double[] { 1, 2 }, [2], requires_grad: true);
        using var y = x * 3;
        Assert.Throws<TorchException>(() => y.backward());
        using var w = tensor(new double[] { 1, 10 }, [2]);
        y.backward(w);
        using var g = x.grad!;
        Assert.Equal([3.0, 30], g.ToArray<double>());
    }

    [Fact]
    public void Detach_and_no_grad_stop_recording()
    {
        using var x = ones([2], requires_grad: true);
        using var d = x.detach();
        Assert.False(d.requires_grad);
        using (no_grad())
        {
            Assert.False(is_grad_enabled());
            using var y = x * 2;
            Assert.False(y.requires_grad);
        }
        Assert.True(is_grad_enabled());
        using var z = x * 2;
        Assert.True(z.requires_grad);
    }

    [Fact]
    public void Create_graph_gives_second_order_gradients()
    {
        // y = x³: dy/dx = 3x², d²y/dx² = 6x.
        using var x = tensor(new double[] { 0.5, -2 }, [2], requires_grad: true);
        using var y = x.pow(3).sum();
        var first = autograd.grad(y, [x], create_graph: true);
        using var dy = first[0]!;
        Assert.Equal([0.75, 12], dy.ToArray<double>());
        Assert.True(dy.requires_grad);
        using var dySum = dy.sum();
        var second = autograd.grad(dySum, [x]);
        using var d2y = second[0]!;
        Assert.Equal([3.0, -12], d2y.ToArray<double>());

        // The same through backward(create_graph) and a gradient penalty.
        using var z = (x * x * x).sum();
        z.backward(create_graph: true);
        using var gx = x.grad!;
        x.grad = null;
        using var penalty = (gx * gx).sum();
        penalty.backward();
        using var gp = x.grad!;
        // d/dx Σ(3x²)² = 36x³.
        Assert.Equal(36 * 0.125, gp.ToArray<double>()[0], 9);
    }

    [Fact]
    public void Gradcheck_detects_a_wrong_gradient()
    {
        using var g = new Generator(1);
        using var x = Input(g, 3);
        // x · stop_grad(x): autograd sees d/dx = x, the true derivative is 2x.
        var failure = autograd.gradcheck(v => v[0] * v[0].detach(), [x]);
        Assert.NotNull(failure);
    }

    [Fact]
    public void Gradcheck_elementwise_ops()
    {
        using var g = new Generator(2);
        using var a = Input(g, 2, 3);
        using var b = Input(g, 3);
        using var p = Positive(g, 2, 3);
        AssertGradcheck(v => v[0] + v[1], a, b);
        AssertGradcheck(v => v[0] - v[1] * 2, a, b);
        AssertGradcheck(v => v[0] * v[1], a, b);
        AssertGradcheck(v => v[0] / v[1], a, p);
        AssertGradcheck(v => v[0].exp(), a);
        AssertGradcheck(v => v[0].log(), p);
        AssertGradcheck(v => v[0].sqrt(), p);
        AssertGradcheck(v => v[0].pow(3), a);
        AssertGradcheck(v => v[0].pow(v[1]), p, a);
        AssertGradcheck(v => v[0].tanh(), a);
        AssertGradcheck(v => v[0].sigmoid(), a);
        AssertGradcheck(v => v[0].gelu(), a);
        AssertGradcheck(v => v[0].relu(), p);
        AssertGradcheck(v => v[0].clamp(0.6, 1.2), p);
        AssertGradcheck(v => where(v[0] > 0, v[0], v[1] * 3), a, p);
        AssertGradcheck(v => v[0].abs() + v[0].neg(), p);
    }

    [Fact]
    public void Gradcheck_reductions_and_softmax()
    {
        using var g = new Generator(3);
        using var a = Input(g, 3, 4);
        AssertGradcheck(v => v[0].sum(), a);
        AssertGradcheck(v => v[0].mean(1), a);
        AssertGradcheck(v => v[0].logsumexp(1), a);
        AssertGradcheck(v => v[0].softmax(-1), a);
        AssertGradcheck(v => v[0].log_softmax(0), a);
        AssertGradcheck(v => v[0].max(1).values, a);
        AssertGradcheck(v => v[0].var([1]), a);
        AssertGradcheck(v => v[0].norm(), a);
    }

    [Fact]
    public void Gradcheck_matrix_products_and_views()
    {
        using var g = new Generator(4);
        using var a = Input(g, 2, 3);
        using var b = Input(g, 3, 4);
        using var ba = Input(g, 2, 2, 3);
        using var bb = Input(g, 2, 3, 2);
        using var idx = tensor(new long[] { 2, 0, 2 });
        using var gidx = tensor(new long[] { 0, 2, 1, 1 }, 2, 2);
        AssertGradcheck(v => v[0].matmul(v[1]), a, b);
        AssertGradcheck(v => bmm(v[0], v[1]), ba, bb);
        AssertGradcheck(v => v[0].transpose(0, 1).reshape(6).view(2, 3).permute(1, 0), a);
        AssertGradcheck(v => v[0].unsqueeze(0).expand(4, 2, 3).squeeze(), a);
        AssertGradcheck(v => v[0].index_select(1, idx), a);
        AssertGradcheck(v => v[0].gather(1, gidx), a);
        AssertGradcheck(v => v[0][.., 1..], a);
        AssertGradcheck(v => cat([v[0], v[0] * 2], 1), a);
        AssertGradcheck(v => stack([v[0], v[0].exp()], 0), a);
    }
}
