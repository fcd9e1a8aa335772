namespace MetaRL.Host.Training;

/// <summary>
/// The trained parameters as a flat float32 vector with a small header (magic, version, policy version, count),
/// in the order of <c>ParameterVector</c>. Written to a temporary file and renamed, so a crash never leaves a
/// half-written file where a good one was.
/// </summary>
public static class WeightsFile
{
    private const uint Magic = 0x4C524D57; // "WMRL"
    private const int FormatVersion = 1;

    public static void Save(string path, float[] parameters, long policyVersion)
    {
        var tmp = path + ".tmp";
        using (var f = new BinaryWriter(File.Create(tmp)))
        {
            f.Write(Magic);
            f.Write(FormatVersion);
            f.Write(policyVersion);
            f.Write(parameters.Length);
            foreach (var p in parameters) f.Write(p);
        }
        File.Move(tmp, path, overwrite: true);
    }

    public static (float[] Parameters, long PolicyVersion) Load(string path)
    {
        if (!File.Exists(path)) throw new ArgumentException($"no weights at '{path}': did the run finish an update?");
        using var f = new BinaryReader(File.OpenRead(path));
        if (f.ReadUInt32() != Magic) throw new ArgumentException($"'{path}' is not a MetaRL weights file");
        int format = f.ReadInt32();
        if (format != FormatVersion) throw new ArgumentException($"'{path}' has weights format {format}; this build reads {FormatVersion}");
        long version = f.ReadInt64();
        int n = f.ReadInt32();
        var p = new float[n];
        for (int i = 0; i < n; i++) p[i] = f.ReadSingle();
        return (p, version);
    }
}
