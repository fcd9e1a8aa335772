using MetaRL.Torch.Interop;
using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Modules;

/// <summary>A lookup table: int64 indices → rows of "weight" [num_embeddings, embedding_dim] (initialised N(0, 1)).</summary>
public sealed class Embedding : Module<Tensor, Tensor>
{
    /// <summary>Creates the table.</summary>
    public Embedding(long numEmbeddings, long embeddingDim, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        num_embeddings = numEmbeddings;
        embedding_dim = embeddingDim;
        weight = register_parameter("weight", empty([numEmbeddings, embeddingDim], dtype, device))!;
        nn.init.normal_(weight);
    }

    /// <summary>Rows.</summary>
    public long num_embeddings { get; }

    /// <summary>Columns.</summary>
    public long embedding_dim { get; }

    /// <summary>[num_embeddings, embedding_dim].</summary>
    public Tensor weight { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor indices) =>
        Check.Result(Native.mrt_nn_embedding(weight.Handle, indices.Handle), "embedding", weight, indices);

    /// <inheritdoc />
    protected override string ExtraRepr() => $"{num_embeddings}, {embedding_dim}";
}
