using System.IO.Compression;
using System.Text;
using MetaRL.Torch.Interop;

namespace MetaRL.Torch.Serialization;

/// <summary>
/// PyTorch's zip checkpoint (what <c>torch.save</c> has written since 1.6): a zip whose entries sit
/// in one top-level folder, <c>data.pkl</c> (a pickle whose tensors point at storages through
/// persistent ids), <c>data/&lt;key&gt;</c> (each storage's raw little-endian bytes) and
/// <c>version</c>. Entries are written stored, not deflated, as PyTorch does; its reader
/// (miniz) finds the folder from the first entry's name and accepts any entry order.
/// </summary>
internal static class TorchArchive
{
    // The format version PyTorch 1.13 and 2.x write; both read 1 through at least 3.
    private const string FormatVersion = "3\n";

    private static readonly (string Name, ScalarType Type)[] StorageTypes =
    [
        ("FloatStorage", ScalarType.Float32),
        ("DoubleStorage", ScalarType.Float64),
        ("HalfStorage", ScalarType.Float16),
        ("BFloat16Storage", ScalarType.BFloat16),
        ("LongStorage", ScalarType.Int64),
        ("IntStorage", ScalarType.Int32),
        ("ShortStorage", ScalarType.Int16),
        ("CharStorage", ScalarType.Int8),
        ("ByteStorage", ScalarType.UInt8),
        ("BoolStorage", ScalarType.Bool),
    ];

    // ---- writing ----

