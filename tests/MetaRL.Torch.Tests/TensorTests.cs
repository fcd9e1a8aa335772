using MetaRL.Torch;
using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Tests;

public sealed class TensorTests
{
    [Fact]
    public void Factories_make_the_requested_shape_dtype_and_values()
    {
        using var z = zeros(2, 3);
        Assert.Equal([2L, 3L], z.shape);
        Assert.Equal(ScalarType.Float32, z.dtype);
        Assert.All(z.ToArray<float>(), v => Assert.Equal(0f, v));

        using var o = ones([4], float64);
        Assert.Equal([1.0, 1.0, 1.0, 1.0], o.ToArray<double>());

        using var f = full([2], 7, int64);
        Assert.Equal([7L, 7L], f.ToArray<long>());

        using var a = arange(5);
        Assert.Equal([0L, 1, 2, 3, 4], a.ToArray<long>());

        using var e = eye(2);
        Assert.Equal([1f, 0, 0, 1], e.ToArray<float>());
        Assert.Equal(Device.CPU, e.device);
    }

    [Fact]
    public void Tensor_from_data_copies_and_round_trips()
    {
        float[] data = [1, 2, 3, 4, 5, 6];
        using var t = tensor(data, 2, 3);
        data[0] = 100;
        Assert.Equal([1f, 2, 3, 4, 5, 6], t.ToArray<float>());
        Assert.Equal(3L, t.size(1));
        Assert.Equal(3L, t.size(-1));

        using var l = tensor(new long[] { 3, 1, 2 });
        Assert.Equal(ScalarType.Int64, l.dtype);
        using var b = tensor(new[] { true, false });
        Assert.Equal([true, false], b.ToArray<bool>());
    }

    [Fact]
    public void From_array_shares_the_pinned_buffer_without_a_copy()
    {
        var buffer = new float[6];
        long live = Live.Settled();
        using (var t = from_array(buffer, 2, 3))
        {
            buffer[4] = 9;
            using var e = t[1, 1];
            Assert.Equal(9f, e.ToSingle());
            using var row = t[0];
            row.fill_(2);
            Assert.Equal([2f, 2, 2, 0, 9, 0], buffer);
        }
        Assert.Equal(live, LiveTensorCount);
    }

    [Fact]
    public void From_array_unpins_the_buffer_when_the_last_view_is_freed()
    {
        var (weak, view) = Make();
        GC.Collect();
        Assert.True(weak.IsAlive, "a view still uses the buffer, so it stays pinned");
        Assert.Equal(3f, view.ToArray<float>()[0]);
        view.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(weak.IsAlive, "the pin was not released");

        static (WeakReference, Tensor) Make()
        {
            var buffer = new float[] { 1, 2, 3, 4 };
            using var t = from_array(buffer);
            return (new WeakReference(buffer), t.slice(0, 2, 4));
        }
    }

