using MetaRL.Policies.Rl2;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Tests;

public sealed class Rl2PolicyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(5)] // with a tanh layer between the GRU and the heads
    public void Stepping_with_carried_memory_equals_the_whole_sequence_forward(int headHidden)
    {
        manual_seed(5);
        using var model = new Rl2Model(4, 3, 8, headHidden);
        Assert.Equal(headHidden > 0, model.named_parameters().Any(p => p.name == "head.weight"));
        var snapshot = ParameterVector.Get(model);
        using var policy = new InContextPolicy(new Rl2Model(4, 3, 8, headHidden));
        policy.LoadParameters(snapshot);
        const int T = 6, B = 2;
        var rng = new Random(1);
        var x = Enumerable.Range(0, T * B * 4).Select(_ => (float)rng.NextDouble()).ToArray();

        var memory = new float[B * 8];
        var probs = new float[B * 3];
        var values = new float[B];
        var stepValues = new float[T * B];
        for (int t = 0; t < T; t++)
        {
            policy.Step(B, x[(t * B * 4)..((t + 1) * B * 4)], memory, probs, values);
            values.CopyTo(stepValues, t * B);
        }

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (_, seqValues) = model.Forward(tensor(x, [T, B, 4]), zeros([1, B, 8]));
        var expected = seqValues.ToArray<float>();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], stepValues[i], 4);
    }

    [Fact]
    public void Parameter_vectors_round_trip_and_reject_the_wrong_length()
    {
        using var a = new Rl2Model(4, 3, 8);
        using var b = new Rl2Model(4, 3, 8);
        var p = ParameterVector.Get(a);
        Assert.NotEqual(p, ParameterVector.Get(b));
        ParameterVector.Load(b, p);
        Assert.Equal(p, ParameterVector.Get(b));
        Assert.Throws<ArgumentException>(() => ParameterVector.Load(b, p.AsSpan(1)));
    }
}
