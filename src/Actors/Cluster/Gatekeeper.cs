using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace MetaRL.Actors.Cluster;

/// <summary>The shared secret of a cluster (<c>cluster.secret</c> or <c>METARL_CLUSTER_SECRET</c>) and the proof a joining node gives of it.</summary>
public static class JoinSecret
{
    /// <summary>The environment variable a node reads its secret from (a node has no config of its own).</summary>
    public const string EnvironmentVariable = "METARL_CLUSTER_SECRET";

    /// <summary>HMAC-SHA256 of the nonce and the run id under the secret (an empty secret when none is set).</summary>
    public static byte[] Mac(string? secret, byte[] nonce, string runId) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret ?? ""), nonce.Concat(Encoding.UTF8.GetBytes(runId)).ToArray());

    public static bool Verify(string? secret, byte[] nonce, string runId, byte[] mac) =>
        CryptographicOperations.FixedTimeEquals(Mac(secret, nonce, runId), mac);
}

/// <summary>
/// The seed's door (docs/architecture.md §5): a node asks to join (<see cref="JoinRequest"/>) from a bootstrap actor
/// system before it joins the cluster; it is refused if it expects another run, or if it cannot prove it holds the
/// run's secret (a challenge with a fresh nonce, answered with <see cref="JoinSecret.Mac"/>). An admitted node gets
/// the run's config and joins from the address it named. A member that joins without having been admitted (another
/// program speaking Akka's protocol) is downed at once. Each refusal is one warning line in the seed's log.
/// </summary>
public sealed class Gatekeeper : ReceiveActor
{
    private readonly string _runId;
    private readonly string? _secret;
    private readonly JoinAdmitted _admission;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    /// <summary>Challenges not yet answered, by nonce (a node's two asks come from two temporary actors).</summary>
    private readonly Dictionary<string, string> _challenged = [];
    private readonly HashSet<Address> _admitted = [];
    private readonly Action<string> _print;

    /// <param name="admission">What an admitted node receives.</param>
    /// <param name="secret">The shared secret (null or empty: none; any node that can reach the seed may join).</param>
    /// <param name="print">Where refusals are printed for the user (besides the log).</param>
    public Gatekeeper(JoinAdmitted admission, string? secret, Action<string> print)
    {
        _runId = admission.RunId;
        _secret = string.IsNullOrEmpty(secret) ? null : secret;
        _admission = admission;
        _print = print;
        Receive<JoinRequest>(OnRequest);
        Receive<JoinProof>(OnProof);
        Receive<ClusterEvent.MemberJoined>(m => Check(m.Member));
        Receive<ClusterEvent.MemberUp>(m => Check(m.Member));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.CurrentClusterState>(s =>
        {
            foreach (var m in s.Members) Check(m);
        });
    }

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void OnRequest(JoinRequest request)
    {
        if (request.RunId is { } expected && expected != _runId)
        {
            Refuse(Sender, request.Address, $"it expects run '{expected}', but this cluster runs '{_runId}'");
            return;
        }
        if (!Akka.Actor.Address.TryParse(request.Address, out _))
        {
            Refuse(Sender, request.Address, "its address cannot be read");
            return;
        }
        var nonce = RandomNumberGenerator.GetBytes(32);
        _challenged[Convert.ToHexString(nonce)] = request.Address;
        Sender.Tell(new JoinChallenge(nonce, _runId));
    }

    private void OnProof(JoinProof proof)
    {
        if (!_challenged.Remove(Convert.ToHexString(proof.Nonce), out var address))
        {
            Refuse(Sender, "(unknown)", "it answered a challenge it was not given");
            return;
        }
        if (!JoinSecret.Verify(_secret, proof.Nonce, _runId, proof.Mac))
        {
            Refuse(Sender, address, $"its cluster secret does not match (set {JoinSecret.EnvironmentVariable} on the node to the run's cluster.secret)");
            return;
        }
        _admitted.Add(Akka.Actor.Address.Parse(address));
        _log.Info("admitted {0} to run {1}", address, _runId);
        Sender.Tell(_admission);
    }

    private void Refuse(IActorRef node, string address, string reason)
    {
        string line = $"refused node {address}: {reason}";
        _log.Warning(line);
        _print(line);
        node.Tell(new JoinRefused(reason));
    }

    /// <summary>A member that skipped the door is downed before it can hold shards or the learner.</summary>
    private void Check(Member member)
    {
        var self = Akka.Cluster.Cluster.Get(Context.System).SelfAddress;
        if (member.Address.Equals(self) || _admitted.Contains(member.Address)) return;
        string line = $"refused node {member.Address}: it joined the cluster without being admitted; downed";
        _log.Warning(line);
        _print(line);
        Akka.Cluster.Cluster.Get(Context.System).Down(member.Address);
    }
}
