using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Tests;

public sealed class DeviceAndRuntimeTests
{
    [Fact]
    public void Devices_parse_and_print_with_pytorch_spelling()
    {
        Assert.Equal(Device.CPU, Device.Parse("cpu"));
        Assert.Equal(Device.CUDA(0), Device.Parse("cuda"));
        Assert.Equal(Device.CUDA(1), Device.Parse(" CUDA:1 "));
        Assert.Equal("cpu", Device.CPU.ToString());
        Assert.Equal("cuda:2", Device.CUDA(2).ToString());
        Assert.Throws<FormatException>(() => Device.Parse("tpu"));
        Assert.Throws<FormatException>(() => Device.Parse("cuda:-1"));
    }

    [Fact]
    public void Tensors_move_between_devices_or_say_clearly_that_cuda_is_missing()
    {
        using var x = arange(0, 6, dtype: float32).reshape(2, 3);
        using (var same = x.to(Device.CPU))
            Assert.Equal(x.ToArray<float>(), same.ToArray<float>());

        if (cuda.is_available())
        {
            Assert.True(cuda.device_count() >= 1);
            using var onGpu = x.to(Device.CUDA(0));
            Assert.Equal(Device.CUDA(0), onGpu.device);
            using var doubled = onGpu * 2;
            using var back = doubled.cpu();
            Assert.Equal(new float[] { 0, 2, 4, 6, 8, 10 }, back.ToArray<float>());
            return;
        }

        // A CPU-only libtorch: a .NET exception naming the op and the operand, and the process lives on.
        long live = Live.Settled();
        var e = Assert.Throws<TorchException>(() => x.to(Device.CUDA(0)));
        Assert.Equal("to", e.Op);
        Assert.Contains("float32[2, 3]", e.Message);
        Assert.Contains("CUDA is not available", e.Message);
        Assert.Throws<TorchException>(() => zeros([2], device: Device.CUDA(0)));
        Assert.Equal(live, LiveTensorCount);
        Assert.Equal(0, cuda.device_count());
        using var stillWorks = x + 1;
        Assert.Equal(6f, stillWorks.ToArray<float>()[^1]);
    }

    [Fact]
    public void Set_num_threads_takes_effect_and_rejects_zero()
    {
        int before = get_num_threads();
        try
        {
            set_num_threads(2);
            Assert.Equal(2, get_num_threads());
            set_num_threads(1);
            Assert.Equal(1, get_num_threads());
            Assert.Throws<ArgumentOutOfRangeException>(() => set_num_threads(0));
        }
        finally
        {
            set_num_threads(before);
        }
    }

    [Fact]
    public void Blas_threads_reach_debian_s_openblas_and_reject_zero()
    {
        // The set-up installs libopenblas0-pthread; without it libtorch falls back to a BLAS ~20x slower, and
        // this finds no OpenBLAS to size.
        Assert.True(set_blas_threads(Environment.ProcessorCount), "libtorch's GEMMs do not run on OpenBLAS here");
        Assert.Throws<ArgumentOutOfRangeException>(() => set_blas_threads(0));
    }

    [Fact]
    public void Manual_seed_replays_the_global_generator()
    {
        manual_seed(123);
        using var a = randn(8);
        using var ia = randint(0, 1000, [8]);
        manual_seed(123);
        using var b = randn(8);
        using var ib = randint(0, 1000, [8]);
        manual_seed(124);
        using var c = randn(8);
        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
        Assert.Equal(ia.ToArray<long>(), ib.ToArray<long>());
        Assert.NotEqual(a.ToArray<float>(), c.ToArray<float>());
    }
}
