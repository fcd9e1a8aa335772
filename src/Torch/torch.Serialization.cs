using MetaRL.Torch.Serialization;

namespace MetaRL.Torch;

// torch.save / torch.load in PyTorch's own zip format, so checkpoints move between MetaRL and Python.
public static partial class torch
{
    /// <summary>
    /// Writes <paramref name="obj"/> where Python's <c>torch.load</c> reads it: a tensor, a
    /// <see cref="Modules.StateDict"/> (written as an OrderedDict), an optimizer's state_dict, or any
    /// tree of dicts, lists, tuples (object?[]), numbers, strings, bools, null and tensors. The file is
    /// written beside <paramref name="path"/> and moved over it at the end, so a failure never leaves a
    /// half-written checkpoint in place of a good one.
    /// </summary>
    public static void save(object? obj, string path)
    {
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
                TorchArchive.Save(obj, file);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Writes <paramref name="obj"/> to a seekable stream (see <see cref="save(object?, string)"/>).</summary>
    public static void save(object? obj, Stream stream) => TorchArchive.Save(obj, stream);

    /// <summary>
    /// Reads a checkpoint written by Python's <c>torch.save</c> (zip format, PyTorch 1.6 and later) or by
    /// <see cref="save(object?, string)"/>. Dicts come back as <see cref="OrderedDictionary{TKey, TValue}"/>
    /// of object keys (Python ints as long), lists as <see cref="List{T}"/>, tuples as object?[], floats as
    /// double. Tensors land on the CPU unless <paramref name="map_location"/> names another device; the
    /// caller owns them (<see cref="dispose_tensors"/> frees a whole tree; <see cref="Modules.StateDict.From"/>
    /// wraps a state dict).
    /// </summary>
    public static object? load(string path, Device? map_location = null)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return TorchArchive.Load(file, map_location);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            throw new InvalidDataException($"torch.load: {path}: {e.Message}", e);
        }
    }

    /// <summary>Reads a checkpoint from a seekable stream (see <see cref="load(string, Device?)"/>).</summary>
    public static object? load(Stream stream, Device? map_location = null) => TorchArchive.Load(stream, map_location);
}
