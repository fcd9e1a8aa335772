// The torch binding's cost, each figure beside its reference measured in the same run (docs/architecture.md §6):
//  (a) per-op overhead: a small add through the binding (handle, Tensor object, dispose) vs the same
//      at::add in a C++ loop inside the shim (mrt_bench_add_loop), ns/op and the ratio;
//  (b) batched GRU forward, batch 4096, input 16, hidden 256, one step (nn.GRU.step vs at::gru_cell in
//      C++) and a short sequence (nn.GRU.forward vs at::gru in C++), GFLOP/s of the GEMMs and the ratio,
//      which must stay within 5 %;
//  (c) one PPO-sized training step: GRU-256 over 64 sequences × 100 steps, policy and value heads,
//      clipped PPO loss, backward, clip_grad_norm_, Adam, in ms;
//  (d) the RL² GRU's whole-trial forward + backward at bandit sizes: GRU.step in a loop (at::gru_cell under
//      autograd) against GRU.sequence (the shim's fused sequence), ms and the ratio.
// Figures are medians of several runs after warm-up; binding and reference runs are interleaved so that
// drift hits both alike. Usage: [--runs N] [--threads N] [--sequence T]
using System.Diagnostics;
using System.Globalization;
using MetaRL.Torch;
using MetaRL.Torch.Interop;
using MetaRL.Torch.Modules;
using static MetaRL.Torch.torch;

int runs = 7, threads = 2, seqLen = 8;
for (int a = 0; a < args.Length; a++)
{
    if (args[a] == "--runs" && a + 1 < args.Length) runs = int.Parse(args[++a], CultureInfo.InvariantCulture);
    else if (args[a] == "--threads" && a + 1 < args.Length) threads = int.Parse(args[++a], CultureInfo.InvariantCulture);
    else if (args[a] == "--sequence" && a + 1 < args.Length) seqLen = int.Parse(args[++a], CultureInfo.InvariantCulture);
    else { Console.Error.WriteLine($"unknown argument '{args[a]}'; expected --runs N, --threads N or --sequence T"); return 2; }
}
if (runs < 1 || threads < 1 || seqLen < 1) { Console.Error.WriteLine("--runs, --threads and --sequence must be at least 1"); return 2; }

set_num_threads(threads);
manual_seed(0);
var device = cuda.is_available() ? Device.CUDA(0) : Device.CPU;
Console.WriteLine($"MetaRL.Torch bench: libtorch {__version__}, {get_num_threads()} torch thread(s), {device}, median of {runs} runs " +
                  $"({Environment.ProcessorCount} CPUs, .NET {Environment.Version})");

// ---- (a) per-op overhead ----
Console.WriteLine();
Console.WriteLine("(a) per-op overhead: a + b");
Console.WriteLine($"{"elements",9} {"binding ns/op",14} {"C++ loop ns/op",15} {"binding/C++",12}");
foreach (long n in new long[] { 1, 16 })
{
    using var a = randn([n], device: device);
    using var b = randn([n], device: device);
    const long Iterations = 200_000;
    double Binding()
    {
        var sw = Stopwatch.StartNew();
        for (long i = 0; i < Iterations; i++)
        {
            using var r = a + b;
        }
        Sync();
        return sw.Elapsed.TotalNanoseconds / Iterations;
    }
    double Cpp()
    {
        double ns = Native.mrt_bench_add_loop(a.Handle, b.Handle, Iterations);
        Sync();
        return ns;
    }
    var (mb, mc) = Interleaved(Binding, Cpp, runs, warmupSeconds: 0.5);
    Console.WriteLine($"{n,9} {mb,14:F0} {mc,15:F0} {mb / mc,12:F2}");
}

