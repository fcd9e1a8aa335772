using System.Text.Json;
using LstmModel;
using MetaRL.Policies;
using static MetaRL.Torch.torch;

namespace MetaRL.Extensions.Tests;

/// <summary>samples/LstmModel: a model of the user's own, one step at a time as the batcher runs it and over whole trials as PPO does.</summary>
public sealed class LstmSampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metarl-lstm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Steps_carrying_the_memory_compute_what_the_whole_trial_computes()
    {
        manual_seed(7);
        using var model = new Rl2LstmModel(inputSize: 5, actions: 3, hidden: 6);
        using var x = randn([4, 2, 5]); // 4 steps, 2 agents
        var (logits, values) = model.ForwardTrials(x);
        using var memory = zeros([2, model.MemorySize]);
        using (no_grad())
            for (int t = 0; t < 4; t++)
            {
                using var xt = x[t];
                var (stepLogits, stepValues) = model.Step(xt, memory);
                using var expectedLogits = logits[t];
                using var expectedValues = values[t];
                Assert.True(stepLogits.allclose(expectedLogits, rtol: 1e-5, atol: 1e-5), $"logits differ at step {t}");
                Assert.True(stepValues.allclose(expectedValues, rtol: 1e-5, atol: 1e-5), $"values differ at step {t}");
            }
        Assert.NotEqual(0f, memory.abs().sum().item<float>()); // the memory was written in place
    }

    [Fact]
    public void The_lstm_meta_trains_on_bandits_from_its_config_and_eval_scores_it_above_random()
    {
        var dll = typeof(LstmExtension).Assembly.Location;
        var runs = Path.Combine(_dir, "runs");
        var (code, stdout, stderr) = Cli.Run("--extension", dll, "train", Path.Combine(AppContext.BaseDirectory, "bandits-lstm.json"), "--runs", runs, "--set", "updates=80");
        Assert.True(code == 0, stderr);
        Assert.Contains(ModelCatalog.All, k => k.Name == "lstm");

        (code, stdout, stderr) = Cli.Run("--extension", dll, "eval", Path.Combine(runs, "bandits-lstm"), "--trials", "400", "--json");
        Assert.True(code == 0, stderr);
        var test = JsonDocument.Parse(stdout).RootElement.GetProperty("splits").EnumerateArray().First(s => s.GetProperty("split").GetString() == "test");
        var rows = test.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("policy").GetString()!, r => r.GetProperty("mean").GetDouble());
        Assert.True(rows["RL² (LSTM)"] > rows["Random"] + 5, $"the LSTM's {rows["RL² (LSTM)"]:0.00} against random's {rows["Random"]:0.00}");
    }
}
