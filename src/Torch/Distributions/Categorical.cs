using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Distributions;

/// <summary>
/// A categorical distribution over the last dimension (PyTorch's <c>Categorical</c>): the policy head
/// of a discrete-action agent. Built from logits (normalised to log-probabilities) or from probs.
/// The tensors it derives belong to the current <see cref="DisposeScope"/> like any other result;
/// outside a scope, dispose the distribution.
/// </summary>
public sealed class Categorical : IDisposable
{
    /// <summary>Creates the distribution; give exactly one of <paramref name="probs"/> and <paramref name="logits"/>.</summary>
    public Categorical(Tensor? probs = null, Tensor? logits = null)
    {
        if ((probs is null) == (logits is null)) throw new ArgumentException("Categorical needs exactly one of probs and logits");
        if (logits is not null)
        {
            using var lse = logits.logsumexp(-1, keepdim: true);
            this.logits = (logits - lse);
            this.probs = this.logits.softmax(-1);
        }
        else
        {
            using var total = probs!.sum(-1, keepdim: true);
            this.probs = (probs / total);
            using var clamped = this.probs.clamp(1.1920928955078125e-07, 1 - 1.1920928955078125e-07);
            this.logits = clamped.log();
        }
    }

    /// <summary>Log-probabilities [..., K].</summary>
    public Tensor logits { get; }

    /// <summary>Probabilities [..., K].</summary>
    public Tensor probs { get; }

    /// <summary>Number of categories K.</summary>
    public long num_events => logits.size(-1);

    /// <summary>One int64 category per batch entry (shape [...]); not differentiable.</summary>
    public Tensor sample(Generator? generator = null)
    {
        using var guard = no_grad();
        var shape = probs.shape;
        using var flat = probs.reshape(-1, shape[^1]);
        using var drawn = multinomial(flat, 1, replacement: true, generator);
        return drawn.reshape(shape[..^1]);
    }

    /// <summary>log p(value) for int64 categories shaped like the batch.</summary>
    public Tensor log_prob(Tensor value)
    {
        using var index = value.@long().unsqueeze(-1);
        using var picked = logits.gather(-1, index);
        return picked.squeeze(-1);
    }

    /// <summary>−Σ p log p over the categories.</summary>
    public Tensor entropy()
    {
        // As PyTorch: clamp −∞ logits (zero probabilities) so that 0 · log 0 counts as 0.
        double min = logits.dtype == ScalarType.Float64 ? double.MinValue : float.MinValue;
        using var clamped = logits.clamp_min(min);
        using var plogp = clamped * probs;
        using var sum = plogp.sum(-1);
        return -sum;
    }

    /// <summary>The most likely category.</summary>
    public Tensor mode() => probs.argmax(-1);

    /// <summary>Frees the derived tensors.</summary>
    public void Dispose()
    {
        logits.Dispose();
        probs.Dispose();
    }
}
