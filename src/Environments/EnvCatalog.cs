using MetaRL.Environments.Bandits;
using MetaRL.Environments.Baselines;
using MetaRL.Environments.Grid;
using MetaRL.Environments.Mazes;
using MetaRL.Environments.Navigation;
using MetaRL.Environments.NonStationary;
using MetaRL.Environments.Tabular;

namespace MetaRL.Environments;

/// <summary>
/// Every env family by the name the command line and configs use (<c>--env dark-room</c>, <c>env.name</c>). Each
/// entry builds the family's task distribution for a split and its env, with the published setup as defaults.
/// The built-in families come first; a user's own are added with <see cref="Register"/> (from their code, or from
/// an extension assembly the command line loads with <c>--extension</c>).
/// </summary>
public static class EnvCatalog
{
    private static readonly string[] BanditOptions = ["arms"];
    private static readonly string[] NoOptions = [];

    private static readonly EnvFamily[] BuiltIn =
    [
        new EnvFamily<int, int, BanditTask>("bernoulli-bandit",
            "RL² Bernoulli bandit: k arms (default 5), means ~ U(0,1), each pull a one-step episode",
            100, BanditOptions,
            o => new UniformBanditDistribution(o.Arms ?? 5, o.Split),
            (o, t) => new BernoulliBanditEnv(t), BanditMeanDrift.Instance,
            BernoulliBanditSuite(o => o.Arms ?? 5, published: true)),
        new EnvFamily<int, int, BanditTask>("gaussian-bandit",
            "DPT Gaussian bandit: k arms (default 5), means ~ U(0,1), reward mean + N(0, 0.3), 500 pulls a trial",
            GaussianBanditEnv.DptPulls, BanditOptions,
            o => new UniformBanditDistribution(o.Arms ?? GaussianBanditEnv.DptArms, o.Split),
            (o, t) => new GaussianBanditEnv(t), BanditMeanDrift.Instance),
        Wang("wang-bandit-independent", WangBanditVariant.Independent, "p1, p2 ~ U(0,1)"),
        Wang("wang-bandit-easy", WangBanditVariant.Easy, "p2 = 1 − p1, p1 ∈ {0.1, 0.9}"),
        Wang("wang-bandit-medium", WangBanditVariant.Medium, "p2 = 1 − p1, p1 ∈ {0.25, 0.75}"),
        Wang("wang-bandit-hard", WangBanditVariant.Hard, "p2 = 1 − p1, p1 ∈ {0.4, 0.6}"),
        Wang("wang-bandit-uniform", WangBanditVariant.Uniform, "p2 = 1 − p1, p1 ~ U(0,1)"),
        new EnvFamily<int, int, TabularMdpTask>("tabular-mdp",
            "RL² random tabular MDP: |S|=10, |A|=5, 10-step episodes from state 0, R ~ N(1,1), P ~ Dirichlet(1)",
            10, ["states", "actions", "horizon"],
            o => new RandomMdpDistribution(o.States ?? RandomMdpDistribution.DefaultStates, o.Actions ?? RandomMdpDistribution.DefaultActions, o.Split),
            (o, t) => new TabularMdpEnv(t, o.Horizon ?? TabularMdpEnv.DefaultHorizon),
            baselines: TabularMdpSuite()),
        new EnvFamily<int, int, DarkRoomTask>("dark-room",
            "AD Dark Room: 9×9, hidden goal, 20-step episodes from the centre, reward 1 per step on the goal",
            10, ["size", "horizon", "testFraction"],
            o => new DarkRoomDistribution(o.Size ?? DarkRoomEnv.DefaultSize, o.Split, TestFraction(o)),
            (o, t) => new DarkRoomEnv(t, o.Size ?? DarkRoomEnv.DefaultSize, o.Horizon ?? DarkRoomEnv.DefaultHorizon),
            baselines: new((o, _) => DarkRoomBaselines.Create(o.Size ?? DarkRoomEnv.DefaultSize))),
        new EnvFamily<int, int, DarkRoomTask>("dark-room-hard",
            "AD Dark Room Hard: 17×17, hidden goal, 20-step episodes from the centre, reward 1 once",
            10, ["size", "horizon", "testFraction"],
            o => new DarkRoomDistribution(o.Size ?? DarkRoomEnv.HardSize, o.Split, TestFraction(o)),
            (o, t) => new DarkRoomEnv(t, o.Size ?? DarkRoomEnv.HardSize, o.Horizon ?? DarkRoomEnv.DefaultHorizon, rewardOnce: true),
            baselines: new((o, _) => DarkRoomBaselines.Create(o.Size ?? DarkRoomEnv.HardSize))),
        new EnvFamily<int, int, KeyDoorTask>("dark-key-to-door",
            "AD Dark Key-to-Door: 9×9, 50-step episodes, +1 once for the key, +1 at the door holding it (then terminated)",
            10, ["size", "horizon"],
            o => new KeyDoorDistribution(o.Size ?? DarkKeyToDoorEnv.DefaultSize, o.Split),
            (o, t) => new DarkKeyToDoorEnv(t, o.Size ?? DarkKeyToDoorEnv.DefaultSize, o.Horizon ?? DarkKeyToDoorEnv.DefaultHorizon)),
        new EnvFamily<float[], float[], PointGoalTask>("point-robot-sparse",
            "PEARL sparse point robot: actions in [−0.1,0.1]², goals on the unit half circle, reward 1 − d within 0.2, 20 steps",
            3, ["horizon"],
            o => new PointGoalDistribution(o.Split),
            (o, t) => new SparsePointRobotEnv(t, o.Horizon ?? SparsePointRobotEnv.DefaultHorizon), PointGoalDrift.Instance),
        new EnvFamily<float[], float[], PointGoalTask>("point-navigation",
            "MAML 2D navigation: velocities in [−0.1,0.1]², goals ~ U[−0.5,0.5]², reward −distance, 100 steps",
            2, ["horizon"],
            o => new SquareGoalDistribution(o.Split),
            (o, t) => new PointNavigationEnv(t, o.Horizon ?? PointNavigationEnv.DefaultHorizon), PointGoalDrift.Instance),
        new EnvFamily<int, int, HallwayTask>("sign-hallway",
            "Hallway with a sign: N hallways (default 3), the sign below the start names the rewarding one",
            2, ["hallways", "horizon"],
            o => new HallwayDistribution(o.Hallways ?? SignHallwayEnv.DefaultHallways, o.Split),
            (o, t) => new SignHallwayEnv(t, o.Hallways ?? SignHallwayEnv.DefaultHallways, horizon: o.Horizon)),
        new EnvFamily<int, int, MazeTask>("maze",
            "Random 10×10 perfect maze per task, start (0,0), hidden exit pays 1 and ends the episode",
            3, ["size", "horizon"],
            o => new MazeDistribution(o.Size ?? MazeEnv.DefaultSize, o.Split),
            (o, t) => new MazeEnv(t, o.Horizon)),
    ];

