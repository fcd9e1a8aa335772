using System.Collections;
using System.Globalization;
using MetaRL.Environments.Spaces;

namespace MetaRL.Environments.Checking;

/// <summary>How long and how <see cref="EnvChecker"/> exercises an env.</summary>
/// <param name="Steps">Steps of random actions taken for the observation, reward and episode-end checks.</param>
/// <param name="Seed">The seed passed to <c>Reset</c> and used for the random actions.</param>
/// <param name="MaxEpisodeSteps">An episode longer than this is reported as never ending.</param>
/// <param name="DeterminismSteps">Steps compared between two envs reset with the same seed.</param>
public sealed record EnvCheckOptions(int Steps = 500, int Seed = 0, int MaxEpisodeSteps = 10_000, int DeterminismSteps = 200);

/// <summary>
/// Steps an env with random actions and reports where it breaks the <see cref="IEnv{TObs,TAction}"/>
/// contract, like Gymnasium's <c>check_env</c>: observations outside the observation space (with the
/// expected and the actual shape and type), non-finite rewards, missing info, episodes that never end,
/// terminated and truncated both set, stepping past the end of an episode without an error, observation
/// arrays reused between steps, and two envs reset with the same seed that do not replay the same
/// trajectory. It never throws for a faulty env: exceptions become findings.
/// </summary>
public static class EnvChecker
{
    /// <summary>Checks the envs <paramref name="factory"/> makes (it is called more than once, for the determinism check).</summary>
    public static EnvCheckReport Check<TObs, TAction>(Func<IEnv<TObs, TAction>> factory, EnvCheckOptions? options = null, string? name = null)
    {
        options ??= new EnvCheckOptions();
        var issues = new List<EnvCheckIssue>();
        IEnv<TObs, TAction> env;
        try { env = factory(); }
        catch (Exception e) { return new EnvCheckReport(name ?? "env", [Error("create", $"the factory threw {Describe(e)}")]); }
        name ??= env.GetType().Name;

        if (env.ObservationSpace is null || env.ActionSpace is null)
        {
            issues.Add(Error("spaces", $"ObservationSpace is {env.ObservationSpace?.ToString() ?? "null"} and ActionSpace is {env.ActionSpace?.ToString() ?? "null"}; both must be set"));
            return new EnvCheckReport(name, issues);
        }

        CheckEpisodes(env, options, issues);
        CheckDeterminism(factory, options, issues);
        return new EnvCheckReport(name, issues);
    }

    private static void CheckEpisodes<TObs, TAction>(IEnv<TObs, TAction> env, EnvCheckOptions options, List<EnvCheckIssue> issues)
    {
        var rng = new Random(options.Seed);
        if (!TryReset(env, options.Seed, "reset", issues, out var obs)) return;
        int episode = 0, t = 0, episodesEnded = 0;
        bool warnedBoth = false, warnedAlias = false, checkedStepAfterEnd = false;
        for (int step = 0; step < options.Steps; step++)
        {
            var action = env.ActionSpace.Sample(rng);
            if (!env.ActionSpace.Contains(action))
            {
                issues.Add(Error("action-space", $"ActionSpace.Sample returned {Describe(action)}, which {env.ActionSpace}.Contains rejects"));
                return;
            }
            StepResult<TObs> r;
            try { r = env.Step(action); }
            catch (Exception e)
            {
                issues.Add(Error("step", $"Step({Describe(action)}) at step {t} of episode {episode} threw {Describe(e)}"));
                return;
            }
            if (!env.ObservationSpace.Contains(r.Obs))
            {
                issues.Add(Error("step-observation", $"Step at step {t} of episode {episode} returned an observation outside the observation space: {Mismatch(env.ObservationSpace, r.Obs)}"));
                return;
            }
            if (!double.IsFinite(r.Reward))
            {
                issues.Add(Error("reward", $"Step at step {t} of episode {episode} returned reward {r.Reward.ToString(CultureInfo.InvariantCulture)}; expected a finite number"));
                return;
            }
            if (r.Info is null)
            {
                issues.Add(Error("info", $"Step at step {t} of episode {episode} returned a null Info; return Info.Empty instead"));
                return;
            }
            if (!warnedAlias && obs is Array && ReferenceEquals(obs, r.Obs))
            {
                warnedAlias = true;
                issues.Add(Warning("observation-aliasing", $"Step at step {t} of episode {episode} returned the same {TypeName(r.Obs)} instance as the previous observation; callers keep observations (obs and next obs of a transition), so return a new array each step"));
            }
            if (!warnedBoth && r.Terminated && r.Truncated)
            {
                warnedBoth = true;
                issues.Add(Warning("termination", $"Step at step {t} of episode {episode} set both Terminated and Truncated; a terminal state is Terminated only (learners bootstrap on truncation, never on termination)"));
            }
            obs = r.Obs;
            t++;
            if (r.Done)
            {
                episodesEnded++;
                if (!checkedStepAfterEnd)
                {
                    checkedStepAfterEnd = true;
                    CheckStepAfterEnd(env, action, r, t, issues);
                }
                episode++;
                t = 0;
                if (!TryReset(env, null, "reset", issues, out obs)) return;
            }
            else if (t > options.MaxEpisodeSteps)
            {
                break;
            }
        }
        if (episodesEnded == 0)
            issues.Add(Warning("episode-end", $"no episode ended within {Math.Min(options.Steps, options.MaxEpisodeSteps + 1)} steps of random actions; an env used in trials must terminate or truncate (add a time limit)"));
    }

