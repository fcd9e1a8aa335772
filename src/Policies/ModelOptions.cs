using MetaRL.Environments;

namespace MetaRL.Policies;

/// <summary>The in-context learner (config key <c>model</c>): the RL² GRU by default, a transformer, or one registered in the <see cref="ModelCatalog"/>.</summary>
public sealed record ModelOptions
{
    /// <summary>The <see cref="ModelCatalog"/> name: <c>gru</c> (default), <c>transformer</c>, or a registered model's.</summary>
    public string Type { get; init; } = ModelCatalog.Gru.Name;

    /// <summary>The catalog entry <see cref="Type"/> names (an <see cref="ArgumentException"/> when none does).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ModelKind Kind => ModelCatalog.Get(Type);

    /// <summary>Knobs of a registered model, by the names its <see cref="ModelKind.OptionNames"/> lists, e.g. <c>{"layers": 2}</c>.</summary>
    public Dictionary<string, double>? Options { get; init; }

    /// <summary>The knob <paramref name="name"/> of <see cref="Options"/>, or <paramref name="fallback"/> when it is not set.</summary>
    public double Option(string name, double fallback) =>
        Options is not null && Options.TryGetValue(name, out double value) ? value : fallback;

    /// <summary>The knob <paramref name="name"/> as a count (a whole number ≥ 1), or <paramref name="fallback"/>; anything else is an <see cref="ArgumentException"/> naming the key.</summary>
    public int Count(string name, int fallback)
    {
        double value = Option(name, fallback);
        return value >= 1 && value <= int.MaxValue && value == Math.Floor(value)
            ? (int)value
            : throw new ArgumentException($"model.options.{name} = {value}: a whole number >= 1 expected");
    }

    /// <summary>GRU hidden units; the RL² paper used 256.</summary>
    public int Hidden { get; init; } = 256;

    /// <summary>The largest hidden size or width a config may ask for (a 16384² layer is 1 GiB of float32 per matrix).</summary>
    public const int MaxWidth = 16384;

    /// <summary>The largest transformer context a config may ask for.</summary>
    public const int MaxContext = 65536;

    /// <summary>
    /// Append the trial's progress (episodes ended / episodes per trial) to the RL² input. On by default: long
    /// trials (bandits with 100 pulls) otherwise stall, because the recurrent value estimate cannot see the
    /// trial's end coming (see <c>Rl2Input</c>). <c>false</c> gives the RL² paper's input exactly.
    /// </summary>
    public bool TrialProgress { get; init; } = true;

    /// <summary>
    /// GRU: units of a tanh layer between the GRU and the policy and value heads; 0 (default) puts the heads
    /// straight on the GRU's output, as in the RL² paper.
    /// </summary>
    public int HeadHidden { get; init; }

    /// <summary>Transformer: model width (the token embedding's size).</summary>
    public int Width { get; init; } = 64;

    /// <summary>Transformer: blocks of attention and MLP.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Transformer: attention heads; they divide <see cref="Width"/>.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Transformer: positions the key/value cache holds; 0 (default) takes the trial's length.</summary>
    public int Context { get; init; }

    public void Validate(OptionErrors errors, string prefix = "model")
    {
        if (!ModelCatalog.TryGet(Type, out var kind))
        {
            errors.Invalid($"{prefix}.type", Type, $"unknown model; expected one of: {string.Join(", ", ModelCatalog.Names)}");
            return;
        }
        foreach (var name in Options?.Keys ?? Enumerable.Empty<string>())
            if (kind.OptionNames?.Contains(name, StringComparer.OrdinalIgnoreCase) != true)
                errors.Invalid($"{prefix}.options.{name}", Options![name], kind.OptionNames is { Count: > 0 } names
                    ? $"{kind.Name} takes: {string.Join(", ", names)}" : $"{kind.Name} takes no options");
        errors.Between($"{prefix}.hidden", Hidden, 1, MaxWidth);
        errors.Between($"{prefix}.headHidden", HeadHidden, 0, MaxWidth);
        errors.Between($"{prefix}.width", Width, 1, MaxWidth);
        errors.Between($"{prefix}.layers", Layers, 1, 64);
        errors.Between($"{prefix}.heads", Heads, 1, 64);
        errors.Require(Heads <= 0 || Width % Heads == 0, $"{prefix}.heads", Heads, $"a divisor of {prefix}.width ({Width})"); // heads ≤ 0 is reported once, above
        errors.Between($"{prefix}.context", Context, 0, MaxContext);
    }

    /// <summary>A fresh model of this shape (parameters from libtorch's seeded generator).</summary>
    /// <param name="trialSteps">The longest trial in steps: the transformer's context unless <see cref="Context"/> sets it.</param>
    public InContextModel Create(int inputSize, int actions, int trialSteps) => Create(inputSize, new Actions.CategoricalHead(actions), trialSteps);

    /// <summary>A fresh model whose policy output is what <paramref name="head"/> reads: the catalog's model, wrapped for Box actions.</summary>
    /// <param name="observationSize">Floats of the flat observation at the input's start (0: not said; see <see cref="ModelShape"/>).</param>
    /// <param name="actionInputs">Floats of the previous action after it (0: not said).</param>
    public InContextModel Create(int inputSize, Actions.PolicyHead head, int trialSteps, int observationSize = 0, int actionInputs = 0) =>
        head.Wrap(Kind.Create(new ModelShape(inputSize, head.CoreOutputs, trialSteps) { ObservationSize = observationSize, ActionInputs = actionInputs }, this));
}
