using Akka.Actor;
using Akka.Cluster;

namespace MetaRL.Actors.Cluster;

/// <summary>
/// Prints who joined and who left the cluster (one line each, for the user at the terminal) and tells how many
/// members are up after every change, so the seed can wait for <c>--min-nodes</c>.
/// </summary>
public sealed class MembershipPrinter : ReceiveActor
{
    private readonly HashSet<Address> _up = [];

    /// <param name="print">Where a line goes.</param>
    /// <param name="upCount">Called with the number of members up after every change.</param>
    public MembershipPrinter(Action<string> print, Action<int> upCount)
    {
        Receive<ClusterEvent.CurrentClusterState>(s =>
        {
            foreach (var m in s.Members)
                if (m.Status == MemberStatus.Up) _up.Add(m.Address);
            upCount(_up.Count);
        });
        Receive<ClusterEvent.MemberUp>(m =>
        {
            if (!_up.Add(m.Member.Address)) return;
            print($"node {m.Member.Address} joined ({_up.Count} up)");
            upCount(_up.Count);
        });
        Receive<ClusterEvent.UnreachableMember>(m => print($"node {m.Member.Address} is unreachable"));
        Receive<ClusterEvent.ReachableMember>(m => print($"node {m.Member.Address} is reachable again"));
        Receive<ClusterEvent.MemberRemoved>(m =>
        {
            if (!_up.Remove(m.Member.Address)) return;
            string how = m.PreviousStatus == MemberStatus.Down ? "was downed" : "left";
            print($"node {m.Member.Address} {how} ({_up.Count} up)");
            upCount(_up.Count);
        });
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
}
