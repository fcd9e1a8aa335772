using MetaRL.Torch;
using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Tests;

public sealed class ErrorAndMemoryTests
{
    [Fact]
    public void Shape_mismatch_raises_a_dotnet_exception_naming_op_and_shapes_and_the_process_lives_on()
    {
        using var a = zeros(2, 3);
        using var b = zeros(4, 5);
        var ex = Assert.Throws<TorchException>(() => a.matmul(b));
        Assert.Equal("matmul", ex.Op);
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4, 5]", ex.Message);
        Assert.DoesNotContain("frame #", ex.Message);

        using var c = zeros(3);
        var add = Assert.Throws<TorchException>(() => a + zeros(4));
        Assert.Contains("add", add.Message);
        Assert.Contains("[2, 3]", add.Message);
        Assert.Contains("[4]", add.Message);

        // Still alive and working.
        using var ok = a + c;
        Assert.Equal([2L, 3], ok.shape);
    }

    [Fact]
    public void Wrong_dtype_and_bad_arguments_raise_instead_of_crashing()
    {
        using var f = zeros(3);
        using var idx = tensor(new float[] { 0, 1 });
        Assert.Throws<TorchException>(() => f.index_select(0, idx));
        Assert.Throws<TorchException>(() => f.view(4));
        Assert.Throws<TorchException>(() => f.select(0, 5));
        Assert.Throws<TorchException>(() => f.softmax(3));
    }

    [Fact]
    public void Dispose_scope_frees_what_a_step_created_and_keeps_what_moved_out()
    {
        long before = Live.Settled();
        Tensor kept;
        using (var outer = NewDisposeScope())
        {
            Tensor inner;
            using (NewDisposeScope())
            {
                var a = ones(3);
                var b = a * 2 + 1;
                inner = (b.sum() * 1).MoveToOuterDisposeScope();
                Assert.Equal(before + 5, LiveTensorCount);
            }
            Assert.Equal(before + 1, LiveTensorCount);
            Assert.Same(outer, DisposeScope.Current);
            kept = outer.Detach(inner);
        }
        Assert.Null(DisposeScope.Current);
        Assert.Equal(before + 1, LiveTensorCount);
        Assert.Equal(9f, kept.ToSingle());
        kept.Dispose();
        Assert.Equal(before, LiveTensorCount);
    }

    [Fact]
    public void Disposed_tensor_reports_object_disposed()
    {
        var t = zeros(1);
        t.Dispose();
        t.Dispose();
        Assert.True(t.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => t.sum());
    }

    [Fact]
    public void Finalizer_frees_tensors_nobody_disposed()
    {
        long before = Live.Settled();
        Leak();
        for (int i = 0; i < 5 && LiveTensorCount > before; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.True(LiveTensorCount <= before, $"live {LiveTensorCount} > {before}");

        static void Leak()
        {
            for (int i = 0; i < 100; i++) _ = zeros(10);
        }
    }
}
