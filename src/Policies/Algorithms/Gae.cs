namespace MetaRL.Policies.Algorithms;

/// <summary>
/// Generalised advantage estimation (Schulman et al. 2016) over one sequence of steps.
///
/// For step t with value V_t = V(s_t):
/// <code>
///   delta_t = r_t + γ · next_t − V_t
///   A_t     = delta_t + γ·λ · A_{t+1}      (A_{t+1} = 0 when step t ended the sequence)
///   R_t     = A_t + V_t                     (the value target)
/// </code>
/// where <c>next_t</c> is 0 when step t <b>terminated</b> (nothing follows a terminal state), the
/// supplied bootstrap value V(s_{t+1}) when step t was <b>truncated</b> (a time limit or a cut in the
/// data: the future exists but was not collected), and V_{t+1} otherwise.
///
/// In RL² the sequence is a whole trial: episode boundaries inside the trial are neither terminal nor
/// truncated here, because the trial's return runs on across them (the memory does too). The caller
/// marks the trial's last step terminated when the trial ran to its end, truncated when it was cut.
/// </summary>
public static class Gae
{
    public static void Compute(
        ReadOnlySpan<float> rewards,
        ReadOnlySpan<float> values,
        ReadOnlySpan<bool> terminated,
        ReadOnlySpan<bool> truncated,
        ReadOnlySpan<float> bootstrapValues,
        float gamma,
        float lambda,
        Span<float> advantages,
        Span<float> returns)
    {
        int n = rewards.Length;
        if (values.Length != n || terminated.Length != n || truncated.Length != n || bootstrapValues.Length != n
            || advantages.Length != n || returns.Length != n)
            throw new ArgumentException($"GAE: every span must have the length of rewards ({n})");
        if (n > 0 && !terminated[n - 1] && !truncated[n - 1])
            throw new ArgumentException("GAE: the last step must be terminated or truncated (otherwise its successor's value is unknown)");

        float next = 0f;
        for (int t = n - 1; t >= 0; t--)
        {
            float nextValue;
            if (terminated[t]) { nextValue = 0f; next = 0f; }
            else if (truncated[t]) { nextValue = bootstrapValues[t]; next = 0f; }
            else nextValue = values[t + 1];

            float delta = rewards[t] + gamma * nextValue - values[t];
            next = delta + gamma * lambda * next;
            advantages[t] = next;
            returns[t] = next + values[t];
        }
    }
}
