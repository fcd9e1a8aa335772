using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using MetaRL.Actors;
using MetaRL.Actors.Cluster;
using MetaRL.Actors.Hosting;
using MetaRL.Training.Logging;
using MetaRL.Host.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MetaRL.Policies;

namespace MetaRL.Host.Cluster;

/// <summary>
/// <c>metarl node --seed HOST:PORT</c>: joins a clustered run as a node that hosts agents (docs/architecture.md §5).
/// It needs no config: it asks the seed to admit it (proving the cluster secret from <c>METARL_CLUSTER_SECRET</c>),
/// receives the run's config, joins the cluster, serves the agents whose shards it is given and takes its part in
/// every update, and exits 0 when the run ends (1 if the seed is lost first; 2 if it is refused or cannot reach the seed).
/// </summary>
internal static class NodeCommand
{
    /// <summary>How long the seed may take to answer each step of admission.</summary>
    private static readonly TimeSpan AdmissionTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long joining may take once admitted.</summary>
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(30);

    public static Command Create()
    {
        var seed = new Option<string>("--seed") { Description = "The seed node, as printed by `metarl train --cluster-port`: HOST:PORT.", HelpName = "host:port", Required = true };
        var port = new Option<int>("--port") { Description = "The port this node listens on (0: any free one).", DefaultValueFactory = _ => 0, HelpName = "port" };
        var host = new Option<string>("--host") { Description = "The address this node binds and the others reach it at.", DefaultValueFactory = _ => "127.0.0.1", HelpName = "host" };
        var run = new Option<string?>("--run") { Description = "Join only if the seed runs this run (its id, from run.json).", HelpName = "id" };
        var wait = new Option<int>("--wait") { Description = "Seconds to keep asking a seed that does not answer yet.", DefaultValueFactory = _ => 60, HelpName = "seconds" };
        var tlsCert = ClusterCli.TlsCertificate();
        var command = new Command("node", "Join a clustered training run as a node that hosts agents (no config needed: the seed sends it).");
        foreach (var o in new Option[] { seed, port, host, run, wait, tlsCert }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            ClusterOptions network;
            Address seedAddress;
            int patience = parse.GetValue(wait);
            try
            {
                if (patience < 1 || patience > 3600) throw new ArgumentException($"--wait {patience}: expected seconds from 1 to 3600");
                string bind = parse.GetValue(host)!;
                if (bind.Length == 0) throw new ArgumentException("--host: expected a host name or an address");
                int p = ClusterCli.Port("--port", parse.GetValue(port), allowAny: true);
                if (p != 0) ClusterCli.EnsureCanListen("--port", bind, p);
                network = new ClusterOptions(bind, p == 0 ? FreePort(bind) : p, ClusterCli.Tls(parse.GetValue(tlsCert)));
                seedAddress = SeedAddress(parse.GetValue(seed)!, MetaRlCluster.Protocol(network));
            }
            catch (Exception e) when (e is ArgumentException or SocketException)
            {
                stderr.WriteLine($"metarl node: {e.Message}");
                return Program.UsageError;
            }
            return Run(network, seedAddress, parse.GetValue(run), TimeSpan.FromSeconds(patience), stdout, stderr);
        });
        return command;
    }

    private static Address SeedAddress(string text, string protocol)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out int port))
            throw new ArgumentException($"--seed '{text}': expected HOST:PORT, e.g. 127.0.0.1:4053");
        return new Address(protocol, MetaRlCluster.SystemName, text[..colon], ClusterCli.Port("--seed", port, allowAny: false));
    }

    /// <summary>A port free now on <paramref name="host"/> (the node's address must be known before it asks to join).</summary>
    private static int FreePort(string host)
    {
        var address = IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host).First();
        var listener = new TcpListener(address, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static int Run(ClusterOptions network, Address seed, string? runId, TimeSpan patience, TextWriter stdout, TextWriter stderr)
    {
        var self = new Address(MetaRlCluster.Protocol(network), MetaRlCluster.SystemName, network.Host, network.Port);
        JoinAdmitted admitted;
        try
        {
            admitted = Admission.Ask(network, seed, self, runId, patience, line => stdout.WriteLine(line));
        }
        catch (AdmissionException e)
        {
            stderr.WriteLine($"metarl node: {e.Message}");
            return Program.UsageError;
        }
        TrainConfig config;
        try
        {
            config = TrainConfigLoader.FromJson(admitted.Config, $"the seed at {seed}");
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"metarl node: {e.Message}");
            return Program.UsageError;
        }
        var setup = TrainingSetup.From(config);
        TrainingSetup.ConfigureTorch(config);
        float[] initial;
        ModelSlots slots;
        using (var template = setup.NewModel())
        {
            initial = ParameterVector.Get(template);
            slots = ModelSlots.Of(template);
        }
        var persistence = config.Persistence.Provider == PersistenceConfig.PostgreSql
            ? MetaRlPersistence.PostgreSql(RunPersistence.ConnectionString(config.Persistence))
            : MetaRlPersistence.Sqlite(admitted.SqliteFile);
        var akka = ConfigurationFactory.ParseString(MetaRlCluster.Roles(hostsLearner: true) + """

            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            """).WithFallback(MetaRlCluster.Config(network)).WithFallback(persistence).WithFallback(MetaRlAkka.Config);
        var (host, system) = StartActorSystem(akka, stderr);
        using var _ = host;
        var ended = new TaskCompletionSource<(string Reason, bool Ok)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Print(string line)
        {
            lock (stdout) stdout.WriteLine(line);
        }
        var cluster = Akka.Cluster.Cluster.Get(system);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        system.ActorOf(FactoryProps.Create(() => new MembershipPrinter(Print, _ => { })), "members");
        cluster.Join(seed);
        if (!up.Task.Wait(JoinTimeout))
        {
            stderr.WriteLine($"metarl node: admitted, but joining the cluster at {seed} took over {JoinTimeout.TotalSeconds:0} s");
            Leave(system);
            return Program.RunFailed;
        }
        var parts = ClusterParts.From(config, setup, admitted.RunId, initial, slots);
        // The owner's ref came through the admission system, now gone: the same actor, resolved by this one.
        var owner = ((ExtendedActorSystem)system).Provider.ResolveActorRef(admitted.Owner.Path.ToString());
        ClusterNode.Start(system, parts.Node, parts.Trainer, parts.Learner, owner, new Observer(Print, ended));
        Print($"node {self} serves run {admitted.RunId} ({config.Name}: {config.Env.Name}, {config.Population.Agents} agents in the cluster)");

        int code = AwaitEnd(ended.Task, stdout, stderr);
        Leave(system);
        return code;
    }

    /// <summary>The node's actor system through Akka.Hosting: Akka's warnings and errors go to stderr as the seed's do (connection chatter left out: the membership lines say it).</summary>
    private static (IHost Host, ActorSystem System) StartActorSystem(Config akka, TextWriter stderr)
    {
        ActorSystem system = null!;
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IHostLifetime, SignalsOwnedByRunLifetime>();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning)
            .AddProvider(new LineLoggerProvider(stderr, LogLevel.Warning, skip: LineLoggerProvider.IsConnectionChatter));
        builder.Services.AddAkka(MetaRlCluster.SystemName, a => a
            .AddHocon(akka, HoconAddMode.Prepend)
            .ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = Akka.Event.LogLevel.WarningLevel;
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            })
            .WithActors((s, _) => system = s));
        var host = builder.Build();
        host.Start();
        return (host, system);
    }

    /// <summary>Waits for the run's end, the seed's loss or a signal (which leaves the cluster as gracefully); the exit code.</summary>
    private static int AwaitEnd(Task<(string Reason, bool Ok)> ended, TextWriter stdout, TextWriter stderr)
    {
        var signalled = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; signalled.TrySetResult(130); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; signalled.TrySetResult(143); });
        if (Task.WhenAny(ended, signalled.Task).GetAwaiter().GetResult() != ended)
        {
            stdout.WriteLine("leaving the cluster (signal); this node's agents start again on the other nodes");
            return signalled.Task.Result;
        }
        var (reason, ok) = ended.Result;
        if (ok) stdout.WriteLine($"the run ended ({reason}); leaving the cluster");
        else stderr.WriteLine($"metarl node: {reason}; leaving the cluster");
        return ok ? 0 : Program.RunFailed;
    }

    private sealed class Observer(Action<string> print, TaskCompletionSource<(string Reason, bool Ok)> ended) : INodeObserver
    {
        public void OnFirstParameters(long version) => print($"acting with the learner's update {version}");

        public void OnEnded(string reason, bool ok) => ended.TrySetResult((reason, ok));
    }

    /// <summary>Leaves the cluster gracefully (its shards hand over) and stops the actor system.</summary>
    private static void Leave(ActorSystem system) =>
        CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).Wait(TimeSpan.FromSeconds(20));
}