    [Fact]
    public void Arithmetic_broadcasts_like_pytorch()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        using var b = tensor(new float[] { 10, 20, 30 }, 3);
        using var s = a + b;
        Assert.Equal([11f, 22, 33, 14, 25, 36], s.ToArray<float>());
        using var d = a - 1;
        Assert.Equal([0f, 1, 2, 3, 4, 5], d.ToArray<float>());
        using var m = 2.0 * a;
        Assert.Equal([2f, 4, 6, 8, 10, 12], m.ToArray<float>());
        using var q = a / b;
        Assert.Equal(0.1f, q.ToArray<float>()[0], 6);
        using var r = 1.0 / a;
        Assert.Equal(0.25f, r.ToArray<float>()[3], 6);
        using var n = -a;
        Assert.Equal(-6f, n.ToArray<float>()[5]);
        using var li = arange(3) + 1;
        Assert.Equal(ScalarType.Int64, li.dtype);
        Assert.Equal([1L, 2, 3], li.ToArray<long>());
    }

    [Fact]
    public void Matmul_and_bmm_multiply_matrices()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, 2, 2);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, 2, 2);
        using var c = a.matmul(b);
        Assert.Equal([19f, 22, 43, 50], c.ToArray<float>());
        using var ab = stack([a, b]);
        using var bb = stack([b, a]);
        using var batched = bmm(ab, bb);
        Assert.Equal([2L, 2, 2], batched.shape);
        Assert.Equal([19f, 22, 43, 50, 23, 34, 31, 46], batched.ToArray<float>());
    }

    [Fact]
    public void Reductions_and_activations_match_hand_computed_values()
    {
        using var a = tensor(new float[] { 1, 5, 3, -2, 0, 4 }, 2, 3);
        using var sum = a.sum();
        Assert.Equal(11f, sum.ToSingle());
        using var rowSums = a.sum(1);
        Assert.Equal([9f, 2], rowSums.ToArray<float>());
        using var mean = a.mean(0, keepdim: true);
        Assert.Equal([1L, 3], mean.shape);
        var (values, indexes) = a.max(1);
        using (values)
        using (indexes)
        {
            Assert.Equal([5f, 4], values.ToArray<float>());
            Assert.Equal([1L, 2], indexes.ToArray<long>());
        }
        using var am = a.argmax();
        Assert.Equal(1L, am.ToInt64());
        using var lse = a.logsumexp(1);
        Assert.Equal(Math.Log(Math.Exp(1) + Math.Exp(5) + Math.Exp(3)), lse.ToArray<float>()[0], 5);
        using var relu = a.relu();
        Assert.Equal([1f, 5, 3, 0, 0, 4], relu.ToArray<float>());
        using var sm = a.softmax(-1);
        using var smSum = sm.sum(-1);
        Assert.All(smSum.ToArray<float>(), v => Assert.Equal(1f, v, 5));
        using var lsm = a.log_softmax(-1);
        using var expLsm = lsm.exp();
        Assert.True(expLsm.allclose(sm, 1e-5, 1e-6));
        using var sg = zeros(1).sigmoid();
        Assert.Equal(0.5f, sg.ToSingle());
        using var th = zeros(1).tanh();
        Assert.Equal(0f, th.ToSingle());
        using var ge = ones(1).gelu();
        Assert.Equal(0.8413447f, ge.ToSingle(), 5);
    }

    [Fact]
    public void Comparisons_where_clamp_and_elementwise_math()
    {
        using var a = tensor(new float[] { -1, 0, 4 });
        using var gt = a > 0;
        Assert.Equal([false, false, true], gt.ToArray<bool>());
        using var zeros3 = zeros(3);
        using var w = where(gt, a, zeros3);
        Assert.Equal([0f, 0, 4], w.ToArray<float>());
        using var c = a.clamp(-0.5, 1);
        Assert.Equal([-0.5f, 0, 1], c.ToArray<float>());
        using var p = a.pow(2);
        Assert.Equal([1f, 0, 16], p.ToArray<float>());
        using var sq = p.sqrt();
        Assert.Equal([1f, 0, 4], sq.ToArray<float>());
        using var ex = zeros(1).exp();
        Assert.Equal(1f, ex.ToSingle());
        using var lg = ones(1).log();
        Assert.Equal(0f, lg.ToSingle());
        using var eq = a.eq(0);
        Assert.Equal([false, true, false], eq.ToArray<bool>());
    }

    [Fact]
    public void Views_and_indexing_share_storage_where_pytorch_does()
    {
        using var flat = arange(0, 24, dtype: float32);
        using var a = flat.reshape(2, 3, 4);
        Assert.StartsWith("tensor(float32[2, 3, 4], cpu) [0, 1, 2", a.ToString());
        using var v = a.view(6, 4);
        Assert.Equal([6L, 4], v.shape);
        using var p = a.permute(2, 0, 1);
        Assert.Equal([4L, 2, 3], p.shape);
        Assert.False(p.is_contiguous());
        using var tr = a.transpose(0, 1);
        Assert.Equal([3L, 2, 4], tr.shape);
        using var sl = a[.., 1..3, ^1];
        Assert.Equal([2L, 2], sl.shape);
        Assert.Equal([7f, 11, 19, 23], sl.ToArray<float>());
        using var idx = tensor(new long[] { 2, 0 });
        using var sel = a.index_select(2, idx);
        Assert.Equal([2f, 0], sel[0, 0].ToArray<float>());
        using var gidx = tensor(new long[] { 1, 0 }, 2, 1);
        using var m = tensor(new float[] { 1, 2, 3, 4 }, 2, 2);
        using var g = m.gather(1, gidx);
        Assert.Equal([2f, 3], g.ToArray<float>());
        using var u = m.unsqueeze(0);
        Assert.Equal([1L, 2, 2], u.shape);
        using var sq = u.squeeze(0);
        Assert.Equal([2L, 2], sq.shape);
        using var col = tensor(new float[] { 1, 2 }, 2, 1);
        using var ex = col.expand(2, 3);
        Assert.Equal([1f, 1, 1, 2, 2, 2], ex.ToArray<float>());
        using var cat0 = cat([m, m], 0);
        Assert.Equal([4L, 2], cat0.shape);
        using var none = m[TensorIndex.None, TensorIndex.Ellipsis];
        Assert.Equal([1L, 2, 2], none.shape);

        // A view writes through to its base.
        using var row = a[0, 0];
        row.fill_(-1);
        Assert.Equal(-1f, a.ToArray<float>()[3]);
        a[1, 2] = zeros(4);
        Assert.Equal(0f, a.ToArray<float>()[23]);
    }

    [Fact]
    public void Dtype_conversion_and_copy_out_to_spans()
    {
        using var a = tensor(new double[] { 1.5, 2.5 });
        using var f = a.to(float32);
        Span<float> buffer = stackalloc float[2];
        f.CopyTo(buffer);
        Assert.Equal(2.5f, buffer[1]);
        using var l = a.@long();
        Assert.Equal([1L, 2], l.ToArray<long>());
        var ex = Assert.Throws<TorchException>(() => f.CopyTo(new double[2].AsSpan()));
        Assert.Contains("float32", ex.Message);
        Assert.Throws<TorchException>(() => f.CopyTo(new float[3].AsSpan()));
    }

    [Fact]
    public void Seeded_generators_replay_their_draws()
    {
        using var g1 = new Generator(42);
        using var g2 = new Generator(42);
        using var a = randn([5], generator: g1);
        using var b = randn([5], generator: g2);
        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
        manual_seed(7);
        using var c = rand(3);
        manual_seed(7);
        using var d = rand(3);
        Assert.Equal(c.ToArray<float>(), d.ToArray<float>());
        using var r = randint(0, 10, [1000]);
        Assert.InRange(r.min().ToInt64(), 0, 9);
        Assert.InRange(r.max().ToInt64(), 0, 9);
    }

    [Fact]
    public void Scatter_in_place_writes_through_a_view_into_its_base()
    {
        using var scope = NewDisposeScope();
        var data = new float[6];
        var wrapped = from_array(data, 2, 3); // the caller's array, as the inference batcher's buffers
        var index = tensor(new long[] { 2, 0 }, 2, 1); // row 0 writes column 2, row 1 column 0
        var returned = wrapped.scatter_(1, index, tensor(new float[] { 7, 9 }, 2, 1));
        Assert.Equal([0f, 0, 7, 9, 0, 0], data);
        Assert.Same(wrapped, returned);
        var e = Assert.Throws<TorchException>(() => wrapped.scatter_(1, tensor(new long[] { 5, 0 }, 2, 1), tensor(new float[] { 1, 1 }, 2, 1)));
        Assert.Contains("scatter_", e.Message);
    }
}
