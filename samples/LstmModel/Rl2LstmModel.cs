using MetaRL.Policies;
using MetaRL.Torch;
using MetaRL.Torch.Modules;
using static MetaRL.Torch.torch;

namespace LstmModel;

/// <summary>
/// RL² with an LSTM instead of the GRU: the memory is the LSTM's (h, c), kept side by side in one row of
/// <see cref="MemorySize"/> = 2H floats, which is all the inference batcher asks of a model's memory. Whole trials run
/// through libtorch's fused LSTM (<see cref="LSTM.forward"/>); a step runs its cell, so both compute the same thing.
/// </summary>
public sealed class Rl2LstmModel : InContextModel
{
    public Rl2LstmModel(int inputSize, int actions, int hidden)
    {
        if (inputSize < 1 || actions < 1 || hidden < 1)
            throw new ArgumentException($"Rl2LstmModel: input {inputSize}, actions {actions} and hidden {hidden} must be positive");
        InputSize = inputSize;
        Actions = actions;
        Hidden = hidden;
        Lstm = register_module("lstm", new LSTM(inputSize, hidden));
        Policy = register_module("policy", new Linear(hidden, actions));
        Value = register_module("value", new Linear(hidden, 1));
        InitializeHeads(Policy, Value);
    }

    public override int InputSize { get; }
    public override int Actions { get; }
    public int Hidden { get; }
    public override int MemorySize => 2 * Hidden;
    public LSTM Lstm { get; }
    public Linear Policy { get; }
    public Linear Value { get; }

    public override (Tensor Logits, Tensor Values) Step(Tensor x, Tensor memory)
    {
        using var h = memory.narrow(1, 0, Hidden).unsqueeze(0);
        using var c = memory.narrow(1, Hidden, Hidden).unsqueeze(0);
        var (output, (hNext, cNext)) = Lstm.step(x, (h, c));
        using (hNext)
        using (cNext)
        using (var next = cat([hNext.squeeze(0), cNext.squeeze(0)], 1))
            memory.copy_(next);
        return (Policy.forward(output), Value.forward(output).squeeze(-1));
    }

    public override (Tensor Logits, Tensor Values) ForwardTrials(Tensor x)
    {
        var (output, (hN, cN)) = Lstm.forward(x);
        hN.Dispose();
        cN.Dispose();
        return (Policy.forward(output), Value.forward(output).squeeze(-1));
    }
}
