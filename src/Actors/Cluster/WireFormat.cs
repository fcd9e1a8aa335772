using System.Runtime.InteropServices;
using Akka.Actor;
using MetaRL.Policies.Algorithms;

namespace MetaRL.Actors.Cluster;

/// <summary>
/// The pieces every wire message is made of, little-endian: arrays as a length then their elements' bytes (one
/// block copy, not a loop of writes), strings as .NET's length-prefixed UTF-8, actor refs as their full paths
/// (resolved by the receiving system; never a type name).
/// </summary>
internal static class WireFormat
{
    /// <summary>An array of numbers: its length, then its elements' bytes in one block, in the machine's byte order (little-endian on x64 and arm64, where we run).</summary>
    public static void WriteArray<T>(this BinaryWriter w, T[] values) where T : unmanaged
    {
        w.Write(values.Length);
        w.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    public static T[] ReadArray<T>(this BinaryReader r) where T : unmanaged
    {
        var values = new T[r.ReadLength(System.Runtime.CompilerServices.Unsafe.SizeOf<T>())];
        r.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    public static void WriteFloats(this BinaryWriter w, float[] values) => w.WriteArray(values);

    public static float[] ReadFloats(this BinaryReader r) => r.ReadArray<float>();

    public static void WriteDoubles(this BinaryWriter w, double[] values) => w.WriteArray(values);

    public static double[] ReadDoubles(this BinaryReader r) => r.ReadArray<double>();

    public static void WriteInts(this BinaryWriter w, int[] values) => w.WriteArray(values);

    public static int[] ReadInts(this BinaryReader r) => r.ReadArray<int>();

    public static void WriteBools(this BinaryWriter w, bool[] values) => w.WriteArray(values);

    public static bool[] ReadBools(this BinaryReader r) => r.ReadArray<bool>();

    public static void WriteBytes(this BinaryWriter w, byte[] values) => w.WriteArray(values);

    public static byte[] ReadBytes(this BinaryReader r) => r.ReadArray<byte>();

    public static void WriteRef(this BinaryWriter w, IActorRef actor) => w.Write(Akka.Serialization.Serialization.SerializedActorPath(actor));

    public static IActorRef ReadRef(this BinaryReader r, ExtendedActorSystem system) => system.Provider.ResolveActorRef(r.ReadString());

    public static void WriteOptional(this BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null) w.Write(value);
    }

    public static string? ReadOptionalString(this BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    public static void Write(this BinaryWriter w, MinibatchNorm norm)
    {
        w.Write(norm.Steps);
        w.Write(norm.AdvantageMean);
        w.Write(norm.AdvantageStd);
    }

    public static MinibatchNorm ReadNorm(this BinaryReader r) => new(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());

    public static void Write(this BinaryWriter w, MetaRL.Actors.Learning.RunCounters c)
    {
        w.Write(c.EnvSteps);
        w.Write(c.Trials);
        w.Write(c.Faults);
        w.Write(c.MeanBatch);
        w.Write(c.Seconds);
    }

    public static MetaRL.Actors.Learning.RunCounters ReadCounters(this BinaryReader r) =>
        new(r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadDouble(), r.ReadDouble());

    /// <summary>An array length, refused when negative or longer than what is left of the message (truncated, corrupt or hostile).</summary>
    private static int ReadLength(this BinaryReader r, int elementBytes)
    {
        int n = r.ReadInt32();
        long left = r.BaseStream.Length - r.BaseStream.Position;
        if (n < 0 || (long)n * elementBytes > left)
            throw new System.Runtime.Serialization.SerializationException($"an array of {n} elements with {left} bytes of the message left: truncated or corrupt");
        return n;
    }
}
