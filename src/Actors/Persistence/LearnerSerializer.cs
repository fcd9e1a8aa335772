using System.Security.Cryptography;
using Akka.Actor;
using Akka.Serialization;
using MetaRL.Actors.Cluster;
using MetaRL.Actors.Learning;

namespace MetaRL.Actors.Persistence;

/// <summary>A checkpoint whose bytes failed their checksum or could not be parsed; the journal falls back to the one before it.</summary>
/// <param name="Reason">What was wrong, for the warning.</param>
public sealed record CorruptSnapshot(string Reason);

/// <summary>
/// Akka serialization of what the learner persists: its checkpoints (<see cref="LearnerSnapshot"/>) and its
/// metrics rows (<see cref="UpdateCompleted"/> events, written without their parameters, which only checkpoints
/// hold). Little-endian binary with a format number; a checkpoint ends with a SHA-256 of everything before it,
/// so a bit flip or a truncation in the database reads back as a <see cref="CorruptSnapshot"/>, never as
/// wrong weights.
/// </summary>
public sealed class LearnerSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Akka serializer id (user ids start above 100).</summary>
    public const int Id = 4141;

    private const string SnapshotManifest = "learner-snapshot";
    private const string UpdateManifest = "update";

    /// <summary>An update with its parameters: what a learner on one node reports to the run's owner on another (never journaled).</summary>
    private const string UpdateWithParametersManifest = "update+parameters";

    /// <summary>Marks the cluster section of a row (group scores, the other optional section, start with their count, never negative).</summary>
    private const int ClusterSection = -1;
    private const int NodesSection = -2;
    private const int EvalSection = -3;
    private const int Format = 1;

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        LearnerSnapshot => SnapshotManifest,
        UpdateCompleted { Parameters.Length: > 0 } => UpdateWithParametersManifest,
        UpdateCompleted => UpdateManifest,
        _ => throw new ArgumentException($"{nameof(LearnerSerializer)} cannot write a {o.GetType().Name}"),
    };

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Format);
            switch (obj)
            {
                case LearnerSnapshot s:
                    w.Write(s.Version);
                    w.Write(s.SkippedUpdates);
                    w.Write(s.Counters);
                    w.Write(s.TrainerState.Length);
                    w.Write(s.TrainerState);
                    break;
                case UpdateCompleted u:
                    if (u.Parameters.Length > 0) w.WriteFloats(u.Parameters);
                    WriteUpdate(w, u);
                    break;
                default:
                    throw new ArgumentException($"{nameof(LearnerSerializer)} cannot write a {obj.GetType().Name}");
            }
        }
        if (obj is UpdateCompleted { Parameters.Length: > 0 }) WireTraffic.Add((int)stream.Length); // to the run owner on another node
        if (obj is LearnerSnapshot)
        {
            var hash = SHA256.HashData(stream.GetBuffer().AsSpan(0, (int)stream.Length));
            stream.Write(hash);
        }
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest) => manifest switch
    {
        SnapshotManifest => ReadSnapshot(bytes),
        UpdateManifest => ReadUpdate(bytes, withParameters: false),
        UpdateWithParametersManifest => ReadUpdate(bytes, withParameters: true),
        _ => throw new System.Runtime.Serialization.SerializationException($"{nameof(LearnerSerializer)} does not know manifest '{manifest}'"),
    };

    private static object ReadSnapshot(byte[] bytes)
    {
        const int hashSize = 32;
        if (bytes.Length < sizeof(int) + hashSize) return new CorruptSnapshot($"{bytes.Length} bytes is too short for a checkpoint");
        var body = bytes.AsSpan(0, bytes.Length - hashSize);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - hashSize)))
            return new CorruptSnapshot("its checksum does not match its contents");
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes, 0, body.Length));
            int format = r.ReadInt32();
            if (format != Format) return new CorruptSnapshot($"it has checkpoint format {format}; this build reads {Format}");
            long version = r.ReadInt64();
            int skipped = r.ReadInt32();
            var counters = r.ReadCounters();
            int n = r.ReadInt32();
            var state = r.ReadBytes(n);
            if (state.Length != n) return new CorruptSnapshot("its trainer state is truncated");
            return new LearnerSnapshot(version, skipped, counters, state);
        }
        catch (EndOfStreamException)
        {
            return new CorruptSnapshot("it is truncated");
        }
    }

    private static void WriteUpdate(BinaryWriter w, UpdateCompleted u)
    {
        w.Write(u.Version);
        w.Write(u.Trials);
        w.Write(u.Abandoned);
        w.Write(u.DroppedStale);
        w.Write(u.MeanScore);
        w.Write(u.PolicyLoss);
        w.Write(u.ValueLoss);
        w.Write(u.Entropy);
        w.Write(u.ApproxKl);
        w.Write(u.Skipped);
        w.Write(u.SkipReason ?? "");
        w.Write(u.MeanPolicyLag);
        w.Write(u.Seconds);
        w.Write(u.Counters);
        // Optional sections, appended last: rows of runs without groups or a cluster (and of builds before them) simply end here.
        if (u.GroupScores.Length > 0)
        {
            w.Write(u.GroupScores.Length);
            foreach (var s in u.GroupScores) w.Write(s);
        }
        if (u.Cluster is { } c)
        {
            w.Write(ClusterSection);
            w.Write(c.Nodes);
            w.Write(c.MinAgentsPerNode);
            w.Write(c.MaxAgentsPerNode);
            w.Write(c.RehomedAgents);
            w.Write(c.GradientSeconds);
            w.Write(c.AllReduceSeconds);
            w.Write(c.WireBytes);
            if (c.PerNode.Count > 0)
            {
                w.Write(NodesSection);
                w.Write(c.PerNode.Count);
                foreach (var n in c.PerNode)
                {
                    w.Write(n.Node);
                    w.Write(n.Agents);
                    w.Write(n.MeanBatch);
                }
            }
        }
        if (u.Eval is { } e)
        {
            w.Write(EvalSection);
            w.Write(e.Mean);
            w.Write(e.Stderr);
            w.Write(e.Seconds);
        }
    }

    private static UpdateCompleted ReadUpdate(byte[] bytes, bool withParameters)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        int format = r.ReadInt32();
        if (format != Format)
            throw new System.Runtime.Serialization.SerializationException($"an update event has format {format}; this build reads {Format}");
        var parameters = withParameters ? r.ReadFloats() : [];
        long version = r.ReadInt64();
        int trials = r.ReadInt32(), abandoned = r.ReadInt32(), dropped = r.ReadInt32();
        double score = r.ReadDouble(), pg = r.ReadDouble(), vf = r.ReadDouble(), ent = r.ReadDouble(), kl = r.ReadDouble();
        bool skipped = r.ReadBoolean();
        string reason = r.ReadString();
        double lag = r.ReadDouble(), seconds = r.ReadDouble();
        var counters = r.ReadCounters();
        var groups = Array.Empty<double>();
        ClusterShape? cluster = null;
        HeldOutScore? eval = null;
        while (r.BaseStream.Position < r.BaseStream.Length)
        {
            int section = r.ReadInt32();
            if (section == ClusterSection)
            {
                cluster = new ClusterShape(r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt64(), r.ReadDouble(), r.ReadDouble(), r.ReadInt64());
                continue;
            }
            if (section == EvalSection)
            {
                eval = new HeldOutScore(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
                continue;
            }
            if (section == NodesSection && cluster is not null)
            {
                var nodes = new NodeShape[r.ReadInt32()];
                for (int n = 0; n < nodes.Length; n++) nodes[n] = new NodeShape(r.ReadString(), r.ReadInt32(), r.ReadDouble());
                cluster = cluster with { PerNode = nodes };
                continue;
            }
            groups = new double[section];
            for (int g = 0; g < groups.Length; g++) groups[g] = r.ReadDouble();
        }
        return new UpdateCompleted(version, trials, abandoned, dropped, score, pg, vf, ent, kl, skipped, skipped ? reason : null, lag, seconds, parameters)
        {
            Counters = counters,
            GroupScores = groups,
            Cluster = cluster,
            Eval = eval,
        };
    }

}