    // IEnv's contract: stepping an ended episode without a reset is an error, so a runner bug cannot silently run on.
    private static void CheckStepAfterEnd<TObs, TAction>(IEnv<TObs, TAction> env, TAction action, StepResult<TObs> last, int t, List<EnvCheckIssue> issues)
    {
        string how = last.Terminated ? "terminated" : "truncated";
        try
        {
            env.Step(action);
            issues.Add(Error("step-after-end", $"Step after the episode {how} at step {t} did not throw; expected an InvalidOperationException until Reset is called"));
        }
        catch (InvalidOperationException)
        {
        }
        catch (Exception e)
        {
            issues.Add(Warning("step-after-end", $"Step after the episode {how} at step {t} threw {Describe(e)}; expected an InvalidOperationException"));
        }
    }

    private static void CheckDeterminism<TObs, TAction>(Func<IEnv<TObs, TAction>> factory, EnvCheckOptions options, List<EnvCheckIssue> issues)
    {
        IEnv<TObs, TAction> a, b;
        try { a = factory(); b = factory(); }
        catch (Exception e) { issues.Add(Error("create", $"the factory threw {Describe(e)} on a second call")); return; }
        var actions = new Random(ActionSeed(options.Seed));
        var replay = new List<TAction>();
        var first = Rollout(a, options, i => { var x = a.ActionSpace.Sample(actions); replay.Add(x); return x; });
        if (first is null) return; // the episode check has already said why
        var second = Rollout(b, options, i => replay[i]);
        if (second is null) return;
        var diff = FirstDifference(first, second);
        if (diff is not null)
            issues.Add(Error("seeding", $"two envs reset with seed {options.Seed} and given the same actions diverged at {diff}; Reset(seed) must reseed every random stream the env uses"));

        var again = Rollout(a, options, i => replay[i]);
        if (again is null) return;
        diff = FirstDifference(first, again);
        if (diff is not null)
            issues.Add(Error("seeding", $"the same env reset again with seed {options.Seed} did not replay its trajectory: it diverged at {diff}"));
    }

    private sealed record Transition(int Episode, int T, object? Obs, double Reward, bool Terminated, bool Truncated);

