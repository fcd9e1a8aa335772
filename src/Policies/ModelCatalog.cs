using MetaRL.Environments;
using MetaRL.Policies.Rl2;
using MetaRL.Policies.Transformer;

namespace MetaRL.Policies;

/// <summary>
/// What a model is built for: the RL² input's width, the policy outputs (discrete actions, or a Gaussian's means), and the
/// longest trial in steps. A model that reads the input's parts needs its layout too: the RL² input is
/// <c>[obs (ObservationSize), prev action (ActionInputs), prev reward, prev done, (trial progress)]</c>; 0 where the
/// caller did not say (a model that needs them refuses).
/// </summary>
public sealed record ModelShape(int InputSize, int Actions, int TrialSteps)
{
    public int ObservationSize { get; init; }
    public int ActionInputs { get; init; }
}

/// <summary>
/// An in-context learner a config can name (<c>model.type</c>): how to build it for a <see cref="ModelShape"/> from the
/// config's <see cref="ModelOptions"/> (its own knobs in <see cref="ModelOptions.Options"/>).
/// </summary>
/// <param name="Name">The config's name for it, e.g. <c>gru</c> (compared without case).</param>
/// <param name="Learner">Its name in evaluation tables, e.g. RL².</param>
/// <param name="Summary">One line: what it is.</param>
/// <param name="Create">Builds a fresh model (parameters from libtorch's seeded generator).</param>
/// <param name="OptionNames">The keys of <see cref="ModelOptions.Options"/> it reads; any other is refused.</param>
public sealed record ModelKind(string Name, string Learner, string Summary, Func<ModelShape, ModelOptions, InContextModel> Create,
    IReadOnlyList<string>? OptionNames = null);

/// <summary>
/// Every in-context learner by the name configs use: the RL² GRU, the transformer, the memoryless MLP and PEARL, then the ones registered from
/// user code (<see cref="Register"/>). PPO, the inference batcher, evaluation and model files take any of them: they
/// see only <see cref="InContextModel"/>.
/// </summary>
public static class ModelCatalog
{
    public static ModelKind Gru { get; } = new("gru", "RL²", "RL² (Duan et al. 2016): a GRU over the RL² input, its hidden state the memory",
        (shape, o) => new Rl2Model(shape.InputSize, shape.Actions, o.Hidden, o.HeadHidden));

    public static ModelKind Transformer { get; } = new("transformer", "Transformer", "causal self-attention over the trial's steps, its key/value cache the memory",
        (shape, o) => new TransformerModel(shape.InputSize, shape.Actions, o.Width, o.Layers, o.Heads, o.Context > 0 ? o.Context : shape.TrialSteps));

    /// <summary>No memory (<see cref="Mlp.MlpModel"/>): the non-adaptive baseline, trained on the same tasks; its width is <c>model.hidden</c>.</summary>
    public static ModelKind Mlp { get; } = new("mlp", "MLP (no memory)", "two tanh layers over the current RL² input: the non-adaptive baseline",
        (shape, o) => new Mlp.MlpModel(shape.InputSize, shape.Actions, o.Hidden));

    /// <summary>
    /// PEARL under PPO (<see cref="Pearl.PearlModel"/>): its policy and value width is <c>model.hidden</c>; <c>model.options</c>
    /// sets <c>latent</c> (5), <c>encoderHidden</c> (64, also the reward decoder's), <c>klWeight</c> (0.001) and <c>rewardWeight</c> (1).
    /// </summary>
    public static ModelKind Pearl { get; } = new("pearl", "PEARL", "PEARL (Rakelly et al. 2019) under PPO: a product-of-Gaussians context encoder, z drawn from the posterior each episode, π(a | s, z)",
        (shape, o) => new Pearl.PearlModel(shape, o.Count("latent", 5), o.Hidden, o.Count("encoderHidden", 64), o.Option("klWeight", 0.001),
            o.Option("rewardWeight", 1)),
        ["latent", "encoderHidden", "klWeight", "rewardWeight"]);

    private static readonly NamedRegistry<ModelKind> Registry = new([Gru, Transformer, Mlp, Pearl], k => k.Name, k => k.Summary, "model", "lstm");

    /// <summary>The built-in models, then the registered ones.</summary>
    public static IReadOnlyList<ModelKind> All => Registry.All;

    public static IReadOnlyList<string> Names => Registry.Names;

    /// <summary>
    /// Adds a model of the user's own, selectable as <c>model.type</c> from then on. The same instance again does
    /// nothing; another under a name the catalog holds is an <see cref="ArgumentException"/>.
    /// </summary>
    public static void Register(ModelKind kind) => Registry.Register(kind);

    public static bool TryGet(string name, out ModelKind kind) => Registry.TryGet(name, out kind);

    /// <summary>The model named <paramref name="name"/>; an unknown name is an <see cref="ArgumentException"/> listing the known ones.</summary>
    public static ModelKind Get(string name) => TryGet(name, out var kind)
        ? kind
        : throw new ArgumentException($"model.type = \"{name}\": unknown model; expected one of: {string.Join(", ", Names)}");
}
