using System.Security.Cryptography;
using MetaRL.Policies;
using MetaRL.Torch;
using MetaRL.Torch.Modules;
using static MetaRL.Torch.torch;

namespace MetaRL.Training;

/// <summary>A model file that cannot be used, with one line that says why (eval exits 2 with it).</summary>
public sealed class ModelFileException(string message) : Exception(message);

/// <summary>
/// The trained model, <c>runs/&lt;name&gt;/model.pt</c>, written with our <c>torch.save</c> in PyTorch's format:
/// a dict whose <c>"model"</c> is the state dict (PyTorch's names: <c>torch.load(f)["model"]</c> loads into the
/// same architecture in Python) and whose <c>"metarl"</c> holds the policy version, the learning keys of the
/// config it was trained under (<see cref="LearningKeys"/>) and a SHA-256 of the tensors' bytes. Reading checks
/// everything a user could hit: a missing, empty, truncated or corrupted file, shapes that do not fit the
/// config, values that are not finite, a config edited since training.
/// </summary>
public static class ModelFile
{
    private const long FormatVersion = 1;

    public static void Save(string path, Module template, float[] parameters, long version, TrainConfig config)
    {
        ParameterVector.Load(template, parameters);
        using var state = template.state_dict();
        var meta = new OrderedDictionary<object, object?>
        {
            ["format"] = FormatVersion,
            ["policy_version"] = version,
            ["sha256"] = Hash(state),
            ["learning_keys"] = LearningKeysTree(config),
        };
        torch.save(new OrderedDictionary<object, object?> { ["model"] = state, ["metarl"] = meta }, path);
    }

    /// <summary>Reads <paramref name="path"/> into <paramref name="model"/> (built from <paramref name="config"/>) and returns the policy version.</summary>
    /// <exception cref="ModelFileException">The file cannot be used; the message is one line.</exception>
    public static long Load(string path, Module model, TrainConfig config)
    {
        if (!File.Exists(path)) throw new ModelFileException($"no model at '{path}': the run saved no update yet (metarl train --resume continues it)");
        if (new FileInfo(path).Length == 0) throw new ModelFileException($"'{path}' is empty: the model was not written; metarl train --resume writes it again");
        object? tree;
        try
        {
            tree = torch.load(path);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or EndOfStreamException or IOException)
        {
            throw new ModelFileException($"'{path}' is not a readable model (truncated or corrupted: {OneLine(e.Message)})");
        }
        try
        {
            if (tree is not IReadOnlyDictionary<object, object?> root || !root.TryGetValue("model", out var stateTree) ||
                !root.TryGetValue("metarl", out var metaTree) || metaTree is not IReadOnlyDictionary<object, object?> meta)
                throw new ModelFileException($"'{path}' is not a MetaRL model (expected a dict with 'model' and 'metarl')");
            using var state = StateDict.From(stateTree);
            if (meta.GetValueOrDefault("sha256") is not string expected || expected != Hash(state))
                throw new ModelFileException($"'{path}' is corrupted: its tensors do not match the checksum saved with them");
            if (meta.GetValueOrDefault("learning_keys") is IReadOnlyDictionary<object, object?> trained)
            {
                var then = trained.ToDictionary(kv => (string)kv.Key, kv => (string)kv.Value!);
                var diff = LearningKeys.Differences(then, LearningKeys.Of(config));
                if (diff.Length > 0) throw new ModelFileException($"the run's config.json was edited after training ({diff}); restore it, or train a new run");
            }
            foreach (var (name, t) in state)
            {
                using var finite = t.isfinite().all();
                if (!finite.item<bool>()) throw new ModelFileException($"'{path}' holds non-finite values in '{name}': the model cannot be evaluated");
            }
            try
            {
                model.load_state_dict(state);
            }
            catch (InvalidOperationException e)
            {
                throw new ModelFileException($"'{path}' does not fit the config's model: {OneLine(e.Message)}");
            }
            return Convert.ToInt64(meta.GetValueOrDefault("policy_version") ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (ArgumentException e)
        {
            throw new ModelFileException($"'{path}' is not a MetaRL model ({OneLine(e.Message)})");
        }
        finally
        {
            dispose_tensors(tree);
        }
    }

    private static OrderedDictionary<object, object?> LearningKeysTree(TrainConfig config)
    {
        var tree = new OrderedDictionary<object, object?>();
        foreach (var (k, v) in LearningKeys.Of(config)) tree[k] = v;
        return tree;
    }

    /// <summary>SHA-256 over every tensor's name and raw bytes, in the state dict's order.</summary>
    private static string Hash(StateDict state)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, t) in state)
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
            using var flat = t.to(ScalarType.Float32).contiguous();
            var values = new float[flat.numel()];
            flat.CopyTo(values);
            sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private static string OneLine(string message) => string.Join(" ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
