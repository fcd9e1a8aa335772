using System.CommandLine;
using System.Globalization;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Population;
using Spectre.Console;

namespace MetaRL.Host.Training;

/// <summary>
/// <c>metarl train &lt;config.json&gt;</c>: meta-trains RL² with a population of actors, writing
/// <c>runs/&lt;name&gt;/</c> (config.json, run.json, metrics.csv, run.db, model.pt); <c>--resume</c> continues a
/// stopped or killed run. Progress goes to stderr: a bar with an ETA on a terminal, one line every few seconds
/// otherwise, so logs stay readable.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var config = new Argument<string?>("config") { Description = "A training config, e.g. config/bandits-k5-n100.json (not with --resume).", Arity = ArgumentArity.ZeroOrOne };
        var set = new Option<string[]>("--set") { Description = "Override a config key, e.g. --set ppo.clip=0.2 --set population.agents=512.", HelpName = "key=value", AllowMultipleArgumentsPerToken = false };
        var runs = new Option<string>("--runs") { Description = "Folder that holds run folders.", DefaultValueFactory = _ => "runs", HelpName = "dir" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an earlier run of the same name (everything of it is removed)." };
        var resume = new Option<string?>("--resume") { Description = "Continue a stopped or killed run (a run folder or name) from its newest checkpoint.", HelpName = "run" };
        var clusterPort = new Option<int?>("--cluster-port")
        {
            Description = "Run as the seed of a cluster listening on this port; other machines join with `metarl node --seed HOST:PORT`.",
            HelpName = "port",
        };
        var clusterHost = new Option<string?>("--cluster-host") { Description = "The address the seed binds and nodes reach it at (default 127.0.0.1: this machine only).", HelpName = "host" };
        var minNodes = new Option<int>("--min-nodes") { Description = "Nodes (the seed included) that must be up before training starts.", DefaultValueFactory = _ => 1, HelpName = "n" };
        var noLearner = new Option<bool>("--no-learner") { Description = "The seed does not host the learner; the oldest other node does (needs --min-nodes 2 or more)." };
        var tlsCert = Cluster.ClusterCli.TlsCertificate();
        var dashboard = new Option<int?>("--dashboard")
        {
            Description = $"Serve a live dashboard of the run on this port (default {DefaultDashboardPort}; 0: any free port): its curves grow as updates land.",
            HelpName = "port",
            Arity = ArgumentArity.ZeroOrOne,
            // `--dashboard config.json` reads the config as the port (System.CommandLine cannot hand an option's token back): say so.
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0) return null;
                var token = result.Tokens[0].Value;
                if (int.TryParse(token, System.Globalization.NumberStyles.Integer, CultureInfo.InvariantCulture, out int port)) return port;
                result.AddError($"--dashboard takes a port, not '{token}'; put the config first (metarl train {token} --dashboard) or give a port (--dashboard {DefaultDashboardPort})");
                return null;
            },
        };
        var dashboardHost = new Option<string?>("--dashboard-host") { Description = "The address the dashboard listens on (default 127.0.0.1: this machine only).", HelpName = "host" };

        var command = new Command("train", "Meta-train RL² on a task distribution with a population of agent actors.");
        command.Arguments.Add(config);
        foreach (var o in new Option[] { set, runs, overwrite, resume, clusterPort, clusterHost, minNodes, noLearner, tlsCert, dashboard, dashboardHost }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            TrainingSession session;
            ClusterSeedOptions? seed = null;
            DashboardOptions? board = null;
            var where = new TrainingOptions { RunsDirectory = parse.GetValue(runs)!, Overwrite = parse.GetValue(overwrite) };
            try
            {
                board = BoardOptions(parse.GetResult(dashboard) is not null, parse.GetValue(dashboard), parse.GetValue(dashboardHost));
                seed = SeedOptions(parse.GetValue(clusterPort), parse.GetValue(clusterHost), parse.GetValue(minNodes), parse.GetValue(noLearner),
                    parse.GetValue(tlsCert));
                bool resuming = parse.GetValue(resume) is not null;
                if (resuming == (parse.GetValue(config) is not null))
                    throw new ArgumentException("give a config to start a run, or --resume <run> to continue one (not both)");
                if (resuming && (parse.GetValue(set) is { Length: > 0 } || parse.GetValue(overwrite)))
                    throw new ArgumentException("--resume continues a run under its own config; --set and --overwrite do not apply");
                if (resuming) session = MetaTrainer.Resume(parse.GetValue(resume)!, where);
                else
                {
                    var cfg = TrainConfigLoader.Load(parse.GetValue(config)!, parse.GetValue(set) ?? []);
                    if (seed is not null && cfg.Algorithm != Policies.Maml.MetaAlgorithm.Ppo)
                        throw new ArgumentException($"algorithm = {cfg.Algorithm}: MAML and Reptile train in one process; a cluster runs the population (algorithm = Ppo)");
                    if (seed is not null && cfg.Eval.Every > 0)
                        throw new ArgumentException($"eval.every {cfg.Eval.Every}: evaluation during training runs with the in-process population; evaluate a clustered run with metarl eval (set eval.every=0)");
                    session = MetaTrainer.Prepare(cfg, where);
                }
            }
            catch (Exception e) when (e is ArgumentException or RunInUseException)
            {
                stderr.WriteLine($"metarl train: {e.Message}");
                return Program.UsageError;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"metarl train: cannot write the run folder under '{where.RunsDirectory}': {e.Message}");
                return Program.UsageError;
            }
            using (session)
            {
                if (session.AlreadyComplete)
                {
                    stdout.WriteLine($"run {session.Folder.Name} is complete ({session.StartUpdate} updates); nothing to resume. next: metarl eval {session.Folder.Path}");
                    return 0;
                }
                return Train(session, stdout, stderr, seed is null ? null : new ClusterSeed(seed, session.Config, stdout), board);
            }
        });
        return command;
    }

    public const int DefaultDashboardPort = 8765;

    /// <summary>Where the live dashboard listens.</summary>
    private sealed record DashboardOptions(string Host, int Port);

    /// <summary>The dashboard's address, or null without <c>--dashboard</c> (then <c>--dashboard-host</c> may not be given); checked before anything is written.</summary>
    private static DashboardOptions? BoardOptions(bool given, int? port, string? host)
    {
        if (!given)
        {
            if (host is not null) throw new ArgumentException("--dashboard-host needs --dashboard");
            return null;
        }
        if (host is { Length: 0 }) throw new ArgumentException("--dashboard-host: expected a host name or an address");
        var board = new DashboardOptions(host ?? "127.0.0.1", Cluster.ClusterCli.Port("--dashboard", port ?? DefaultDashboardPort, allowAny: true));
        if (board.Port != 0) Cluster.ClusterCli.EnsureCanListen("--dashboard", board.Host, board.Port);
        return board;
    }

    /// <summary>The seed's settings from the cluster options, or null without <c>--cluster-port</c> (then none of the others may be given).</summary>
    private static ClusterSeedOptions? SeedOptions(int? port, string? host, int minNodes, bool noLearner, string? tlsCert)
    {
        if (port is null)
        {
            if (host is not null || minNodes != 1 || noLearner || tlsCert is not null)
                throw new ArgumentException("--cluster-host, --min-nodes, --no-learner and --tls-cert need --cluster-port");
            return null;
        }
        if (minNodes < 1 || minNodes > 1000) throw new ArgumentException($"--min-nodes {minNodes}: expected a whole number from 1 to 1000");
        if (noLearner && minNodes < 2) throw new ArgumentException("--no-learner needs --min-nodes 2 or more: another node must be up to host the learner");
        if (host is { Length: 0 }) throw new ArgumentException("--cluster-host: expected a host name or an address");
        var network = new Actors.Cluster.ClusterOptions(host ?? "127.0.0.1", Cluster.ClusterCli.Port("--cluster-port", port.Value, allowAny: false),
            Cluster.ClusterCli.Tls(tlsCert));
        Cluster.ClusterCli.EnsureCanListen("--cluster-port", network.Host, network.Port);
        return new ClusterSeedOptions(network, minNodes, HostsLearner: !noLearner);
    }

    private static int Train(TrainingSession session, TextWriter stdout, TextWriter stderr, ClusterSeed? cluster, DashboardOptions? board)
    {
        var (cfg, run) = (session.Config, session.Folder);
        string what = cfg.Algorithm == Policies.Maml.MetaAlgorithm.Ppo
            ? $"{cfg.Population.Agents} agents"
            : $"{cfg.Algorithm}, {cfg.Maml.TasksPerUpdate} tasks × {cfg.Maml.EpisodesPerTask} episodes an inner step";
        stdout.WriteLine($"{(session.Resuming ? "resuming" : "training")} {cfg.Name}: {cfg.Env.Name}, {what}, {cfg.Updates} updates; run folder {run.Path}" +
            (cluster is null ? "" : "; a cluster (agents sharded over its nodes, batching asynchronously)"));
        Reports.Dashboard? dashboard = null;
        try
        {
            if (board is not null)
            {
                try
                {
                    var header = TrainingMonitor.HeaderOf(cfg.Population.Groups?.Select(g => g.Name).ToArray() ?? [], clustered: cluster is not null);
                    dashboard = Reports.Dashboard.StartAsync(run, header, board.Host, board.Port).GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
                {
                    stderr.WriteLine($"metarl train: --dashboard: cannot listen on {board.Host}:{board.Port} ({e.Message})");
                    return Program.UsageError;
                }
                stdout.WriteLine($"dashboard: {dashboard.Address} (live; closing the page changes nothing)");
            }
            if (cluster is null && cfg.Eval.Every > 0)
            {
                var reference = session.Milestones?.Reference;
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"held-out evaluation every {cfg.Eval.Every} updates: {cfg.Eval.Trials:N0} test tasks, seed {cfg.Eval.Seed}, sampled actions (off the training clock)") +
                    (reference is null ? "" : string.Create(CultureInfo.InvariantCulture, $"; best baseline on them: {reference.Name} {reference.Mean:0.00}")));
            }
            return TrainAndReport(session, stdout, stderr, cluster, dashboard);
        }
        finally
        {
            dashboard?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static int TrainAndReport(TrainingSession session, TextWriter stdout, TextWriter stderr, ClusterSeed? cluster, Reports.Dashboard? dashboard)
    {
        var (cfg, run) = (session.Config, session.Folder);
        TrainResult result;
        try
        {
            result = RunWithProgress(session, stdout, stderr, cluster, dashboard);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"metarl train: cannot write the run folder '{run.Path}': {e.Message}");
            dashboard?.End("the run failed: its folder could not be written");
            return Program.RunFailed;
        }
        dashboard?.End(result.Failure is { } failed ? $"the run failed after {result.Updates} updates: {failed}" : $"stopped: {result.StopReason}");
        if (result.Failure is { } failure)
        {
            stderr.WriteLine($"metarl train: the run failed after {result.Updates} of {cfg.Updates} updates: {failure}; " +
                $"it can resume from its last checkpoint (metarl train --resume {run.Name}); log {run.LogFile}");
            return Program.RunFailed;
        }
        if (result.SaveError is { } saveError)
        {
            stderr.WriteLine($"metarl train: the run could not be saved: {saveError}");
            return Program.RunFailed;
        }
        stdout.WriteLine($"stopped: {result.StopReason}; {result.Updates} updates" +
            (session.Resuming ? $" ({result.StartUpdate} before this resume)" : "") + $" in {result.Elapsed.TotalMinutes:0.0} min" +
            (result.SkippedUpdates > 0 ? $", {result.SkippedUpdates} skipped (see the skipped column of metrics.csv)" : "") +
            $"; model {run.ModelFile}; metrics {run.MetricsFile}");
        if (!result.Complete && UnfinishedSchedule(cfg, result.Updates) is { } schedule) stdout.WriteLine(schedule);
        stdout.WriteLine(result.Complete ? $"next: metarl eval {run.Path}" : $"next: metarl train --resume {run.Name} (or metarl eval {run.Path} as it is)");
        return result.SignalExitCode ?? 0;
    }

    /// <summary>
    /// PPO's schedules run over <c>updates</c>, not over the wall-clock budget, so that a seed gives the same run on
    /// every machine. A run the budget (or a signal) stopped early has its learning rate still high and its bonus not
    /// yet lowered: its policy is not the one the config describes, and the user should hear it. Null when nothing
    /// was scheduled.
    /// </summary>
    internal static string? UnfinishedSchedule(TrainConfig cfg, long updates)
    {
        if (cfg.Algorithm != Policies.Maml.MetaAlgorithm.Ppo) return null;
        var scheduled = new List<string>();
        if (cfg.Ppo.LearningRateSchedule != Policies.Algorithms.LearningRateSchedule.Constant)
            scheduled.Add($"the learning rate's {cfg.Ppo.LearningRateSchedule.ToString().ToLowerInvariant()} decay");
        if (cfg.Ppo.EntropyCoefEnd is { } end && end != cfg.Ppo.EntropyCoef)
            scheduled.Add($"the entropy bonus's move to {end.ToString(CultureInfo.InvariantCulture)}");
        if (scheduled.Count == 0) return null;
        double done = Math.Clamp((double)updates / cfg.Updates, 0, 1);
        return $"note: {string.Join(" and ", scheduled)} {(scheduled.Count > 1 ? "are" : "is")} planned over all {cfg.Updates} updates " +
            $"and stopped {(done * 100).ToString("0", CultureInfo.InvariantCulture)} % of the way: resuming finishes {(scheduled.Count > 1 ? "them" : "it")}; " +
            "where the budget stops runs early, set fewer updates for this machine";
    }

    private static TrainResult RunWithProgress(TrainingSession session, TextWriter stdout, TextWriter stderr, ClusterSeed? cluster, IMetricsSink? sink)
    {
        var cfg = session.Config;
        var milestones = cluster is null ? session.Milestones : null;
        bool terminal = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
        HeldOutScore? heldOut = null;
        string Line(PopulationProgress p)
        {
            heldOut = p.Update.Eval ?? heldOut;
            return ProgressLine(p, cfg.Updates) + (heldOut is { } e
                ? string.Create(CultureInfo.InvariantCulture, $"  held-out {e.Mean:0.00}{(milestones is null ? "" : " (" + milestones.Share(e.Mean) + ")")}")
                : "");
        }
        if (!terminal)
        {
            var lastLine = DateTime.MinValue;
            return session.Run(new ProgressPrinter(stdout.WriteLine, p =>
            {
                string line = Line(p);
                if (p.Update.Version < cfg.Updates && p.Update.Eval is null && DateTime.UtcNow - lastLine < TimeSpan.FromSeconds(5)) return;
                lastLine = DateTime.UtcNow;
                stderr.WriteLine(line);
            }, (_, line) => stderr.WriteLine(line)), CancellationToken.None, cluster, sink, stderr);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        TrainResult? result = null;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("updates", maxValue: cfg.Updates);
                // Milestones go above the live bar, through the console that draws it (a line written past it would be drawn over).
                result = session.Run(new ProgressPrinter(line => console.WriteLine(line), p =>
                {
                    task.Value = p.Update.Version;
                    task.Description = Markup.Escape(Line(p));
                }, (version, line) =>
                {
                    task.Value = version;
                    task.Description = Markup.Escape(line);
                }), CancellationToken.None, cluster, sink, stderr);
            });
        return result!;
    }

    /// <summary>The command line's observer: milestones as lines, updates to the progress display (a MAML run's as lines of their own).</summary>
    private sealed class ProgressPrinter(Action<string> milestone, Action<PopulationProgress> update, Action<long, string> meta) : ITrainingObserver
    {
        private DateTime _lastMeta = DateTime.MinValue;

        public void OnUpdate(PopulationProgress progress) => update(progress);
        public void OnMilestone(string message) => milestone(message);

        public void OnMetaUpdate(MetaGradientProgress p)
        {
            if (p.Update < p.Updates && DateTime.UtcNow - _lastMeta < TimeSpan.FromSeconds(5)) return;
            _lastMeta = DateTime.UtcNow;
            meta(p.Update, string.Create(CultureInfo.InvariantCulture,
                $"update {p.Update}/{p.Updates}  return before adapting {p.PreUpdateReturn:0.00}  after {p.PostUpdateReturn:0.00}  ({p.Seconds:0} s)"));
        }
    }

    /// <summary>One line of progress: update, score, throughput, losses, lag and faults.</summary>
    public static string ProgressLine(PopulationProgress p, int updates)
    {
        var u = p.Update;
        double sps = p.EnvSteps / Math.Max(p.Elapsed.TotalSeconds, 1e-9);
        return string.Create(CultureInfo.InvariantCulture,
            $"update {u.Version}/{updates}  score {u.MeanScore:0.00}  {sps:0} steps/s  pg {u.PolicyLoss:0.000}  vf {u.ValueLoss:0.000}  " +
            $"ent {u.Entropy:0.000}  lag {u.MeanPolicyLag:0.0}  faults {p.Faults}{(u.Cluster is { } c ? "  nodes " + c.Nodes : "")}" +
            $"{(u.Skipped ? "  SKIPPED: " + u.SkipReason : "")}");
    }
}
