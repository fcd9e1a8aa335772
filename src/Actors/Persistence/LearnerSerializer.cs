using System.Security.Cryptography;
using Akka.Actor;
using Akka.Serialization;
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
    private const int Format = 1;

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        LearnerSnapshot => SnapshotManifest,
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
                    Write(w, s.Counters);
                    w.Write(s.TrainerState.Length);
                    w.Write(s.TrainerState);
                    break;
                case UpdateCompleted u:
                    WriteUpdate(w, u);
                    break;
                default:
                    throw new ArgumentException($"{nameof(LearnerSerializer)} cannot write a {obj.GetType().Name}");
            }
        }
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
        UpdateManifest => ReadUpdate(bytes),
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
            var counters = ReadCounters(r);
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
        Write(w, u.Counters);
        // Appended last: events of runs without groups (and of builds before groups) simply end here.
        if (u.GroupScores.Length == 0) return;
        w.Write(u.GroupScores.Length);
        foreach (var s in u.GroupScores) w.Write(s);
    }

    private static UpdateCompleted ReadUpdate(byte[] bytes)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        int format = r.ReadInt32();
        if (format != Format)
            throw new System.Runtime.Serialization.SerializationException($"an update event has format {format}; this build reads {Format}");
        long version = r.ReadInt64();
        int trials = r.ReadInt32(), abandoned = r.ReadInt32(), dropped = r.ReadInt32();
        double score = r.ReadDouble(), pg = r.ReadDouble(), vf = r.ReadDouble(), ent = r.ReadDouble(), kl = r.ReadDouble();
        bool skipped = r.ReadBoolean();
        string reason = r.ReadString();
        double lag = r.ReadDouble(), seconds = r.ReadDouble();
        var counters = ReadCounters(r);
        var groups = r.BaseStream.Position < r.BaseStream.Length ? new double[r.ReadInt32()] : Array.Empty<double>();
        for (int g = 0; g < groups.Length; g++) groups[g] = r.ReadDouble();
        return new UpdateCompleted(version, trials, abandoned, dropped, score, pg, vf, ent, kl, skipped, skipped ? reason : null, lag, seconds, [])
        {
            Counters = counters,
            GroupScores = groups,
        };
    }

    private static void Write(BinaryWriter w, RunCounters c)
    {
        w.Write(c.EnvSteps);
        w.Write(c.Trials);
        w.Write(c.Faults);
        w.Write(c.MeanBatch);
        w.Write(c.Seconds);
    }

    private static RunCounters ReadCounters(BinaryReader r) => new(r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadDouble(), r.ReadDouble());
}