    internal static void Save(object? tree, Stream destination)
    {
        // Pickle first: a tree that cannot be written fails before anything touches the destination.
        var storages = new List<Tensor>();
        var keys = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance);
        var pickle = new PickleWriter(t =>
        {
            if (!keys.TryGetValue(t, out var key))
            {
                key = storages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                keys.Add(t, key);
                storages.Add(t);
            }
            return (key, t.numel(), StorageName(t.dtype));
        }).Write(tree);

        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        WriteEntry(zip, "archive/data.pkl", pickle);
        WriteEntry(zip, "archive/byteorder", Encoding.ASCII.GetBytes("little"));
        for (int i = 0; i < storages.Count; i++) WriteEntry(zip, $"archive/data/{i}", RawBytes(storages[i]));
        WriteEntry(zip, "archive/version", Encoding.ASCII.GetBytes(FormatVersion));
    }

    private static void WriteEntry(ZipArchive zip, string name, ReadOnlySpan<byte> bytes)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using var s = entry.Open();
        s.Write(bytes);
    }

    private static string StorageName(ScalarType type)
    {
        foreach (var (name, t) in StorageTypes)
            if (t == type) return name;
        throw new NotSupportedException($"torch.save cannot write a {type.PythonName()} tensor");
    }

    // The elements row-major (the tensor's own layout is not kept: each tensor gets a dense storage).
    private static unsafe byte[] RawBytes(Tensor t)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("torch.save writes little-endian storages and needs a little-endian machine");
        var bytes = new byte[checked(t.numel() * t.dtype.ElementSize())];
        fixed (byte* p = bytes)
            Check.Status(Native.mrt_tensor_copy_to(t.Handle, p, bytes.LongLength), "torch.save", t);
        return bytes;
    }

    // ---- reading ----

    internal static object? Load(Stream source, Device? mapLocation)
    {
        using var zip = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
        if (zip.Entries.Count == 0) throw new InvalidDataException("the checkpoint zip is empty");
        var first = zip.Entries[0].FullName;
        int slash = first.IndexOf('/');
        if (slash < 0) throw new InvalidDataException($"'{first}' is not inside a folder, as every entry of a PyTorch checkpoint is");
        var prefix = first[..(slash + 1)];

        var version = zip.GetEntry(prefix + ".data/version") ?? zip.GetEntry(prefix + "version");
        if (version is not null)
        {
            var text = Encoding.ASCII.GetString(ReadEntry(version)).Trim();
            if (!long.TryParse(text, out var v) || v < 1 || v > 10)
                throw new InvalidDataException($"checkpoint format version '{text}' is not one this reader knows (1 to 10)");
        }
        var byteorder = zip.GetEntry(prefix + "byteorder");
        if (byteorder is not null && Encoding.ASCII.GetString(ReadEntry(byteorder)).Trim() != "little")
            throw new NotSupportedException("the checkpoint stores big-endian tensors; only little-endian ones are read");
        var pkl = zip.GetEntry(prefix + "data.pkl") ?? throw new InvalidDataException($"the checkpoint has no {prefix}data.pkl");

        var storages = new Dictionary<string, Tensor>();
        var created = new List<Tensor>();
        try
        {
            var reader = new PickleReader(
                ReadEntry(pkl),
                g => g,
                pid => LoadStorage(pid, zip, prefix, storages),
                (f, args) => Call(f, args, created));
            var tree = reader.Load();
            if (mapLocation is { } d && d != Device.CPU) tree = MoveTensors(tree, d, created);
            return tree;
        }
        catch
        {
            foreach (var t in created) t.Dispose();
            throw;
        }
        finally
        {
            // The views made from a storage keep its memory alive; the storage handles themselves go.
            foreach (var s in storages.Values) s.Dispose();
        }
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry)
    {
        var bytes = new byte[entry.Length];
        using var s = entry.Open();
        s.ReadExactly(bytes);
        return bytes;
    }

    // pid = ('storage', torch.<Type>Storage, key, location, numel)
    private static unsafe Tensor LoadStorage(object? pid, ZipArchive zip, string prefix, Dictionary<string, Tensor> storages)
    {
        if (pid is not object?[] { Length: 5 } t || t[0] is not string kind || kind != "storage" || t[1] is not PyGlobal type || t[2] is not string key)
            throw new InvalidDataException($"unexpected persistent id {Describe(pid)}; expected ('storage', type, key, location, numel)");
        if (storages.TryGetValue(key, out var cached)) return cached;
        var dtype = StorageType(type);
        long numel = Convert.ToInt64(t[4], System.Globalization.CultureInfo.InvariantCulture);
        var entry = zip.GetEntry($"{prefix}data/{key}") ?? throw new InvalidDataException($"the checkpoint has no {prefix}data/{key} for storage {key}");
        long nbytes = numel * dtype.ElementSize();
        if (entry.Length != nbytes)
            throw new InvalidDataException($"storage {key} ({type}, {numel} elements) should hold {nbytes} bytes, the entry has {entry.Length}");
        var bytes = ReadEntry(entry);
        var storage = torch.empty([numel], dtype).DetachFromDisposeScope();
        fixed (byte* p = bytes)
            Check.Status(Native.mrt_tensor_copy_from(storage.Handle, p, nbytes), "torch.load", storage);
        storages.Add(key, storage);
        return storage;
    }

    private static ScalarType StorageType(PyGlobal type)
    {
        if (type.Name == "UntypedStorage") return ScalarType.UInt8;
        foreach (var (name, t) in StorageTypes)
            if (name == type.Name) return t;
        throw new NotSupportedException($"the checkpoint holds a {type} storage, which this reader does not support");
    }

    private static object? Call(object f, object?[] args, List<Tensor> created)
    {
        var g = f as PyGlobal ?? throw new InvalidDataException($"the checkpoint calls {Describe(f)}, which is not a global");
        switch (g.Module, g.Name)
        {
            case ("collections", "OrderedDict"):
                var dict = new OrderedDictionary<object, object?>();
                if (args is [List<object?> pairs])
                    foreach (var pair in pairs)
                        if (pair is object?[] { Length: 2 } kv) dict[kv[0] ?? "None"] = kv[1];
                return dict;
            case ("torch._utils", "_rebuild_tensor_v2"):
            case ("torch._utils", "_rebuild_tensor_v3"):
                return RebuildTensor(args, created);
            case ("torch._utils", "_rebuild_parameter"):
            case ("torch._utils", "_rebuild_parameter_with_state"):
                // (data, requires_grad, backward_hooks[, state]): a Parameter is a tensor that requires grad.
                if (args is not [Tensor data, bool requiresGrad, ..]) throw new InvalidDataException($"unexpected arguments to {g}");
                if (requiresGrad) data.requires_grad_(true);
                return data;
            case ("torch", "Size"):
                return args is [object?[] dims] ? dims : args;
            default:
                throw new NotSupportedException(
                    $"the checkpoint needs the Python object {g}, which this reader cannot rebuild; it reads tensors, " +
                    "(ordered) dicts, lists, tuples, numbers, strings, bools and None, as in state dicts");
        }
    }

    // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, dtype (v3)][, metadata])
    private static Tensor RebuildTensor(object?[] args, List<Tensor> created)
    {
        if (args.Length < 5 || args[0] is not Tensor storage || args[2] is not object?[] size || args[3] is not object?[] stride)
            throw new InvalidDataException("unexpected arguments to torch._utils._rebuild_tensor");
        long offset = Convert.ToInt64(args[1], System.Globalization.CultureInfo.InvariantCulture);
        var sizes = size.Select(s => Convert.ToInt64(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var strides = stride.Select(s => Convert.ToInt64(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var tensor = storage.as_strided(sizes, strides, offset);
        created.Add(tensor);
        if (args[4] is true) tensor.requires_grad_(true);
        return tensor;
    }

    private static object? MoveTensors(object? tree, Device device, List<Tensor> created)
    {
        switch (tree)
        {
            case Tensor t:
                var moved = t.to(device);
                created.Add(moved);
                t.Dispose();
                return moved;
            case OrderedDictionary<object, object?> d:
                foreach (var k in d.Keys.ToList()) d[k] = MoveTensors(d[k], device, created);
                return d;
            case List<object?> l:
                for (int i = 0; i < l.Count; i++) l[i] = MoveTensors(l[i], device, created);
                return l;
            case object?[] a:
                for (int i = 0; i < a.Length; i++) a[i] = MoveTensors(a[i], device, created);
                return a;
            default:
                return tree;
        }
    }

    private static string Describe(object? o) => o switch
    {
        null => "None",
        object?[] a => $"({string.Join(", ", a.Select(Describe))})",
        string s => $"'{s}'",
        _ => o.ToString() ?? o.GetType().Name,
    };
}
