using Akka.Actor;
using Akka.Configuration;
using MetaRL.Actors.Cluster;
using MetaRL.Actors.Hosting;

namespace MetaRL.Training.Cluster;

/// <summary>Why a node was not admitted: refused by the seed, or no answer from it.</summary>
internal sealed class AdmissionException(string message) : Exception(message);

/// <summary>
/// A node's side of the seed's door (<see cref="Gatekeeper"/>): from a short-lived actor system (remoting only, any
/// port) it asks to join from <c>self</c>, answers the challenge with the secret of <c>METARL_CLUSTER_SECRET</c>,
/// and returns what the seed sends an admitted node. The node then starts its real actor system (the run's
/// persistence settings are known only now) and joins.
/// </summary>
internal static class Admission
{
    /// <summary>How long one ask may wait for the seed's answer.</summary>
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    /// <param name="patience">How long to keep asking a seed that does not answer (it may still be starting).</param>
    /// <param name="waiting">Told once, if the seed does not answer the first ask.</param>
    public static JoinAdmitted Ask(ClusterOptions network, Address seed, Address self, string? runId, TimeSpan patience, Action<string> waiting)
    {
        var config = ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.loglevel = ERROR
            akka.stdout-loglevel = ERROR
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            """)
            .WithFallback(ConfigurationFactory.ParseString(MetaRlCluster.Hocon(network with { Port = 0 })))
            .WithFallback(MetaRlAkka.Config);
        using var system = ActorSystem.Create(MetaRlCluster.SystemName + "-admission", config);
        try
        {
            var gate = system.ActorSelection(new RootActorPath(seed) / "user" / "gate");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            JoinChallenge? challenge = null;
            while (challenge is null)
            {
                try
                {
                    challenge = Reply(gate.Ask<object>(new JoinRequest(self.ToString(), runId), AskTimeout), seed) as JoinChallenge
                        ?? throw new AdmissionException($"the seed at {seed} answered the request to join with something else");
                }
                catch (AskTimeoutException) when (clock.Elapsed + AskTimeout < patience)
                {
                    if (clock.Elapsed < AskTimeout * 2) waiting($"waiting for the seed at {seed.Host}:{seed.Port} to answer…");
                }
                catch (AskTimeoutException)
                {
                    throw new AdmissionException($"no answer from the seed at {seed.Host}:{seed.Port} within {clock.Elapsed.TotalSeconds:0} s " +
                        $"(is `metarl train --cluster-port {seed.Port}` running there, reachable, and with the same TLS setting?)");
                }
            }
            var secret = Environment.GetEnvironmentVariable(JoinSecret.EnvironmentVariable);
            var proof = new JoinProof(challenge.Nonce, JoinSecret.Mac(string.IsNullOrEmpty(secret) ? null : secret, challenge.Nonce, challenge.RunId));
            try
            {
                return Reply(gate.Ask<object>(proof, AskTimeout), seed) as JoinAdmitted
                    ?? throw new AdmissionException($"the seed at {seed} answered the proof with something else");
            }
            catch (AskTimeoutException)
            {
                throw new AdmissionException($"the seed at {seed.Host}:{seed.Port} stopped answering while admitting this node");
            }
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    private static object Reply(Task<object> ask, Address seed)
    {
        var reply = ask.GetAwaiter().GetResult();
        return reply is JoinRefused refused ? throw new AdmissionException($"the seed at {seed.Host}:{seed.Port} refused this node: {refused.Reason}") : reply;
    }
}
