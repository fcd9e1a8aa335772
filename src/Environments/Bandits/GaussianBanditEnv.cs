using MetaRL.Environments.Spaces;

namespace MetaRL.Environments.Bandits;

/// <summary>
/// The Gaussian bandit of the Decision-Pretrained Transformer (Lee et al. 2023, ANCHORS.md): a pull of arm
/// a pays <c>Means[a] + Normal(0, NoiseStd)</c>, with NoiseStd = 0.3. DPT's setup is 5 arms with means
/// ~ U(0, 1) (<see cref="UniformBanditDistribution"/>) and 500 pulls a trial. As with
/// <see cref="BernoulliBanditEnv"/>, each pull is a terminated one-step episode and the observation is
/// always 0 in Discrete(1).
/// </summary>
public sealed class GaussianBanditEnv : ITaskEnv<int, int, BanditTask>
{
    public const double DefaultNoiseStd = 0.3;
    public const int DptArms = 5;
    public const int DptPulls = 500;

    private Random _rng;
    private bool _needsReset = true;

    public GaussianBanditEnv(BanditTask task, double noiseStd = DefaultNoiseStd, int seed = 0)
    {
        if (!(noiseStd >= 0)) throw new ArgumentOutOfRangeException(nameof(noiseStd), noiseStd, "the noise standard deviation must be >= 0");
        ActionSpace = new Discrete(task.Arms);
        Task = task;
        NoiseStd = noiseStd;
        _rng = new Random(seed);
    }

    public Space<int> ObservationSpace { get; } = new Discrete(1);
    public Space<int> ActionSpace { get; }
    public BanditTask Task { get; private set; }
    public double NoiseStd { get; }

    public void SetTask(BanditTask task)
    {
        if (task.Arms != ((Discrete)ActionSpace).N)
            throw new ArgumentException($"task has {task.Arms} arms but this env has {((Discrete)ActionSpace).N}");
        Task = task;
    }

    public (int Obs, Info Info) Reset(int? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        if (seed is int s) _rng = new Random(s);
        _needsReset = false;
        return (0, Info.Empty);
    }

    public StepResult<int> Step(int action)
    {
        if (_needsReset) throw new InvalidOperationException("Step called before Reset (each pull is an episode: reset after every step)");
        if (!ActionSpace.Contains(action)) throw new ArgumentOutOfRangeException(nameof(action), action, $"not in {ActionSpace}");
        _needsReset = true;
        double reward = Sampling.Normal(_rng, Task.Means[action], NoiseStd);
        return new StepResult<int>(0, reward, Terminated: true, Truncated: false, Info.Empty);
    }
}
