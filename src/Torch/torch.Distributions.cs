namespace MetaRL.Torch;

public static partial class torch
{
    /// <summary>torch.distributions.</summary>
    public static class distributions
    {
        /// <summary>A categorical distribution over the last dimension.</summary>
        public static Distributions.Categorical Categorical(Tensor? probs = null, Tensor? logits = null) => new(probs, logits);

        /// <summary>Element-wise normal distributions.</summary>
        public static Distributions.Normal Normal(Tensor loc, Tensor scale) => new(loc, scale);
    }
}
