using MetaRL.Torch.Modules;
using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Tests.Interop;

/// <summary>
/// Checkpoints move both ways between MetaRL and real PyTorch (Debian's python3-torch, which CI
/// installs): interop.py rebuilds the same model in PyTorch and compares outputs and optimizer steps.
/// </summary>
public sealed class InteropTests : IDisposable
{
    private const double Tolerance = 1e-5;
    private readonly string dir = Directory.CreateTempSubdirectory("metarl-interop-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>The model of interop.py: Linear(5, 8) → tanh → GRU(8, 16) → Linear(16, 3).</summary>
    private sealed class Net : Module
    {
        public Net()
        {
            encoder = register_module("encoder", nn.Linear(5, 8));
            gru = register_module("gru", nn.GRU(8, 16));
            head = register_module("head", nn.Linear(16, 3));
        }

        private readonly Linear encoder;
        private readonly GRU gru;
        private readonly Linear head;

        public (Tensor y, Tensor h_n) forward(Tensor x, Tensor h0)
        {
            using var scope = NewDisposeScope();
            var (output, hN) = gru.forward(encoder.forward(x).tanh(), h0);
            return (head.forward(output).MoveToOuterDisposeScope(), hN.MoveToOuterDisposeScope());
        }

        public Tensor Loss(Tensor x, Tensor h0)
        {
            using var scope = NewDisposeScope();
            var (y, hN) = forward(x, h0);
            return (y.pow(2).mean() + hN.sum()).MoveToOuterDisposeScope();
        }
    }

    [PythonTorchFact]
    public void Python_loads_what_we_saved_and_computes_the_same_outputs_and_optimizer_step()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var net = new Net();
        using var adam = optim.Adam(net.parameters(), lr: 0.01);
        using var trainX = randn(6, 4, 5);
        using var trainH = randn(1, 4, 16);
        for (int i = 0; i < 3; i++)
        {
            adam.zero_grad();
            net.Loss(trainX, trainH).backward();
            adam.step();
        }
        net.save(Path.Combine(dir, "cs_model.pt"));

        var x = randn(7, 3, 5);
        var h0 = randn(1, 3, 16);
        using (no_grad())
        {
            var (y, hN) = net.forward(x, h0);
            save(new Dictionary<string, object?> { ["x"] = x, ["h0"] = h0, ["y"] = y, ["h_n"] = hN }, Path.Combine(dir, "cs_io.pt"));
        }

        // The optimizer's state before a step and that step's gradients, then where the step lands here.
        // Saved before stepping: the state dict's tensors share memory with the optimizer's.
        adam.zero_grad();
        net.Loss(trainX, trainH).backward();
        var state = adam.state_dict();
        save(new Dictionary<string, object?> { ["optimizer"] = state, ["grads"] = net.parameters().Select(p => (object?)p.grad).ToList() },
             Path.Combine(dir, "cs_optim_before.pt"));
        dispose_tensors(state);
        adam.step();
        save(net.parameters().Select(p => (object?)p.detach()).ToList(), Path.Combine(dir, "cs_optim_after.pt"));

        Python.Run("check", dir);
    }

    [PythonTorchFact]
    public void We_load_what_Python_saved_and_compute_the_same_outputs_and_optimizer_step()
    {
        Python.Run("make", dir);
        using var scope = NewDisposeScope();
        using var net = new Net();
        net.load(Path.Combine(dir, "py_model.pt"));

        var io = (OrderedDictionary<object, object?>)load(Path.Combine(dir, "py_io.pt"))!;
        var (y, hN) = net.forward((Tensor)io["x"]!, (Tensor)io["h0"]!);
        AssertClose((Tensor)io["y"]!, y, "outputs");
        AssertClose((Tensor)io["h_n"]!, hN, "final hidden state");

        // Views of one storage keep their offsets and strides.
        var baseT = (Tensor)io["base"]!;
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (double)i), baseT.ToArray<double>());
        Assert.Equal(new double[] { 2, 8, 14, 20 }, ((Tensor)io["column"]!).ToArray<double>());
        using var t = baseT.t();
        Assert.Equal(t.ToArray<double>(), ((Tensor)io["transposed"]!).ToArray<double>());
        Assert.Equal(new long[] { 6, 4 }, ((Tensor)io["transposed"]!).shape);
        Assert.Equal(new long[] { 1, -2, 3 }, ((Tensor)io["long"]!).ToArray<long>());
        Assert.Equal(new[] { true, false, true }, ((Tensor)io["mask"]!).ToArray<bool>());
        var parameter = (Tensor)io["parameter"]!;
        Assert.True(parameter.requires_grad);
        Assert.Equal(new[] { 1.5f, 1.5f }, parameter.detach().ToArray<float>());
        Assert.True(((Tensor)io["leaf"]!).requires_grad);

        var meta = (OrderedDictionary<object, object?>)io["meta"]!;
        Assert.Equal(3L, meta["steps"]);
        Assert.Equal("py", meta["name"]);
        Assert.Equal(0.5, meta["ratio"]);
        Assert.Equal(new object?[] { true, null }, (object?[])meta["flags"]!);
        Assert.Equal(1L << 40, meta["big"]);
        Assert.Equal(new List<object?> { 1L, -2L, 300L, 70000L }, (List<object?>)meta["ids"]!);

        var before = (OrderedDictionary<object, object?>)load(Path.Combine(dir, "py_optim_before.pt"))!;
        var after = (List<object?>)load(Path.Combine(dir, "py_optim_after.pt"))!;
        using var adam = optim.Adam(net.parameters(), lr: 0.5);
        adam.load_state_dict((OrderedDictionary<object, object?>)before["optimizer"]!);
        Assert.Equal(0.01, adam.param_groups[0].lr, 12);
        var parameters = net.named_parameters().ToList();
        var grads = (List<object?>)before["grads"]!;
        for (int i = 0; i < parameters.Count; i++) parameters[i].parameter.grad = (Tensor)grads[i]!;
        adam.step();
        for (int i = 0; i < parameters.Count; i++) AssertClose((Tensor)after[i]!, parameters[i].parameter, $"Adam step from Python's state, {parameters[i].name}");
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var e = expected.to(ScalarType.Float64).ToArray<double>();
        var a = actual.detach().to(ScalarType.Float64).ToArray<double>();
        double worst = e.Zip(a, (p, q) => Math.Abs(p - q)).Max();
        Assert.True(worst <= Tolerance, $"{what}: max |diff| {worst:G3} exceeds {Tolerance}");
    }
}