    private static readonly NamedRegistry<EnvFamily> Registry = new(BuiltIn, f => f.Name, f => f.Summary, "env family", "foraging-patches");

    /// <summary>The built-in families, then the registered ones in the order they were registered.</summary>
    public static IReadOnlyList<EnvFamily> All => Registry.All;

    /// <summary>The catalog names, in catalog order.</summary>
    public static IReadOnlyList<string> Names => Registry.Names;

    /// <summary>
    /// Adds a family of the user's own, usable by name in configs, <c>baselines</c>, <c>eval</c> and <c>study</c> from then
    /// on. Registering the same instance again does nothing; another family under a name the catalog holds is an
    /// <see cref="ArgumentException"/>.
    /// </summary>
    public static void Register(EnvFamily family) => Registry.Register(family);

    public static bool TryGet(string name, out EnvFamily family) => Registry.TryGet(name, out family);

    /// <summary>The family named <paramref name="name"/>; an unknown name is an <see cref="ArgumentException"/> listing the known ones.</summary>
    public static EnvFamily Get(string name) => TryGet(name, out var family)
        ? family
        : throw new ArgumentException($"unknown env '{name}'; expected one of: {string.Join(", ", Names)}", nameof(name));

    /// <summary>The typed family; a wrong type is an <see cref="ArgumentException"/> that names the types it has.</summary>
    public static EnvFamily<TObs, TAction, TTask> Get<TObs, TAction, TTask>(string name) =>
        Get(name) as EnvFamily<TObs, TAction, TTask>
        ?? throw new ArgumentException($"env '{name}' has observations {Get(name).ObservationType.Name}, actions {Get(name).ActionType.Name} and tasks {Get(name).TaskType.Name}, not {typeof(TObs).Name}, {typeof(TAction).Name} and {typeof(TTask).Name}", nameof(name));