    private static List<Transition>? Rollout<TObs, TAction>(IEnv<TObs, TAction> env, EnvCheckOptions options, Func<int, TAction> action)
    {
        var list = new List<Transition>();
        try
        {
            var (obs, _) = env.Reset(options.Seed);
            list.Add(new Transition(0, 0, Snapshot(obs), 0, false, false));
            int episode = 0, t = 0;
            for (int i = 0; i < options.DeterminismSteps; i++)
            {
                var r = env.Step(action(i));
                t++;
                list.Add(new Transition(episode, t, Snapshot(r.Obs), r.Reward, r.Terminated, r.Truncated));
                if (r.Done)
                {
                    episode++;
                    t = 0;
                    list.Add(new Transition(episode, 0, Snapshot(env.Reset().Obs), 0, false, false));
                }
            }
            return list;
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static string? FirstDifference(List<Transition> x, List<Transition> y)
    {
        for (int i = 0; i < Math.Min(x.Count, y.Count); i++)
        {
            var (p, q) = (x[i], y[i]);
            string where = p.T == 0 ? $"the reset of episode {p.Episode}" : $"step {p.T} of episode {p.Episode}";
            if (!SameValue(p.Obs, q.Obs)) return $"{where}: observation {Describe(p.Obs)} vs {Describe(q.Obs)}";
            if (!p.Reward.Equals(q.Reward)) return $"{where}: reward {Num(p.Reward)} vs {Num(q.Reward)}";
            if (p.Terminated != q.Terminated || p.Truncated != q.Truncated)
                return $"{where}: terminated/truncated {p.Terminated}/{p.Truncated} vs {q.Terminated}/{q.Truncated}";
        }
        return null;
    }

    private static bool TryReset<TObs, TAction>(IEnv<TObs, TAction> env, int? seed, string check, List<EnvCheckIssue> issues, out TObs obs)
    {
        obs = default!;
        string call = seed is int s ? $"Reset(seed: {s})" : "Reset()";
        Info info;
        try { (obs, info) = env.Reset(seed); }
        catch (Exception e) { issues.Add(Error(check, $"{call} threw {Describe(e)}")); return false; }
        if (!env.ObservationSpace.Contains(obs))
        {
            issues.Add(Error(check, $"{call} returned an observation outside the observation space: {Mismatch(env.ObservationSpace, obs)}"));
            return false;
        }
        if (info is null)
        {
            issues.Add(Error("info", $"{call} returned a null Info; return Info.Empty instead"));
            return false;
        }
        return true;
    }

    /// <summary>"expected …, got …", naming the shape and type, and for a box the first element out of bounds.</summary>
    public static string Mismatch<T>(Space<T> space, T value)
    {
        string expected = space switch
        {
            Discrete d => $"an int in 0..{d.N - 1} ({d})",
            Box b => $"float[{b.Dims}] within {b}",
            _ => $"a member of {space}",
        };
        string detail = "";
        if (space is Box box && value is float[] v && v.Length == box.Dims)
        {
            for (int i = 0; i < v.Length; i++)
                if (!(v[i] >= box.Low[i] && v[i] <= box.High[i]))
                {
                    detail = $" (element {i} = {Num(v[i])} is outside [{Num(box.Low[i])}, {Num(box.High[i])}])";
                    break;
                }
        }
        return $"expected {expected}, got {Describe(value)}{detail}";
    }

    /// <summary>A value as a message shows it: <c>int 7</c>, <c>float[3] [0.5, 0, 0]</c>, <c>null</c>.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "null",
        Exception e => $"{e.GetType().Name}: {e.Message}",
        float[] f => $"float[{f.Length}] [{string.Join(", ", f.Take(8).Select(x => Num(x)))}{(f.Length > 8 ? ", …" : "")}]",
        double[] d => $"double[{d.Length}] [{string.Join(", ", d.Take(8).Select(Num))}{(d.Length > 8 ? ", …" : "")}]",
        Array a => $"{a.GetType().GetElementType()!.Name}[{a.Length}]",
        int i => $"int {i}",
        IFormattable f => $"{value.GetType().Name} {f.ToString(null, CultureInfo.InvariantCulture)}",
        _ => $"{value.GetType().Name} {value}",
    };

    private static string TypeName(object? value) => value is Array a ? $"{a.GetType().GetElementType()!.Name}[{a.Length}]" : value?.GetType().Name ?? "null";

    private static string Num(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    // Copies arrays so that an env that mutates its returned array cannot fake a match.
    private static object? Snapshot<T>(T value) => value is Array a ? a.Clone() : value;

    private static bool SameValue(object? x, object? y) =>
        x is IStructuralEquatable sx && y is not null
            ? sx.Equals(y, StructuralComparisons.StructuralEqualityComparer)
            : Equals(x, y);

    private static int ActionSeed(int seed) => Tasks.TaskSeeds.Mix(seed, 0x0C4EC);

    private static EnvCheckIssue Error(string check, string message) => new(CheckSeverity.Error, check, message);
    private static EnvCheckIssue Warning(string check, string message) => new(CheckSeverity.Warning, check, message);
}
