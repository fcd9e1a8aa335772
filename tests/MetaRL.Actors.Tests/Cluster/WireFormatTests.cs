using Akka.Actor;
using Akka.Serialization;
using MetaRL.Actors.Cluster;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Persistence;
using MetaRL.Actors.Population;
using MetaRL.Policies;
using MetaRL.Policies.Algorithms;
using Xunit.Abstractions;

namespace MetaRL.Actors.Tests.Cluster;

/// <summary>What crosses nodes: every wire message has a binary format of ours, and comes back equal.</summary>
public sealed class WireFormatTests(ITestOutputHelper output) : ActorsTestKit(output)
{
    private object RoundTrip(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.True(serializer is ClusterSerializer or LearnerSerializer, $"{message.GetType().Name} would be written by {serializer.GetType().Name}");
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest);
    }

    [Fact]
    public void Every_wire_message_type_has_a_format_of_ours()
    {
        var wire = typeof(IWireMessage).Assembly.GetTypes()
            .Where(t => typeof(IWireMessage).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false }).ToArray();
        Assert.True(wire.Length >= 20, $"only {wire.Length} wire message types found");
        var missing = wire.Where(t => t != typeof(UpdateCompleted) && !ClusterSerializer.Types.Contains(t)).Select(t => t.Name).ToArray();
        Assert.True(missing.Length == 0, $"no wire format for {string.Join(", ", missing)}");
        // And nothing per-step is on the wire: those lend buffers and never leave their node.
        Assert.DoesNotContain(ClusterSerializer.Types, t => typeof(INodeLocalMessage).IsAssignableFrom(t));
    }

    [Fact]
    public void Parameters_gradients_and_shards_come_back_equal_and_their_floats_travel_as_bytes()
    {
        var parameters = Enumerable.Range(0, 1000).Select(i => MathF.Sin(i) * 1e-3f).Append(float.NaN).Append(float.NegativeInfinity).ToArray();
        var published = (ParametersPublished)RoundTrip(new ParametersPublished(42, parameters, 7));
        Assert.Equal(42, published.Version);
        Assert.Equal(7, published.FirstTrial);
        Assert.True(parameters.AsSpan().SequenceEqual(published.Parameters)); // bit for bit, NaN included

        var serializer = Sys.Serialization.FindSerializerFor(published);
        long counted = WireTraffic.BytesWritten;
        int bytes = serializer.ToBinary(published).Length;
        Assert.True(WireTraffic.BytesWritten - counted >= bytes, "the bytes written are not counted"); // other tests may add theirs
        Assert.InRange(bytes, parameters.Length * 4, parameters.Length * 4 + 32); // 4 bytes a float, a few for the rest

        var gradient = new GradientComputed(3, 1, 5, new ShardGradient(parameters, 0.5, 0.25, 1.5, 0.01), 0.02);
        var back = (GradientComputed)RoundTrip(gradient);
        Assert.Equal(gradient with { Gradient = back.Gradient }, back);
        Assert.True(parameters.AsSpan().SequenceEqual(back.Gradient.Gradient));
        Assert.Equal(gradient.Gradient with { Gradient = back.Gradient.Gradient }, back.Gradient);

        var ask = new ComputeGradient(3, 2, parameters, new MinibatchNorm(120, 0.1, 0.9), 0.05);
        var askBack = (ComputeGradient)RoundTrip(ask);
        Assert.Equal(ask with { Parameters = askBack.Parameters }, askBack);

        var shard = new ShardReady(3, 1, 40, 2, 5, 200.5, 40, [1.5, 2.5], [10, 30], [new AdvantageSums(10, 1, 2), new AdvantageSums(0, 0, 0)]);
        var shardBack = (ShardReady)RoundTrip(shard);
        Assert.Equal(shard.Sums, shardBack.Sums);
        Assert.Equal(shard.GroupScoreSums, shardBack.GroupScoreSums);
        Assert.Equal(shard.GroupTrials, shardBack.GroupTrials);
        Assert.Equal(shard with { GroupScoreSums = shardBack.GroupScoreSums, GroupTrials = shardBack.GroupTrials, Sums = shardBack.Sums }, shardBack);
    }

    [Fact]
    public void Trials_reports_and_admission_come_back_equal_with_their_actor_refs()
    {
        var probe = CreateTestProbe();
        var trial = new Trajectory(3, 9, 2, 2, [1, 2, 3, 4], [0, 1], [-0.5f, -0.7f], [0.1f, 0.2f], [1, 0], [false, true], 4, 5, [0.5f, 0.25f]);
        var trialBack = ((TrialCompleted)RoundTrip(new TrialCompleted(trial))).Trajectory;
        Assert.Equal(trial.Inputs, trialBack.Inputs);
        Assert.Equal(trial.EpisodeEnds, trialBack.EpisodeEnds);
        Assert.Equal(trial.MeanRewards, trialBack.MeanRewards);
        Assert.Equal((trial.AgentIndex, trial.TrialIndex, trial.Steps, trial.OldestPolicyVersion, trial.NewestPolicyVersion),
            (trialBack.AgentIndex, trialBack.TrialIndex, trialBack.Steps, trialBack.OldestPolicyVersion, trialBack.NewestPolicyVersion));

        var report = new NodeReport("akka.tcp://metarl@127.0.0.1:4053", probe.Ref, TestActor, 40, 45, 1000, 100, 1, 30, 900, 123_456);
        Assert.Equal(report, RoundTrip(report));
        Assert.Equal(new TrialsReady(probe.Ref, 12, 1, 3), RoundTrip(new TrialsReady(probe.Ref, 12, 1, 3)));
        Assert.Equal(new BeginShard(8, 2, 99, 64), RoundTrip(new BeginShard(8, 2, 99, 64)));
        var admitted = new JoinAdmitted("run-1", "{\"name\":\"x\"}", "/tmp/run.db", probe.Ref);
        Assert.Equal(admitted, RoundTrip(admitted));
        var challenge = (JoinChallenge)RoundTrip(new JoinChallenge([1, 2, 3], "run-1"));
        Assert.Equal([1, 2, 3], challenge.Nonce);
        var done = (CheckpointDone)RoundTrip(new CheckpointDone(4, [1f, 2f], "no"));
        Assert.Equal((4L, "no"), (done.Version, done.Error));
        Assert.Equal([1f, 2f], done.Parameters);
        Assert.Same(FlushCheckpoint.Instance, RoundTrip(FlushCheckpoint.Instance));
        Assert.Equal(new PopulationSnapshot(1, 2, 3, 4.5, TimeSpan.FromSeconds(6)), RoundTrip(new PopulationSnapshot(1, 2, 3, 4.5, TimeSpan.FromSeconds(6))));
    }

    [Fact]
    public void An_update_reported_across_nodes_keeps_its_parameters_and_cluster_shape_and_a_journaled_one_neither_parameters()
    {
        var perNode = new NodeShape[] { new("akka.tcp://metarl@127.0.0.1:1", 40, 39.5), new("akka.tcp://metarl@127.0.0.1:2", 46, 12.25) };
        var shape = new ClusterShape(3, 40, 46, 5, 0.07, 0.16, 1 << 20) { PerNode = perNode };
        var update = new UpdateCompleted(9, 128, 2, 7, 5.5, -0.1, 0.2, 1.3, 0.01, false, null, 1, 0.3, [1f, 2f, 3f])
        {
            Counters = new RunCounters(100, 10, 1, 30, 2.5),
            GroupScores = [5.0, 6.0],
            Cluster = shape,
        };
        var back = (UpdateCompleted)RoundTrip(update);
        Assert.Equal([1f, 2f, 3f], back.Parameters);
        Assert.Equal(shape, back.Cluster! with { PerNode = perNode }); // records compare lists by reference
        Assert.Equal(perNode, back.Cluster!.PerNode);
        Assert.Equal([5.0, 6.0], back.GroupScores);
        Assert.Equal(update.Counters, back.Counters);

        var journaled = (UpdateCompleted)RoundTrip(update with { Parameters = [], GroupScores = Array.Empty<double>() });
        Assert.Empty(journaled.Parameters);
        Assert.Equal(perNode, journaled.Cluster!.PerNode);
        var withoutNodes = (UpdateCompleted)RoundTrip(update with { Cluster = shape with { PerNode = [] } });
        Assert.Equal(shape with { PerNode = [] }, withoutNodes.Cluster);
        Assert.Empty(journaled.GroupScores);
    }

    [Fact]
    public void A_truncated_or_unknown_message_is_refused_with_a_reason()
    {
        var serializer = (ClusterSerializer)Sys.Serialization.FindSerializerFor(new BeginShard(1, 0, 0, 1));
        var bytes = serializer.ToBinary(new ParametersPublished(1, new float[100], 0));
        var e = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary(bytes[..50], "params"));
        Assert.Contains("truncated", e.Message);
        // A length that claims more than the frame holds is refused before anything that size is allocated.
        var forged = (byte[])bytes.Clone();
        BitConverter.GetBytes(int.MaxValue).CopyTo(forged, 1 + sizeof(long));
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary(forged, "params"));
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary(bytes, "no-such-manifest"));
    }

    [Fact]
    public void An_update_s_trials_are_shared_out_in_proportion_to_what_each_node_holds()
    {
        Assert.Equal([10, 20, 30], ClusterLearner.Quotas([10, 20, 30], 128)); // fewer than the quota: all of them
        var q = ClusterLearner.Quotas([100, 300, 0, 100], 128);
        Assert.Equal(128, q.Sum());
        Assert.Equal([26, 77, 0, 25], q); // 25.6, 76.8, 0, 25.6: the largest remainders get the rest, ties to the lower rank
        Assert.Equal([1, 63], ClusterLearner.Quotas([5, 500], 64)); // 0.63 and 63.4: the small node's remainder is larger
    }
}
