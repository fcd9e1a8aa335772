using Akka.Actor;
using Akka.Serialization;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Population;
using MetaRL.Policies;
using MetaRL.Policies.Algorithms;

namespace MetaRL.Actors.Cluster;

/// <summary>
/// Akka serialization of every <see cref="IWireMessage"/> (bound to the interface in <see cref="MetaRlCluster.Hocon"/>;
/// <see cref="UpdateCompleted"/> keeps its own <see cref="Persistence.LearnerSerializer"/>). Compact binary with a
/// short manifest per type: no type names are read from the wire and nothing falls back to a reflective serializer,
/// so a message type without an entry here fails loudly the first time it would cross a node.
/// </summary>
public sealed class ClusterSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Akka serializer id (next to the learner's 4141).</summary>
    public const int Id = 4142;

    private delegate void Writer(BinaryWriter w, object message);

    private delegate object Reader(BinaryReader r, ExtendedActorSystem system);

    private static readonly Dictionary<Type, (string Manifest, Writer Write)> Writers = [];
    private static readonly Dictionary<string, Reader> Readers = [];

    private static void Add<T>(string manifest, Action<BinaryWriter, T> write, Func<BinaryReader, ExtendedActorSystem, T> read) where T : notnull
    {
        Writers.Add(typeof(T), (manifest, (w, m) => write(w, (T)m)));
        Readers.Add(manifest, (r, s) => read(r, s));
    }

    static ClusterSerializer()
    {
        Add<NodeReport>("node", (w, m) =>
        {
            w.Write(m.Node);
            w.WriteRef(m.Host);
            w.WriteRef(m.Worker);
            w.Write(m.Agents);
            w.Write(m.AgentStarts);
            w.Write(m.Steps);
            w.Write(m.Trials);
            w.Write(m.Faults);
            w.Write(m.Batches);
            w.Write(m.BatchRows);
            w.Write(m.WireBytes);
        }, (r, s) => new NodeReport(r.ReadString(), r.ReadRef(s), r.ReadRef(s), r.ReadInt32(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(),
            r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64()));
        Add<ParametersPublished>("params", (w, m) =>
        {
            w.Write(m.Version);
            w.WriteFloats(m.Parameters);
            w.Write(m.FirstTrial);
        }, (r, _) => new ParametersPublished(r.ReadInt64(), r.ReadFloats(), r.ReadInt32()));
        Add<ParametersUpdated>("params-b", (w, m) =>
        {
            w.Write(m.Version);
            w.WriteFloats(m.Parameters);
        }, (r, _) => new ParametersUpdated(r.ReadInt64(), r.ReadFloats()));
        Add<TrialsReady>("ready", (w, m) =>
        {
            w.WriteRef(m.Worker);
            w.Write(m.Trials);
            w.Write(m.Abandoned);
            w.Write(m.Shards);
        }, (r, s) => new TrialsReady(r.ReadRef(s), r.ReadInt32(), r.ReadInt32(), r.ReadInt32()));
        Add<BeginShard>("shard", (w, m) =>
        {
            w.Write(m.Version);
            w.Write(m.Rank);
            w.Write(m.Seed);
            w.Write(m.Quota);
        }, (r, _) => new BeginShard(r.ReadInt64(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32()));
        Add<ShardReady>("shard-ok", (w, m) =>
        {
            w.Write(m.Version);
            w.Write(m.Rank);
            w.Write(m.Trials);
            w.Write(m.Abandoned);
            w.Write(m.DroppedStale);
            w.Write(m.ScoreSum);
            w.Write(m.LagSum);
            w.WriteDoubles(m.GroupScoreSums);
            w.WriteInts(m.GroupTrials);
            w.Write(m.Sums.Length);
            foreach (var s in m.Sums)
            {
                w.Write(s.Steps);
                w.Write(s.Sum);
                w.Write(s.SumOfSquares);
            }
        }, (r, _) =>
        {
            var head = (Version: r.ReadInt64(), Rank: r.ReadInt32(), Trials: r.ReadInt32(), Abandoned: r.ReadInt32(), Dropped: r.ReadInt32(),
                Score: r.ReadDouble(), Lag: r.ReadDouble(), Groups: r.ReadDoubles(), GroupTrials: r.ReadInts());
            var sums = new AdvantageSums[r.ReadInt32()];
            for (int i = 0; i < sums.Length; i++) sums[i] = new AdvantageSums(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
            return new ShardReady(head.Version, head.Rank, head.Trials, head.Abandoned, head.Dropped, head.Score, head.Lag, head.Groups, head.GroupTrials, sums);
        });
        Add<ComputeGradient>("grad?", (w, m) =>
        {
            w.Write(m.Version);
            w.Write(m.Step);
            w.WriteFloats(m.Parameters);
            w.Write(m.Norm);
            w.Write(m.EntropyCoef);
        }, (r, _) => new ComputeGradient(r.ReadInt64(), r.ReadInt32(), r.ReadFloats(), r.ReadNorm(), r.ReadDouble()));
        Add<GradientComputed>("grad", (w, m) =>
        {
            w.Write(m.Version);
            w.Write(m.Rank);
            w.Write(m.Step);
            w.WriteFloats(m.Gradient.Gradient);
            w.Write(m.Gradient.PolicyLoss);
            w.Write(m.Gradient.ValueLoss);
            w.Write(m.Gradient.Entropy);
            w.Write(m.Gradient.ApproxKl);
            w.Write(m.Seconds);
        }, (r, _) => new GradientComputed(r.ReadInt64(), r.ReadInt32(), r.ReadInt32(),
            new ShardGradient(r.ReadFloats(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble()), r.ReadDouble()));
        Add<RunEnded>("end", (w, m) => w.Write(m.Reason), (r, _) => new RunEnded(r.ReadString()));
        Add<LearnerFailed>("learner-failed", (w, m) =>
        {
            w.Write(m.ActorPath);
            w.Write(m.Error);
        }, (r, _) => new LearnerFailed(r.ReadString(), r.ReadString()));
        Add<WakeAgent>("wake", (w, m) => w.Write(m.Index), (r, _) => new WakeAgent(r.ReadInt32()));
        Add<TrialCompleted>("trial", (w, m) => WriteTrajectory(w, m.Trajectory), (r, _) => new TrialCompleted(ReadTrajectory(r)));
        Add<TrialAbandoned>("lost", (w, m) =>
        {
            w.Write(m.AgentIndex);
            w.Write(m.TrialIndex);
        }, (r, _) => new TrialAbandoned(r.ReadInt32(), r.ReadInt32()));
        Add<SendParameters>("send-params", (w, m) => w.WriteRef(m.To), (r, s) => new SendParameters(r.ReadRef(s)));
        Add<LearnerStarted>("started", (w, m) =>
        {
            w.Write(m.Version);
            w.Write(m.Counters);
        }, (r, _) => new LearnerStarted(r.ReadInt64(), r.ReadCounters()));
        Add<FlushCheckpoint>("flush", (_, _) => { }, (_, _) => FlushCheckpoint.Instance);
        Add<CheckpointDone>("flushed", (w, m) =>
        {
            w.Write(m.Version);
            w.WriteFloats(m.Parameters);
            w.WriteOptional(m.Error);
        }, (r, _) => new CheckpointDone(r.ReadInt64(), r.ReadFloats(), r.ReadOptionalString()));
        Add<GetPopulationStatistics>("stats?", (_, _) => { }, (_, _) => GetPopulationStatistics.Instance);
        Add<PopulationSnapshot>("stats", (w, m) =>
        {
            w.Write(m.EnvSteps);
            w.Write(m.Trials);
            w.Write(m.Faults);
            w.Write(m.MeanBatch);
            w.Write(m.Elapsed.Ticks);
        }, (r, _) => new PopulationSnapshot(r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadDouble(), TimeSpan.FromTicks(r.ReadInt64())));
        Add<GetBatcherStatus>("batcher?", (_, _) => { }, (_, _) => GetBatcherStatus.Instance);
        Add<BatcherStatus>("batcher", (w, m) =>
        {
            w.Write(m.BatcherIndex);
            w.Write(m.PendingRequests);
            w.Write(m.PolicyVersion);
        }, (r, _) => new BatcherStatus(r.ReadInt32(), r.ReadInt32(), r.ReadInt64()));
        Add<JoinRequest>("join", (w, m) =>
        {
            w.Write(m.Address);
            w.WriteOptional(m.RunId);
        }, (r, _) => new JoinRequest(r.ReadString(), r.ReadOptionalString()));
        Add<JoinChallenge>("join-challenge", (w, m) =>
        {
            w.WriteBytes(m.Nonce);
            w.Write(m.RunId);
        }, (r, _) => new JoinChallenge(r.ReadBytes(), r.ReadString()));
        Add<JoinProof>("join-proof", (w, m) =>
        {
            w.WriteBytes(m.Nonce);
            w.WriteBytes(m.Mac);
        }, (r, _) => new JoinProof(r.ReadBytes(), r.ReadBytes()));
        Add<JoinAdmitted>("join-ok", (w, m) =>
        {
            w.Write(m.RunId);
            w.Write(m.Config);
            w.Write(m.SqliteFile);
            w.WriteRef(m.Owner);
        }, (r, s) => new JoinAdmitted(r.ReadString(), r.ReadString(), r.ReadString(), r.ReadRef(s)));
        Add<JoinRefused>("join-no", (w, m) => w.Write(m.Reason), (r, _) => new JoinRefused(r.ReadString()));
    }

    private const byte Format = 1;

    public override int Identifier => Id;

    /// <summary>The wire message types this serializer writes (for the test that every <see cref="IWireMessage"/> has an entry).</summary>
    public static IReadOnlyCollection<Type> Types => Writers.Keys;

    public override string Manifest(object o) => Writers.TryGetValue(o.GetType(), out var entry)
        ? entry.Manifest
        : throw new ArgumentException($"{nameof(ClusterSerializer)} has no wire format for {o.GetType().Name}: add one before it crosses nodes");

    public override byte[] ToBinary(object obj)
    {
        if (!Writers.TryGetValue(obj.GetType(), out var entry))
            throw new ArgumentException($"{nameof(ClusterSerializer)} has no wire format for {obj.GetType().Name}: add one before it crosses nodes");
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Format);
            entry.Write(w, obj);
        }
        WireTraffic.Add((int)stream.Length);
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!Readers.TryGetValue(manifest, out var read))
            throw new System.Runtime.Serialization.SerializationException($"{nameof(ClusterSerializer)} does not know manifest '{manifest}'");
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes, writable: false));
            byte format = r.ReadByte();
            if (format != Format)
                throw new System.Runtime.Serialization.SerializationException($"a '{manifest}' message has wire format {format}; this build reads {Format}");
            return read(r, system);
        }
        catch (EndOfStreamException)
        {
            throw new System.Runtime.Serialization.SerializationException($"a '{manifest}' message of {bytes.Length} bytes is truncated");
        }
    }

    private static void WriteTrajectory(BinaryWriter w, Trajectory t)
    {
        w.Write(t.AgentIndex);
        w.Write(t.TrialIndex);
        w.Write(t.Steps);
        w.Write(t.InputSize);
        w.WriteFloats(t.Inputs);
        w.WriteInts(t.Actions);
        w.WriteFloats(t.LogProbs);
        w.WriteFloats(t.Values);
        w.WriteFloats(t.Rewards);
        w.WriteBools(t.EpisodeEnds);
        w.Write(t.OldestPolicyVersion);
        w.Write(t.NewestPolicyVersion);
        w.Write(t.MeanRewards is not null);
        if (t.MeanRewards is { } means) w.WriteFloats(means);
        w.Write(t.ActionVectors is not null);
        if (t.ActionVectors is { } vectors) w.WriteFloats(vectors);
    }

    private static Trajectory ReadTrajectory(BinaryReader r) => new(r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadFloats(),
        r.ReadInts(), r.ReadFloats(), r.ReadFloats(), r.ReadFloats(), r.ReadBools(), r.ReadInt64(), r.ReadInt64(), r.ReadBoolean() ? r.ReadFloats() : null,
        r.ReadBoolean() ? r.ReadFloats() : null);
}
