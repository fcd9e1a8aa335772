using MetaRL.Policies.Transformer;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Tests;

public sealed class TransformerModelTests
{
    private const int In = 4, Actions = 3, Context = 8;

    private static float[] Snapshot(int layers)
    {
        using var model = new TransformerModel(In, Actions, width: 8, layers, heads: 2, Context);
        return ParameterVector.Get(model);
    }

    private static TransformerModel Load(float[] parameters, int layers)
    {
        var model = new TransformerModel(In, Actions, width: 8, layers, heads: 2, Context);
        ParameterVector.Load(model, parameters);
        return model;
    }

    private static float[] RandomInputs(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)rng.NextDouble()).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Stepping_with_the_cache_equals_the_whole_trial_forward(int layers)
    {
        var parameters = Snapshot(layers);
        using var model = Load(parameters, layers);
        using var policy = new InContextPolicy(Load(parameters, layers));
        const int T = 6, B = 3; // T < Context: the cache's unused positions must stay out of the attention
        var x = RandomInputs(T * B * In, 1);
        var memory = new float[B * policy.MemorySize];
        var probs = new float[B * Actions];
        var values = new float[B];
        var stepValues = new float[T * B];
        var stepProbs = new float[T * B * Actions];
        for (int t = 0; t < T; t++)
        {
            policy.Step(B, x[(t * B * In)..((t + 1) * B * In)], memory, probs, values);
            values.CopyTo(stepValues, t * B);
            probs.CopyTo(stepProbs, t * B * Actions);
        }

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (logits, seqValues) = model.ForwardTrials(tensor(x, [T, B, In]));
        var expectedValues = seqValues.ToArray<float>();
        var expectedProbs = logits.softmax(-1).ToArray<float>();
        for (int i = 0; i < expectedValues.Length; i++) Assert.Equal(expectedValues[i], stepValues[i], 1e-4f);
        for (int i = 0; i < expectedProbs.Length; i++) Assert.Equal(expectedProbs[i], stepProbs[i], 1e-4f);
    }

    [Fact]
    public void Each_row_of_a_batch_may_be_at_its_own_step_of_its_own_trial()
    {
        // Row 1 starts a new trial (zero memory) after two steps while row 0 goes on: row 1's next outputs must be
        // those of a trial starting there, and row 0's those of its own trial, in one batched step.
        var parameters = Snapshot(1);
        using var model = Load(parameters, 1);
        using var policy = new InContextPolicy(Load(parameters, 1));
        const int B = 2;
        int memSize = policy.MemorySize;
        var x = RandomInputs(4 * B * In, 2);
        var memory = new float[B * memSize];
        var probs = new float[B * Actions];
        var values = new float[B];
        var rowValues = new List<float>[] { [], [] };
        for (int t = 0; t < 4; t++)
        {
            if (t == 2) Array.Clear(memory, memSize, memSize);
            policy.Step(B, x[(t * B * In)..((t + 1) * B * In)], memory, probs, values);
            rowValues[0].Add(values[0]);
            rowValues[1].Add(values[1]);
        }

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var all = tensor(x, [4, B, In]);
        var row0 = model.ForwardTrials(all.narrow(1, 0, 1)).Values.ToArray<float>();
        var row1 = model.ForwardTrials(all.narrow(1, 1, 1).narrow(0, 2, 2)).Values.ToArray<float>();
        for (int t = 0; t < 4; t++) Assert.Equal(row0[t], rowValues[0][t], 4);
        Assert.Equal(row1[0], rowValues[1][2], 4);
        Assert.Equal(row1[1], rowValues[1][3], 4);
        Assert.NotEqual(rowValues[1][2], rowValues[0][2]); // not trivially equal: the rows saw different pasts
    }

    [Fact]
    public void The_memory_holds_the_step_the_previous_input_and_every_layers_cache()
    {
        const int width = 8, layers = 2;
        using var policy = new InContextPolicy(new TransformerModel(In, Actions, width, layers, heads: 2, Context));
        var memory = new float[policy.MemorySize];
        var rng = new Random(3);
        var inputs = Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, In).Select(_ => (float)rng.NextDouble()).ToArray()).ToArray();
        // [step | previous input | per layer: keys, values of every position], read back from what the steps wrote.
        float[] Cache(int layer, int kv, int position) =>
            memory.AsSpan(1 + In + ((layer * 2 + kv) * Context + position) * width, width).ToArray();
        for (int step = 0; step < 2; step++)
        {
            var before = memory.ToArray();
            policy.Step(1, inputs[step], memory, new float[Actions], new float[1]);
            Assert.Equal(step + 1, memory[0]);
            Assert.Equal(inputs[step], memory.AsSpan(1, In).ToArray());
            for (int layer = 0; layer < layers; layer++)
                for (int kv = 0; kv < 2; kv++)
                {
                    Assert.Contains(Cache(layer, kv, step), v => v != 0); // this step's key and value, in every layer
                    for (int p = step + 1; p < Context; p++) Assert.All(Cache(layer, kv, p), v => Assert.Equal(0f, v)); // later positions untouched
                    if (step == 1) // the earlier position is kept as it was written
                        Assert.Equal(before.AsSpan(1 + In + ((layer * 2 + kv) * Context) * width, width).ToArray(), Cache(layer, kv, 0));
                }
        }
        Assert.Equal(1 + In + layers * 2 * Context * width, memory.Length); // nothing beyond the last layer's values
    }

    [Fact]
    public void A_trial_longer_than_the_context_is_refused_naming_the_option()
    {
        using var model = new TransformerModel(In, Actions, width: 8, layers: 1, heads: 2, Context);
        using var policy = new InContextPolicy(new TransformerModel(In, Actions, width: 8, layers: 1, heads: 2, Context));
        var memory = new float[policy.MemorySize];
        for (int t = 0; t < Context; t++) policy.Step(1, new float[In], memory, new float[Actions], new float[1]);
        var stepped = Assert.Throws<InvalidOperationException>(() => policy.Step(1, new float[In], memory, new float[Actions], new float[1]));
        Assert.Contains("model.context", stepped.Message);

        using var scope = NewDisposeScope();
        var whole = Assert.Throws<ArgumentException>(() => model.ForwardTrials(zeros([Context + 1, 1, In])));
        Assert.Contains("model.context", whole.Message);
    }

    [Fact]
    public void Heads_that_do_not_divide_the_width_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new TransformerModel(In, Actions, width: 10, layers: 1, heads: 4, Context));
        Assert.Contains("width 10", e.Message);
    }
}
