using Microsoft.Extensions.Configuration;

namespace MetaRL.Host.Training;

/// <summary>
/// Reads a <see cref="TrainConfig"/> from a JSON file plus <c>key=value</c> overrides (dotted keys, as in
/// <c>ppo.clip=0.2</c>). Unknown keys and unparsable values are errors that name the key, so a typo never
/// silently trains with a default.
/// </summary>
public static class TrainConfigLoader
{
    public static TrainConfig Load(string path, IReadOnlyList<string> overrides)
    {
        if (!File.Exists(path)) throw new ArgumentException($"config file '{path}' does not exist");
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var o in overrides)
        {
            int eq = o.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"--set '{o}': expected key=value, e.g. ppo.clip=0.2");
            settings[o[..eq].Trim().Replace('.', ':')] = o[(eq + 1)..].Trim();
        }
        IConfigurationRoot root;
        try
        {
            root = new ConfigurationBuilder()
                .AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false)
                .AddInMemoryCollection(settings)
                .Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new ArgumentException($"config file '{path}' is not valid JSON: {e.Message}");
        }
        try
        {
            var config = root.Get<TrainConfig>(o => o.ErrorOnUnknownConfiguration = true) ?? new TrainConfig();
            var errors = config.Validate();
            errors.ThrowIfAny();
            return config;
        }
        catch (InvalidOperationException e)
        {
            // The binder reports unknown keys and bad values as InvalidOperationException; its message names them.
            throw new ArgumentException($"config '{path}': {Describe(e)}");
        }
    }

    private static string Describe(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return inner == e ? e.Message : $"{e.Message} ({inner.Message})";
    }

    /// <summary>The config as JSON with camel-case keys, the way it is saved beside a run.</summary>
    public static string ToJson(TrainConfig config) => System.Text.Json.JsonSerializer.Serialize(config, JsonOptions);

    internal static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
