namespace MetaRL.Environments;

/// <summary>
/// The random draws task distributions and baselines need, over <see cref="Random"/> so that a
/// seed reproduces everything. <c>new Random(seed)</c> is deterministic across .NET versions.
/// </summary>
public static class Sampling
{
    /// <summary>Standard normal by the Box–Muller transform.</summary>
    public static double Normal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(); // (0, 1], so the log is finite
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static double Normal(Random rng, double mean, double std) => mean + std * Normal(rng);

    public static bool Bernoulli(Random rng, double p) => rng.NextDouble() < p;

    /// <summary>Gamma(shape, 1) by Marsaglia and Tsang (2000); shape &lt; 1 uses the boost Gamma(a+1)·U^(1/a).</summary>
    public static double Gamma(Random rng, double shape)
    {
        if (!(shape > 0)) throw new ArgumentOutOfRangeException(nameof(shape), shape, "Gamma needs shape > 0");
        if (shape < 1)
            return Gamma(rng, shape + 1) * Math.Pow(1.0 - rng.NextDouble(), 1.0 / shape);
        double d = shape - 1.0 / 3.0, c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x, v;
            do { x = Normal(rng); v = 1.0 + c * x; } while (v <= 0);
            v = v * v * v;
            double u = 1.0 - rng.NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v)))
                return d * v;
        }
    }

    public static double Beta(Random rng, double a, double b)
    {
        double x = Gamma(rng, a), y = Gamma(rng, b);
        return x / (x + y);
    }

    /// <summary>Fills <paramref name="destination"/> with a draw from Dirichlet(alpha, …, alpha).</summary>
    public static void Dirichlet(Random rng, double alpha, Span<double> destination)
    {
        double sum = 0;
        for (int i = 0; i < destination.Length; i++) sum += destination[i] = Gamma(rng, alpha);
        for (int i = 0; i < destination.Length; i++) destination[i] /= sum;
    }

    /// <summary>Fills <paramref name="destination"/> with a draw from Dirichlet(alphas).</summary>
    public static void Dirichlet(Random rng, ReadOnlySpan<double> alphas, Span<double> destination)
    {
        double sum = 0;
        for (int i = 0; i < destination.Length; i++) sum += destination[i] = Gamma(rng, alphas[i]);
        for (int i = 0; i < destination.Length; i++) destination[i] /= sum;
    }

    /// <summary>Index drawn with probability proportional to <paramref name="probabilities"/> (which sum to 1); the same fallback as the float overload.</summary>
    public static int Categorical(Random rng, ReadOnlySpan<double> probabilities)
    {
        double u = rng.NextDouble(), acc = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            acc += probabilities[i];
            if (u < acc) return i;
        }
        for (int i = probabilities.Length - 1; i > 0; i--) if (probabilities[i] > 0) return i; // rounding left u above the last partial sum
        return 0;
    }

    /// <summary>
    /// Index drawn from a policy's action probabilities (float32, summing to 1 up to rounding). Where rounding
    /// leaves u above the last partial sum, the last index with any mass is taken, never one of probability 0.
    /// The one categorical sampler of policy outputs: the inference batcher and the evaluator both draw here.
    /// </summary>
    public static int Categorical(Random rng, ReadOnlySpan<float> probabilities) => Categorical(rng.NextDouble(), probabilities);

    /// <summary>The same draw from a uniform <paramref name="u"/> in [0, 1) given by the caller (e.g. <see cref="Tasks.TaskSeeds.Uniform"/>).</summary>
    public static int Categorical(double u, ReadOnlySpan<float> probabilities)
    {
        double acc = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            acc += probabilities[i];
            if (u < acc) return i;
        }
        for (int i = probabilities.Length - 1; i > 0; i--) if (probabilities[i] > 0) return i;
        return 0;
    }

    /// <summary>Index of the largest value; ties broken uniformly at random.</summary>
    public static int ArgMaxRandomTies(Random rng, ReadOnlySpan<double> values)
    {
        int best = 0, ties = 1;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best]) { best = i; ties = 1; }
            else if (values[i] == values[best] && rng.Next(++ties) == 0) best = i; // reservoir choice among ties
        }
        return best;
    }
}
