using Akka.Actor;
using Akka.TestKit.Xunit2;
using MetaRL.Actors.Cluster;
using MetaRL.Actors.Hosting;
using Xunit.Abstractions;

namespace MetaRL.Actors.Tests.Cluster;

/// <summary>The seed's door: a node proves the run's secret over a fresh challenge, or it is refused with a line that says why.</summary>
public sealed class GatekeeperTests(ITestOutputHelper output)
    : TestKit(MetaRlCluster.Config(new ClusterOptions(Port: 0)).WithFallback(MetaRlAkka.Config), "metarl", output)
{
    private const string Node = "akka.tcp://metarl@127.0.0.1:45001";
    private readonly List<string> _printed = [];

    private IActorRef Gate(string? secret, out JoinAdmitted admission)
    {
        admission = new JoinAdmitted("run-7", "{}", "/tmp/run.db", TestActor);
        var a = admission;
        return Sys.ActorOf(FactoryProps.Create(() => new Gatekeeper(a, secret, line => { lock (_printed) _printed.Add(line); })));
    }

    [Fact]
    public void A_node_that_proves_the_secret_is_admitted_and_gets_the_run()
    {
        var gate = Gate("s3cret", out var admission);
        gate.Tell(new JoinRequest(Node, null));
        var challenge = ExpectMsg<JoinChallenge>();
        Assert.Equal("run-7", challenge.RunId);
        Assert.Equal(32, challenge.Nonce.Length);
        gate.Tell(new JoinProof(challenge.Nonce, JoinSecret.Mac("s3cret", challenge.Nonce, "run-7")));
        Assert.Equal(admission, ExpectMsg<JoinAdmitted>());
        Assert.Empty(_printed);
    }

    [Fact]
    public void A_wrong_secret_a_replayed_proof_and_another_run_are_refused_each_with_a_line()
    {
        var gate = Gate("s3cret", out _);
        gate.Tell(new JoinRequest(Node, null));
        var challenge = ExpectMsg<JoinChallenge>();
        var wrong = JoinSecret.Mac("guess", challenge.Nonce, "run-7");
        gate.Tell(new JoinProof(challenge.Nonce, wrong));
        Assert.Contains("secret does not match", ExpectMsg<JoinRefused>().Reason);

        // The challenge is spent: even the right proof for it is refused now, and a fresh challenge has another nonce.
        gate.Tell(new JoinProof(challenge.Nonce, JoinSecret.Mac("s3cret", challenge.Nonce, "run-7")));
        Assert.Contains("not given", ExpectMsg<JoinRefused>().Reason);
        gate.Tell(new JoinRequest(Node, null));
        Assert.NotEqual(challenge.Nonce, ExpectMsg<JoinChallenge>().Nonce);

        gate.Tell(new JoinRequest(Node, "run-8"));
        Assert.Contains("expects run 'run-8'", ExpectMsg<JoinRefused>().Reason);
        lock (_printed)
        {
            Assert.Equal(3, _printed.Count);
            Assert.All(_printed, line => Assert.StartsWith("refused node", line));
            Assert.Contains(Node, _printed[0]);
        }
    }

    [Fact]
    public void Without_a_secret_any_node_that_reaches_the_seed_is_admitted_but_a_node_with_one_is_not_let_in_by_a_seed_without()
    {
        var gate = Gate(null, out var admission);
        gate.Tell(new JoinRequest(Node, "run-7"));
        var challenge = ExpectMsg<JoinChallenge>();
        gate.Tell(new JoinProof(challenge.Nonce, JoinSecret.Mac(null, challenge.Nonce, "run-7")));
        Assert.Equal(admission, ExpectMsg<JoinAdmitted>());
        // A node that holds a secret the seed does not have is told so rather than joining a run it did not mean to.
        gate.Tell(new JoinRequest(Node, null));
        challenge = ExpectMsg<JoinChallenge>();
        gate.Tell(new JoinProof(challenge.Nonce, JoinSecret.Mac("mine", challenge.Nonce, "run-7")));
        ExpectMsg<JoinRefused>();
    }
}