// ---- (b) batched GRU forward ----
const long Batch = 4096, Input = 16, Hidden = 256;
double stepFlops = 2.0 * Batch * 3 * Hidden * (Input + Hidden); // the two GEMMs of a GRU step
Console.WriteLine();
Console.WriteLine($"(b) batched GRU forward, batch {Batch}, input {Input}, hidden {Hidden}, no grad (GFLOP/s of the GEMMs, {stepFlops / 1e9:F2} GFLOP per step)");
Console.WriteLine($"{"case",-22} {"binding GFLOP/s",16} {"raw libtorch GFLOP/s",21} {"binding/raw",12} {"within 5 %",11}");
bool within = true;
using (no_grad())
using (var gru = nn.GRU(Input, Hidden, device: device))
{
    gru.eval();
    using var x = randn([Batch, Input], device: device);
    using var h = randn([1, Batch, Hidden], device: device);
    using var h2d = h.select(0, 0);
    using var xs = randn([seqLen, Batch, Input], device: device);
    var ps = gru.parameters().ToArray();

    const int StepsPerRun = 5; // about 0.1 s per run at 90 GFLOP/s, so that one scheduler hiccup does not decide a run
    double StepBinding()
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < StepsPerRun; i++)
        {
            var (o, hn) = gru.step(x, h);
            o.Dispose();
            hn.Dispose();
        }
        Sync();
        return StepsPerRun * stepFlops / sw.Elapsed.TotalSeconds / 1e9;
    }
    double StepRaw()
    {
        double ns = Native.mrt_bench_gru_cell_loop(x.Handle, h2d.Handle, ps[0].Handle, ps[1].Handle, ps[2].Handle, ps[3].Handle, StepsPerRun);
        Sync();
        return stepFlops / ns;
    }
    within &= Row($"one step", Interleaved(StepBinding, StepRaw, runs, warmupSeconds: 0.5));

    double SeqBinding()
    {
        var sw = Stopwatch.StartNew();
        var (o, hn) = gru.forward(xs, h);
        o.Dispose();
        hn.Dispose();
        Sync();
        return seqLen * stepFlops / sw.Elapsed.TotalSeconds / 1e9;
    }
    unsafe double SeqRaw()
    {
        nint* handles = stackalloc nint[ps.Length];
        for (int i = 0; i < ps.Length; i++) handles[i] = ps[i].Handle;
        double ns = Native.mrt_bench_gru_loop(xs.Handle, h.Handle, handles, ps.Length, 1, 0, 1);
        Sync();
        return seqLen * stepFlops / ns;
    }
    within &= Row($"sequence of {seqLen}", Interleaved(SeqBinding, SeqRaw, runs, warmupSeconds: 0.5));
}

// ---- (c) one PPO-sized training step ----
const long Sequences = 64, Steps = 100, Actions = 5;
Console.WriteLine();
Console.WriteLine($"(c) PPO training step: GRU-{Hidden} over {Sequences} sequences × {Steps} steps, input {Input}, {Actions} actions; " +
                  "forward + clipped loss + backward + clip_grad_norm_ + Adam");
using (var policy = new PpoNet(Input, Hidden, Actions, device))
using (var adam = optim.Adam(policy.parameters(), lr: 3e-4))
{
    using var obs = randn([Steps, Sequences, Input], device: device);
    using var actions = randint(0, Actions, [Steps, Sequences, 1], device: device);
    using var oldLogProb = full([Steps, Sequences], -Math.Log(Actions), device: device);
    using var advantages = randn([Steps, Sequences], device: device);
    using var returns = randn([Steps, Sequences], device: device);
    double TrainStep()
    {
        var sw = Stopwatch.StartNew();
        using (NewDisposeScope())
        {
            var (logits, value) = policy.Forward(obs);
            var logp = logits.log_softmax(-1);
            var taken = logp.gather(-1, actions).squeeze(-1);
            var ratio = (taken - oldLogProb).exp();
            var surrogate = minimum(ratio * advantages, ratio.clamp(0.8, 1.2) * advantages);
            var entropy = -(logp.exp() * logp).sum(-1);
            var loss = -surrogate.mean() + 0.5 * nn.functional.mse_loss(value, returns) - 0.01 * entropy.mean();
            adam.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(policy.parameters(), 0.5);
            adam.step();
        }
        Sync();
        return sw.Elapsed.TotalMilliseconds;
    }
    TrainStep(); // warm-up
    var ms = new double[Math.Max(3, runs / 2)];
    for (int r = 0; r < ms.Length; r++) ms[r] = TrainStep();
    Console.WriteLine($"train step: {Median(ms):F1} ms (median of {ms.Length}; min {ms.Min():F1}, max {ms.Max():F1})");
}

