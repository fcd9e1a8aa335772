using MetaRL.Torch;
using MetaRL.Torch.Modules;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Transformer;

/// <summary>
/// A transformer in-context learner (docs/architecture.md §3): causal self-attention over the trial's transitions. Token t
/// is the RL² input of step t beside that of step t − 1, i.e. the transition (s<sub>t−1</sub>, a<sub>t−1</sub>,
/// r<sub>t−1</sub>, done, s<sub>t</sub>) with the trial's progress, so that a single attention read can match
/// the current state against the states earlier rewards were earned in (with the RL² input alone, a reward's
/// state sits in the previous token). A learned position embedding per step of the trial, pre-norm blocks, a
/// final layer norm, policy and value heads.
/// <para>
/// The memory is the key/value cache: [step, previous input, then per layer the keys and the values of every
/// position of the context], zero at the start of a trial as any in-context memory, so the actors treat it as
/// they treat the GRU state. A step writes its key and value at its own position, in place, and attends to
/// positions up to it; each row may be at a different step.
/// </para>
/// </summary>
public sealed class TransformerModel : InContextModel
{
    private readonly TransformerBlock[] _blocks;

    /// <param name="context">The longest trial, in steps: the cache holds this many positions.</param>
    public TransformerModel(int inputSize, int actions, int width, int layers, int heads, int context)
    {
        if (inputSize < 1 || actions < 1 || width < 1 || layers < 1 || context < 1)
            throw new ArgumentException($"TransformerModel: input {inputSize}, actions {actions}, width {width}, layers {layers} and context {context} must be positive");
        InputSize = inputSize;
        Actions = actions;
        Width = width;
        Context = context;
        Embed = register_module("embed", new Linear(2 * inputSize, width));
        Position = register_module("position", new Embedding(context, width));
        _blocks = new TransformerBlock[layers];
        for (int l = 0; l < layers; l++) _blocks[l] = register_module($"block{l}", new TransformerBlock(width, heads));
        Norm = register_module("norm", new LayerNorm([width]));
        Policy = register_module("policy", new Linear(width, actions));
        Value = register_module("value", new Linear(width, 1));
        // Positions start small beside the tokens (N(0, 1) would drown them).
        using (no_grad()) Position.weight.normal_(0, 0.1);
        InitializeHeads(Policy, Value);
    }

    public override int InputSize { get; }
    public override int Actions { get; }
    public int Width { get; }
    public int Layers => _blocks.Length;
    public int Context { get; }
    public override int MemorySize => 1 + InputSize + CacheSize;
    private int CacheSize => Layers * 2 * Context * Width;

    public Linear Embed { get; }
    public Embedding Position { get; }
    public LayerNorm Norm { get; }
    public Linear Policy { get; }
    public Linear Value { get; }

    /// <inheritdoc />
    public override (Tensor Logits, Tensor Values) Step(Tensor x, Tensor memory)
    {
        long batch = x.size(0);
        var stepField = memory.narrow(1, 0, 1);
        var step = stepField.squeeze(1).to(ScalarType.Int64); // [B]
        long latest = step.max().item<long>();
        if (latest >= Context)
            throw new InvalidOperationException($"TransformerModel: step {latest + 1} of a trial is past the context of {Context} steps; raise model.context");
        var previousField = memory.narrow(1, 1, InputSize);
        var h = Embed.forward(cat([previousField, x], 1)).add(Position.forward(step));
        var cache = memory.narrow(1, 1 + InputSize, CacheSize).reshape(batch, Layers, 2, Context, Width); // a view
        var slot = step.reshape(batch, 1, 1).expand(batch, 1, Width);
        // Attention reads only positions up to the furthest row's step (all of them in lockstep, where every row
        // is at the same step: half the context on average); rows behind it mask the rest.
        long visible = latest + 1;
        var hidden = arange(0, visible, device: x.device).unsqueeze(0).gt(step.unsqueeze(1)); // [B, visible]: positions after each row's step
        for (int l = 0; l < Layers; l++) h = _blocks[l].Step(h, cache.select(1, l), slot, hidden);
        previousField.copy_(x);
        stepField.add_(1.0);
        var features = Norm.forward(h);
        return (Policy.forward(features), Value.forward(features).squeeze(-1));
    }

    /// <inheritdoc />
    public override (Tensor Logits, Tensor Values) ForwardTrials(Tensor x)
    {
        long steps = x.size(0), batch = x.size(1);
        if (steps > Context)
            throw new ArgumentException($"TransformerModel: trials of {steps} steps are longer than the context of {Context}; raise model.context");
        var rows = x.transpose(0, 1); // [B, T, In]
        var previous = cat([zeros([batch, 1, InputSize], x.dtype, x.device), rows.narrow(1, 0, steps - 1)], 1);
        var h = Embed.forward(cat([previous, rows], 2)).add(Position.forward(arange(0, steps, device: x.device)));
        var hidden = ones([steps, steps], ScalarType.Bool, x.device).triu(1);
        foreach (var block in _blocks) h = block.Forward(h, hidden);
        var features = Norm.forward(h);
        return (Policy.forward(features).transpose(0, 1), Value.forward(features).squeeze(-1).transpose(0, 1));
    }
}
