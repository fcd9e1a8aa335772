using MetaRL.Torch;
using MetaRL.Torch.Modules;
using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Tests;

public sealed class ModuleTests
{
    private static void AssertGradcheck(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var failure = autograd.gradcheck(f, inputs);
        Assert.True(failure is null, failure);
    }

    private static Tensor Input(Generator g, params long[] shape) => randn(shape, float64, generator: g).requires_grad_();

    [Fact]
    public void Parameters_buffers_and_children_have_pytorch_names()
    {
        using var model = new Net();
        Assert.Equal(
            ["scale", "body.0.weight", "body.0.bias", "body.2.weight", "body.2.bias", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0"],
            model.named_parameters().Select(p => p.name));
        Assert.Equal(["steps", "body.1.dummy"], model.named_buffers().Select(b => b.name));
        Assert.Equal(["body", "rnn"], model.named_children().Select(c => c.name));
        Assert.Contains("body.0", model.named_modules().Select(m => m.name));
        using var sd = model.state_dict();
        Assert.Equal(model.named_parameters().Count() + 1, sd.Count);
        Assert.True(sd.ContainsKey("steps"));
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void Train_and_eval_reach_every_descendant_and_switch_dropout()
    {
        using var drop = nn.Dropout(0.5);
        using var seq = nn.Sequential(nn.Linear(4, 4), drop);
        seq.eval();
        Assert.False(drop.training);
        using var x = ones(1000);
        using (var y = drop.call(x)) Assert.True(y.eq(x).all().ToBoolean());
        seq.train();
        using var z = drop.call(x);
        using var zeroed = z.eq(0).@double().mean();
        Assert.InRange(zeroed.ToDouble(), 0.4, 0.6);
        using var kept = z.masked_select(z.ne(0));
        Assert.True(kept.eq(2.0).all().ToBoolean());
    }

    [Fact]
    public void State_dict_round_trips_and_load_checks_keys_and_shapes()
    {
        manual_seed(1);
        using var a = nn.Linear(3, 2);
        using var b = nn.Linear(3, 2);
        using var weightB = b.weight.alias();
        using (var sd = a.state_dict()) b.load_state_dict(sd);
        Assert.Equal(a.weight.ToArray<float>(), b.weight.ToArray<float>());
        // Loaded in place: references held elsewhere (optimizers) see the new values.
        Assert.Equal(a.weight.ToArray<float>(), weightB.ToArray<float>());

        using var wrong = nn.Linear(4, 2);
        using var sdWrong = wrong.state_dict();
        var ex = Assert.Throws<InvalidOperationException>(() => b.load_state_dict(sdWrong));
        Assert.Contains("size mismatch for weight", ex.Message);
        Assert.Contains("[2, 4]", ex.Message);
        Assert.Contains("[2, 3]", ex.Message);

        using var noBias = nn.Linear(3, 2, hasBias: false);
        using var sdNoBias = noBias.state_dict();
        var missing = Assert.Throws<InvalidOperationException>(() => b.load_state_dict(sdNoBias));
        Assert.Contains("Missing key(s) in state_dict: \"bias\"", missing.Message);
        var (m, u) = b.load_state_dict(sdNoBias, strict: false);
        Assert.Equal(["bias"], m);
        Assert.Empty(u);
    }

    [Fact]
    public void Module_to_converts_in_place_keeping_identity()
    {
        using var lin = nn.Linear(2, 2);
        var w = lin.weight;
        lin.to(float64);
        Assert.Same(w, lin.weight);
        Assert.Equal(ScalarType.Float64, lin.weight.dtype);
        lin.to(Device.CPU);
        Assert.Equal(Device.CPU, lin.weight.device);
    }

    [Fact]
    public void Modules_survive_the_dispose_scope_they_were_built_in()
    {
        Linear lin;
        using (NewDisposeScope()) lin = nn.Linear(2, 3);
        using (lin)
        {
            using var x = ones(1, 2);
            using var y = lin.call(x);
            Assert.Equal([1L, 3], y.shape);
        }
        Assert.True(lin.weight.IsDisposed);
    }

    [Fact]
    public void Initialisers_follow_their_definitions()
    {
        using var w = empty(64, 32);
        nn.init.orthogonal_(w, 2);
        using var wwT = w.t().matmul(w);
        using var eye32 = eye(32) * 4.0;
        Assert.True(wwT.allclose(eye32, 1e-4, 1e-4));
        using var g = new Generator(3);
        using var a = empty(64, 32);
        nn.init.orthogonal_(a, 1, g);
        using var aTa = a.t().matmul(a);
        using var i32 = eye(32);
        Assert.True(aTa.allclose(i32, 1e-4, 1e-4));

        nn.init.xavier_uniform_(w);
        double bound = Math.Sqrt(6.0 / 96);
        Assert.InRange(w.abs().max().ToDouble(), bound * 0.8, bound);
        nn.init.zeros_(w);
        Assert.Equal(0.0, w.abs().sum().ToDouble());
    }

    [Fact]
    public void Gradcheck_linear_embedding_layer_norm()
    {
        using var g = new Generator(5);
        using var lin = nn.Linear(3, 2, dtype: float64);
        using var x = Input(g, 4, 3);
        AssertGradcheck(v => lin.call(v[0]), x, lin.weight, lin.bias!);

        using var emb = nn.Embedding(5, 3, dtype: float64);
        using var idx = tensor(new long[] { 4, 0, 4, 2 });
        AssertGradcheck(v => emb.call(idx), emb.weight);

        using var ln = nn.LayerNorm(3, dtype: float64);
        using var noise = randn([3], float64, generator: g);
        using (no_grad()) ln.weight!.add_(noise);
        AssertGradcheck(v => ln.call(v[0]), x, ln.weight!, ln.bias!);
    }

    [Fact]
    public void Gradcheck_sequential_dropout_and_mse_loss()
    {
        using var g = new Generator(8);
        using var drop = nn.Dropout(0.3);
        using var seq = nn.Sequential(nn.Linear(3, 4, dtype: float64), nn.GELU(), drop, nn.Linear(4, 2, dtype: float64), nn.Tanh());
        using var x = Input(g, 5, 3);
        using var target = randn([5, 2], float64, generator: g);
        // Dropout in training mode draws a mask; reseeding makes every evaluation draw the same one.
        AssertGradcheck(v =>
        {
            manual_seed(9);
            return nn.functional.mse_loss(seq.call(v[0]), target);
        }, [x, .. seq.parameters()]);
        seq.eval();
        AssertGradcheck(v => seq.call(v[0]), [x, .. seq.parameters()]);
    }

    [Fact]
    public void Gradcheck_gru_and_lstm_sequence_and_step()
    {
        using var g = new Generator(6);
        using var gru = nn.GRU(3, 4, numLayers: 2, dtype: float64);
        using var seq = Input(g, 5, 2, 3);
        using var h0 = Input(g, 2, 2, 4);
        AssertGradcheck(v => gru.forward(v[0], v[1]).output, [seq, h0, .. gru.parameters()]);
        using var x = Input(g, 2, 3);
        AssertGradcheck(v => gru.step(v[0], v[1]).h_n, [x, h0, .. gru.parameters()]);

        using var lstm = nn.LSTM(3, 4, dtype: float64);
        using var lh = Input(g, 1, 2, 4);
        using var lc = Input(g, 1, 2, 4);
        AssertGradcheck(v => lstm.forward(v[0], (v[1], v[2])).output, [seq, lh, lc, .. lstm.parameters()]);
        AssertGradcheck(v => lstm.step(v[0], (v[1], v[2])).state.c_n, [x, lh, lc, .. lstm.parameters()]);
    }

    [Fact]
    public void Gru_step_by_step_equals_the_sequence_kernel()
    {
        manual_seed(2);
        foreach (int layers in new[] { 1, 2 })
        {
            using var scope = NewDisposeScope();
            var gru = nn.GRU(5, 8, numLayers: layers);
            var xs = randn(7, 3, 5);
            var h0 = randn(layers, 3, 8);
            var (output, hN) = gru.forward(xs, h0);
            var h = h0;
            for (int t = 0; t < 7; t++)
            {
                var (o, next) = gru.step(xs[t], h);
                Assert.True(o.allclose(output[t], 1e-5, 1e-6), $"layers {layers} step {t}");
                h = next;
            }
            Assert.True(h.allclose(hN, 1e-5, 1e-6));
            using var batchFirst = nn.GRU(5, 8, numLayers: layers, batchFirst: true);
            batchFirst.load_state_dict(gru.state_dict());
            var (bfOut, _) = batchFirst.forward(xs.transpose(0, 1), h0);
            Assert.True(bfOut.transpose(0, 1).allclose(output, 1e-5, 1e-6));
            gru.Dispose();
        }
    }

    [Fact]
    public void Gru_sequence_equals_steps_in_values_and_gradients_on_the_fused_cpu_path()
    {
        manual_seed(4);
        using var scope = NewDisposeScope();
        var gru = nn.GRU(5, 8);
        var x = randn(9, 3, 5).requires_grad_();
        var h0 = randn(1, 3, 8).requires_grad_();
        var upstream = randn(9, 3, 8); // a gradient of every output, so every step's backward is exercised
        Tensor[] Grads() => [x.grad!.clone(), h0.grad!.clone(), .. gru.parameters().Select(p => p.grad!.clone())];
        void Clear()
        {
            x.grad = null;
            h0.grad = null;
            foreach (var p in gru.parameters()) p.grad = null;
        }

        var fused = gru.sequence(x, h0);
        (fused * upstream).sum().backward();
        var fusedGrads = Grads();
        Clear();
        var h = h0;
        var outputs = new Tensor[9];
        for (int t = 0; t < 9; t++) (outputs[t], h) = gru.step(x[t], h);
        var stepped = stack(outputs, 0);
        (stepped * upstream).sum().backward();
        var steppedGrads = Grads();

        Assert.True(fused.allclose(stepped, 1e-5, 1e-6));
        Assert.Equal(6, fusedGrads.Length);
        for (int i = 0; i < fusedGrads.Length; i++)
        {
            Assert.True(steppedGrads[i].abs().max().item<float>() > 1e-3, $"gradient {i} is a real one");
            Assert.True(fusedGrads[i].allclose(steppedGrads[i], 1e-4, 1e-5), $"gradient {i}: fused and stepped differ by {(fusedGrads[i] - steppedGrads[i]).abs().max().item<float>()}");
        }

        // float64 (or another device) takes the step loop; a wrong h0 is refused by the shim with its shape.
        using var gru64 = nn.GRU(5, 8, dtype: float64);
        var x64 = randn([4, 2, 5], float64);
        var h64 = zeros([1, 2, 8], float64);
        var loop = gru64.sequence(x64, h64);
        Assert.True(loop.allclose(gru64.forward(x64, h64).output, 1e-10, 1e-12));
        var e = Assert.Throws<TorchException>(() => gru.sequence(x, zeros(1, 2, 8)));
        Assert.Contains("gru_sequence", e.Message);
    }

    [Fact]
    public void Lstm_step_by_step_equals_the_sequence_kernel()
    {
        manual_seed(3);
        using var scope = NewDisposeScope();
        var lstm = nn.LSTM(4, 6, numLayers: 2);
        var xs = randn(5, 2, 4);
        var (output, (hN, cN)) = lstm.forward(xs);
        (Tensor h, Tensor c)? state = null;
        for (int t = 0; t < 5; t++)
        {
            var (o, next) = lstm.step(xs[t], state);
            Assert.True(o.allclose(output[t], 1e-5, 1e-6));
            state = next;
        }
        Assert.True(state!.Value.h.allclose(hN, 1e-5, 1e-6));
        Assert.True(state!.Value.c.allclose(cN, 1e-5, 1e-6));
        lstm.Dispose();
    }

    [Fact]
    public void Causal_attention_ignores_the_future_and_its_cache_matches_the_full_pass()
    {
        manual_seed(4);
        using var scope = NewDisposeScope();
        var attn = nn.CausalSelfAttention(8, 2);
        var x = randn(2, 5, 8);
        var full = attn.call(x);
        var changed = x.clone();
        changed[.., 4] = randn(2, 8);
        var full2 = attn.call(changed);
        Assert.True(full[.., ..4].allclose(full2[.., ..4], 1e-5, 1e-6), "an earlier position saw a later one");
        Assert.False(full[.., 4].allclose(full2[.., 4], 1e-5, 1e-6));

        // Incremental: 3 positions, then 1, then 1, through the key/value cache.
        var (o1, k, v) = attn.forward(x[.., ..3], null, null);
        var (o2, k2, v2) = attn.forward(x[.., 3..4], k, v);
        var (o3, k3, _) = attn.forward(x[.., 4..5], k2, v2);
        Assert.Equal([2L, 2, 5, 4], k3.shape);
        Assert.True(cat([o1, o2, o3], 1).allclose(full, 1e-5, 1e-5));
        attn.Dispose();
    }

    [Fact]
    public void Gradcheck_causal_attention()
    {
        using var g = new Generator(7);
        using var attn = nn.CausalSelfAttention(4, 2, dtype: float64);
        using var x = Input(g, 2, 3, 4);
        AssertGradcheck(v => attn.call(v[0]), [x, .. attn.parameters()]);
    }

    private sealed class Net : Module<Tensor, Tensor>
    {
        public Net()
        {
            scale = register_parameter("scale", ones(1))!;
            body = register_module("body", nn.Sequential(nn.Linear(2, 3), new WithBuffer(), nn.Linear(3, 2)));
            rnn = register_module("rnn", nn.GRU(2, 2));
            register_buffer("steps", zeros([1], int64));
        }

        public Tensor scale { get; }

        public Sequential body { get; }

        public GRU rnn { get; }

        public override Tensor forward(Tensor input) => body.forward(input);
    }

    private sealed class WithBuffer : Module<Tensor, Tensor>
    {
        public WithBuffer() => register_buffer("dummy", zeros(1), persistent: false);

        public override Tensor forward(Tensor input) => input.relu();
    }
}
