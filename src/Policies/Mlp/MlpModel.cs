using MetaRL.Torch;
using MetaRL.Torch.Modules;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Mlp;

/// <summary>
/// A policy without memory: two tanh layers over the current RL² input only. Trained on the task distribution it
/// learns the best behaviour for the average task, adapting no further than the last step's reward lets it; it is
/// the non-adaptive baseline an in-context learner must beat. Its memory is one float it never reads (the batcher
/// and PPO need a memory row of some size).
/// </summary>
public sealed class MlpModel : InContextModel
{
    public MlpModel(int inputSize, int actions, int hidden)
    {
        if (inputSize < 1 || actions < 1 || hidden < 1)
            throw new ArgumentException($"MlpModel: input {inputSize}, actions {actions} and hidden {hidden} must be positive");
        InputSize = inputSize;
        Actions = actions;
        First = register_module("first", new Linear(inputSize, hidden));
        Second = register_module("second", new Linear(hidden, hidden));
        Policy = register_module("policy", new Linear(hidden, actions));
        Value = register_module("value", new Linear(hidden, 1));
        InitializeHeads(Policy, Value);
    }

    public override int InputSize { get; }
    public override int Actions { get; }
    public override int MemorySize => 1;
    public Linear First { get; }
    public Linear Second { get; }
    public Linear Policy { get; }
    public Linear Value { get; }

    public override (Tensor Logits, Tensor Values) Step(Tensor x, Tensor memory) => Forward(x);

    public override (Tensor Logits, Tensor Values) ForwardTrials(Tensor x) => Forward(x);

    private (Tensor, Tensor) Forward(Tensor x)
    {
        var h = Second.forward(First.forward(x).tanh()).tanh();
        return (Policy.forward(h), Value.forward(h).squeeze(-1));
    }
}