// ---- (d) the RL² GRU's whole-trial forward and backward: the step loop against the fused sequence ----
Console.WriteLine();
Console.WriteLine("(d) whole-trial GRU forward + backward, bandit-sized (input 9, 100 steps): GRU.step in a loop vs GRU.sequence (fused on the CPU)");
Console.WriteLine($"{"hidden",7} {"trials",7} {"loop ms",9} {"fused ms",9} {"fused/loop",11}");
foreach (var (hidden, trials) in new[] { (64, 32), (64, 64), (128, 32), (128, 64) })
{
    using var gru = nn.GRU(9, hidden, device: device);
    using var x = randn([100, trials, 9], device: device);
    using var h0 = zeros([1, trials, hidden], device: device);
    using var upstream = randn([100, trials, hidden], device: device);
    double Pass(bool fused)
    {
        var sw = Stopwatch.StartNew();
        using (NewDisposeScope())
        {
            foreach (var p in gru.parameters()) p.grad = null;
            Tensor outputs;
            if (fused) outputs = gru.sequence(x, h0);
            else
            {
                var h = h0;
                var steps = new Tensor[100];
                for (int t = 0; t < 100; t++) (steps[t], h) = gru.step(x[t], h);
                outputs = stack(steps, 0);
            }
            (outputs * upstream).sum().backward();
        }
        Sync();
        return sw.Elapsed.TotalMilliseconds;
    }
    var (loop, fusedMs) = Interleaved(() => Pass(false), () => Pass(true), runs, warmupSeconds: 0.5);
    Console.WriteLine($"{hidden,7} {trials,7} {loop,9:F1} {fusedMs,9:F1} {fusedMs / loop,11:F2}");
}

Console.WriteLine();
Console.WriteLine(within ? "GRU forward through the binding is within 5 % of raw libtorch" : "GRU forward through the binding is NOT within 5 % of raw libtorch");
return within ? 0 : 1;

void Sync()
{
    if (device.Type == DeviceType.CUDA) cuda.synchronize();
}

static bool Row(string name, (double Binding, double Raw) m)
{
    double ratio = m.Binding / m.Raw;
    bool ok = ratio >= 0.95;
    Console.WriteLine($"{name,-22} {m.Binding,16:F1} {m.Raw,21:F1} {ratio,12:F3} {(ok ? "yes" : "NO"),11}");
    return ok;
}

static (double, double) Interleaved(Func<double> binding, Func<double> reference, int runs, double warmupSeconds)
{
    var warm = Stopwatch.StartNew();
    do { binding(); reference(); } while (warm.Elapsed.TotalSeconds < warmupSeconds);
    var b = new double[runs];
    var r = new double[runs];
    for (int i = 0; i < runs; i++)
    {
        // Alternate which goes first, so that neither always follows the other's cache state.
        if (i % 2 == 0) { b[i] = binding(); r[i] = reference(); }
        else { r[i] = reference(); b[i] = binding(); }
    }
    return (Median(b), Median(r));
}

static double Median(double[] xs)
{
    var s = xs.OrderBy(x => x).ToArray();
    return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
}

/// <summary>An RL²-shaped recurrent actor-critic: GRU, then policy logits and a value per step.</summary>
internal sealed class PpoNet : Module
{
    private readonly GRU gru;
    private readonly Linear pi;
    private readonly Linear v;

    public PpoNet(long input, long hidden, long actions, Device device)
    {
        gru = register_module("gru", nn.GRU(input, hidden, device: device));
        pi = register_module("pi", nn.Linear(hidden, actions, device: device));
        v = register_module("v", nn.Linear(hidden, 1, device: device));
    }

    public (Tensor logits, Tensor value) Forward(Tensor obs)
    {
        var (output, hN) = gru.forward(obs);
        hN.Dispose();
        return (pi.forward(output), v.forward(output).squeeze(-1));
    }
}
