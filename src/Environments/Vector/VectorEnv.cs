using MetaRL.Environments.Spaces;
using MetaRL.Environments.Tasks;

namespace MetaRL.Environments.Vector;

/// <summary>
/// Steps many envs of one kind in a plain loop on the calling thread, for baselines and benchmarks.
/// <para>
/// <b>Same-step autoreset</b> (Gymnasium's <c>SAME_STEP</c> mode): when env i's episode ends in
/// <see cref="Step"/>, it is reset within that same call. Then <see cref="Rewards"/>, <see cref="Terminated"/>
/// and <see cref="Truncated"/> describe the step that ended the episode, <see cref="FinalObservations"/>[i]
/// holds that episode's last observation (needed to bootstrap a truncated episode),
/// <see cref="EpisodeReturns"/>[i] and <see cref="EpisodeLengths"/>[i] its return and length, and
/// <see cref="Observations"/>[i] already holds the first observation of the next episode, so the caller
/// always acts on <see cref="Observations"/>. Where env i did not finish, its final entries are
/// <c>default</c> and 0. The task of an env is untouched by an autoreset: a trial of several episodes goes
/// on; drawing a new task is the caller's business (through <see cref="Envs"/>).
/// </para>
/// <para>
/// The buffers are allocated once; <see cref="Step"/> allocates nothing itself, so with envs that do not
/// allocate either (bandits, tabular, grid worlds) stepping is allocation-free. The spans are views of the
/// buffers, valid until the next <see cref="Step"/> or <see cref="Reset"/>.
/// </para>
/// </summary>
public sealed class VectorEnv<TObs, TAction>
{
    private readonly IEnv<TObs, TAction>[] _envs;
    private readonly TObs[] _obs;
    private readonly TObs[] _finalObs;
    private readonly double[] _rewards;
    private readonly bool[] _terminated;
    private readonly bool[] _truncated;
    private readonly Info[] _infos;
    private readonly double[] _runningReturns;
    private readonly int[] _runningLengths;
    private readonly double[] _episodeReturns;
    private readonly int[] _episodeLengths;
    private bool _started;

    public VectorEnv(IEnumerable<IEnv<TObs, TAction>> envs)
    {
        _envs = envs.ToArray();
        if (_envs.Length == 0) throw new ArgumentException("a vector env needs at least one env", nameof(envs));
        ObservationSpace = _envs[0].ObservationSpace;
        ActionSpace = _envs[0].ActionSpace;
        for (int i = 1; i < _envs.Length; i++)
        {
            if (_envs[i].ObservationSpace.ToString() != ObservationSpace.ToString() || _envs[i].ActionSpace.ToString() != ActionSpace.ToString())
                throw new ArgumentException($"env {i} has spaces {_envs[i].ObservationSpace} / {_envs[i].ActionSpace} but env 0 has {ObservationSpace} / {ActionSpace}; a vector env steps envs of one kind", nameof(envs));
        }
        int n = _envs.Length;
        _obs = new TObs[n];
        _finalObs = new TObs[n];
        _rewards = new double[n];
        _terminated = new bool[n];
        _truncated = new bool[n];
        _infos = new Info[n];
        Array.Fill(_infos, Info.Empty);
        _runningReturns = new double[n];
        _runningLengths = new int[n];
        _episodeReturns = new double[n];
        _episodeLengths = new int[n];
    }

    /// <summary>Makes <paramref name="count"/> envs with <paramref name="factory"/>(index).</summary>
    public static VectorEnv<TObs, TAction> Create(int count, Func<int, IEnv<TObs, TAction>> factory)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "a vector env needs at least one env");
        return new VectorEnv<TObs, TAction>(Enumerable.Range(0, count).Select(factory));
    }

    public int Count => _envs.Length;
    public IReadOnlyList<IEnv<TObs, TAction>> Envs => _envs;

    /// <summary>The spaces of one env (all envs share them).</summary>
    public Space<TObs> ObservationSpace { get; }
    public Space<TAction> ActionSpace { get; }

    /// <summary>The observation each env's next action answers (after an autoreset, the new episode's first).</summary>
    public ReadOnlySpan<TObs> Observations => _obs;
    public ReadOnlySpan<double> Rewards => _rewards;
    public ReadOnlySpan<bool> Terminated => _terminated;
    public ReadOnlySpan<bool> Truncated => _truncated;
    public ReadOnlySpan<Info> Infos => _infos;

    /// <summary>Where an episode ended in the last step: its last observation; elsewhere <c>default</c>.</summary>
    public ReadOnlySpan<TObs> FinalObservations => _finalObs;

    /// <summary>Where an episode ended in the last step: its total reward; elsewhere 0.</summary>
    public ReadOnlySpan<double> EpisodeReturns => _episodeReturns;

    /// <summary>Where an episode ended in the last step: its number of steps; elsewhere 0.</summary>
    public ReadOnlySpan<int> EpisodeLengths => _episodeLengths;

    public bool Done(int i) => _terminated[i] || _truncated[i];

    /// <summary>
    /// Resets every env. With a seed, env i is reset with <c>TaskSeeds.Mix(seed, i)</c>, so the envs draw
    /// independent streams and the whole vector replays for the same seed.
    /// </summary>
    public ReadOnlySpan<TObs> Reset(int? seed = null)
    {
        for (int i = 0; i < _envs.Length; i++)
        {
            var (obs, info) = _envs[i].Reset(seed is int s ? TaskSeeds.Mix(s, i) : null);
            _obs[i] = obs;
            _infos[i] = info;
            _finalObs[i] = default!;
            _rewards[i] = 0;
            _terminated[i] = _truncated[i] = false;
            _runningReturns[i] = 0;
            _runningLengths[i] = 0;
            _episodeReturns[i] = 0;
            _episodeLengths[i] = 0;
        }
        _started = true;
        return _obs;
    }

    /// <summary>Steps env i with <paramref name="actions"/>[i], autoresetting the envs whose episode ended.</summary>
    public void Step(ReadOnlySpan<TAction> actions)
    {
        if (!_started) throw new InvalidOperationException("Step called before Reset");
        if (actions.Length != _envs.Length)
            throw new ArgumentException($"expected {_envs.Length} actions, one per env, got {actions.Length}", nameof(actions));
        var envs = _envs;
        for (int i = 0; i < envs.Length; i++)
        {
            var r = envs[i].Step(actions[i]);
            _rewards[i] = r.Reward;
            _terminated[i] = r.Terminated;
            _truncated[i] = r.Truncated;
            // Most envs return the shared Info.Empty: skip the reference store (and its GC write barrier) then.
            if (!ReferenceEquals(_infos[i], r.Info)) _infos[i] = r.Info;
            double runningReturn = _runningReturns[i] + r.Reward;
            int runningLength = _runningLengths[i] + 1;
            if (r.Terminated || r.Truncated)
            {
                _finalObs[i] = r.Obs;
                _episodeReturns[i] = runningReturn;
                _episodeLengths[i] = runningLength;
                _runningReturns[i] = 0;
                _runningLengths[i] = 0;
                _obs[i] = envs[i].Reset().Obs; // the reset's info is dropped: the step's info is the one reported
            }
            else
            {
                _obs[i] = r.Obs;
                _finalObs[i] = default!;
                _episodeReturns[i] = 0;
                _episodeLengths[i] = 0;
                _runningReturns[i] = runningReturn;
                _runningLengths[i] = runningLength;
            }
        }
    }
}
