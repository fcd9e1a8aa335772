using MetaRL.Torch;
using static MetaRL.Torch.torch;

namespace MetaRL.Policies.Algorithms;

/// <summary>The terms of one PPO loss evaluation (tensors are scalars on the autograd graph).</summary>
public sealed record PpoLossTerms(Tensor Loss, Tensor PolicyLoss, Tensor ValueLoss, Tensor Entropy, Tensor ApproxKl, Tensor? Auxiliary = null);

/// <summary>
/// What the whole of a minibatch split over data-parallel workers (<see cref="PpoShard"/>) contributes to each
/// part's loss: its real steps and its advantages' mean and standard deviation. With it, each part's terms are
/// its share of the whole minibatch's (sums over its steps divided by <paramref name="Steps"/>), so the parts'
/// losses, and their gradients, add up to the whole's.
/// </summary>
public sealed record MinibatchNorm(double Steps, double AdvantageMean, double AdvantageStd);

/// <summary>
/// The PPO objective (Schulman et al. 2017), the one place where its math lives. Over the real (masked) steps
/// of a minibatch of trials, with ρ = π(a|h) / π_old(a|h) and normalised advantages Â:
/// <code>
///   policy loss  L_π = −mean( min(ρ·Â, clip(ρ, 1−ε, 1+ε)·Â) )
///   value loss   L_V = ½ · mean( (V(h) − R)² )
///   entropy      H   = mean( H[π(·|h)] )
///   (log π and H come from the model's <see cref="Actions.PolicyHead"/>: categorical or diagonal Gaussian)
///   auxiliary    L_a = mean( the model's own term per step )   (PEARL's KL; absent for most models)
///   loss         L   = L_π + c_V·L_V − c_H·H + L_a
///   approx KL        = mean( (ρ − 1) − log ρ )        (a diagnostic, k3 of Schulman's note)
/// </code>
/// </summary>
public static class PpoLoss
{
    /// <param name="head">What the policy output means (the model's <see cref="InContextModel.PolicyHead"/>).</param>
    /// <param name="output">[T, B, P] policy output from the current parameters.</param>
    /// <param name="values">[T, B] from the current parameters.</param>
    /// <param name="actions">[T, B] int64 indices, or [T, B, D] vectors.</param>
    /// <param name="oldLogProbs">[T, B].</param>
    /// <param name="advantages">[T, B], raw (normalised here when <see cref="PpoOptions.NormalizeAdvantages"/>).</param>
    /// <param name="returns">[T, B] value targets.</param>
    /// <param name="mask">[T, B] 1 for real steps, 0 for padding.</param>
    /// <param name="whole">For one part of a minibatch split over workers: the whole minibatch's step count and
    /// advantage statistics, which replace this part's own (null: this is the whole minibatch).</param>
    /// <param name="auxiliary">[T, B] the model's own loss per step, weighted already (<see cref="InContextModel.ForwardTrialsForLoss"/>), or null.</param>
    public static PpoLossTerms Compute(Actions.PolicyHead head, Tensor output, Tensor values, Tensor actions, Tensor oldLogProbs, Tensor advantages,
        Tensor returns, Tensor mask, PpoOptions o, MinibatchNorm? whole = null, Tensor? auxiliary = null)
    {
        var count = whole is null ? mask.sum() : null;
        Tensor MaskedMean(Tensor t) => whole is null ? (t * mask).sum() / count! : (t * mask).sum() / whole.Steps;

        var (logpTaken, stepEntropy) = head.Evaluate(output, actions);
        var logRatio = logpTaken - oldLogProbs;
        var ratio = logRatio.exp();

        var adv = advantages;
        if (o.NormalizeAdvantages && whole is not null)
            adv = (advantages - whole.AdvantageMean) * mask / (whole.AdvantageStd + 1e-8);
        else if (o.NormalizeAdvantages)
        {
            var mean = MaskedMean(advantages);
            var centred = (advantages - mean) * mask;
            var std = ((centred * centred).sum() / count!).sqrt();
            adv = centred / (std + 1e-8);
        }

        var unclipped = ratio * adv;
        var clipped = ratio.clamp(1 - o.Clip, 1 + o.Clip) * adv;
        var policyLoss = -MaskedMean(unclipped.minimum(clipped));
        var diff = values - returns;
        var valueLoss = 0.5 * MaskedMean(diff * diff);
        var entropy = MaskedMean(stepEntropy);
        var loss = policyLoss + o.ValueCoef * valueLoss - o.EntropyCoef * entropy;
        var auxiliaryLoss = auxiliary is null ? null : MaskedMean(auxiliary);
        if (auxiliaryLoss is not null) loss = loss + auxiliaryLoss;
        Tensor approxKl;
        using (no_grad()) approxKl = MaskedMean((ratio - 1) - logRatio);
        return new PpoLossTerms(loss, policyLoss, valueLoss, entropy, approxKl, auxiliaryLoss);
    }
}