    /// <summary>A Dark Room's held-out share of cells (<c>env.options.testFraction</c>; 0 holds out none).</summary>
    private static double TestFraction(EnvOptions o)
    {
        double f = o.Option("testFraction", GoalSplits.DefaultTestFraction);
        return f >= 0 && f < 1 ? f : throw new ArgumentException($"env.options.testFraction = {f}: the share of cells held out for test, in [0, 1) (0: none)");
    }

    private static EnvFamily<int, int, BanditTask> Wang(string name, WangBanditVariant variant, string law) =>
        new(name, $"Wang et al. two-armed Bernoulli bandit, {law}, 100 pulls a trial",
            WangBanditDistribution.Pulls, NoOptions,
            o => new WangBanditDistribution(variant, o.Split),
            (o, t) => new BernoulliBanditEnv(t), BanditMeanDrift.Instance,
            BernoulliBanditSuite(_ => WangBanditDistribution.Arms, published: false));

    /// <summary>
    /// Bernoulli bandits' suite: Gittins and the rest (<see cref="BanditBaselines"/>), the tracking ones under a schedule;
    /// with <paramref name="published"/>, beside the RL² paper's figures (its k-armed setups, not Wang et al.'s).
    /// </summary>
    private static BaselineSuite<int, int> BernoulliBanditSuite(Func<EnvOptions, int> arms, bool published) =>
        new((o, pulls) => BanditBaselines.Create(arms(o), pulls))
        {
            TrialLength = "pulls",
            Tracking = (o, _) => TrackingBaselines.ForBandits(arms(o)),
            Published = published ? (o, pulls, policy) => Rl2PaperScores.ForBandit(arms(o), pulls, policy) : null,
            Describe = (o, pulls) => ($"k = {arms(o)} arms, n = {pulls} pulls a trial", [("arms", arms(o)), ("pulls", pulls)]),
        };

    /// <summary>Random tabular MDPs' suite: PSRL, BEB and the rest (<see cref="MdpBaselines"/>), the tracking ones under a schedule.</summary>
    private static BaselineSuite<int, int> TabularMdpSuite() => new((o, _) => MdpBaselines.Create(States(o), Actions(o), Horizon(o)))
    {
        Tracking = (o, _) => TrackingBaselines.ForTabularMdps(States(o), Actions(o), Horizon(o)),
        Published = (o, episodes, policy) => Rl2PaperScores.ForTabularMdp(States(o), Actions(o), Horizon(o), episodes, policy),
        Describe = (o, episodes) => ($"|S| = {States(o)}, |A| = {Actions(o)}, {Horizon(o)}-step episodes, n = {episodes} episodes a trial",
            [("states", States(o)), ("actions", Actions(o)), ("horizon", Horizon(o)), ("episodes", episodes)]),
    };

    private static int States(EnvOptions o) => o.States ?? RandomMdpDistribution.DefaultStates;
    private static int Actions(EnvOptions o) => o.Actions ?? RandomMdpDistribution.DefaultActions;
    private static int Horizon(EnvOptions o) => o.Horizon ?? TabularMdpEnv.DefaultHorizon;
}
