using MetaRL.Policies;
using MetaRL.Training;

namespace LstmModel;

/// <summary>
/// The model as configs name it: <c>model.type = "lstm"</c>, its width from <c>model.hidden</c> (as the GRU's).
/// Registered when the command line loads this assembly (<c>metarl --extension LstmModel.dll …</c>).
/// </summary>
public sealed class LstmExtension : IMetaRLExtension
{
    public static ModelKind Kind { get; } = new("lstm", "RL² (LSTM)", "RL² with an LSTM: its (h, c) the memory",
        (shape, options) => new Rl2LstmModel(shape.InputSize, shape.Actions, options.Hidden));

    public void Register() => ModelCatalog.Register(Kind);
}
