using Microsoft.Extensions.Configuration;

namespace MetaRL.Training;

/// <summary>
/// Reads a <see cref="TrainConfig"/> from a JSON file plus <c>key=value</c> overrides (dotted keys, as in
/// <c>ppo.clip=0.2</c>). Unknown keys and unparsable values are errors that name the key, so a typo never
/// silently trains with a default.
/// </summary>
public static partial class TrainConfigLoader
{
    /// <summary>A config sent as JSON text (a cluster's seed sends its run's config to the nodes that join); schedule paths are already full.</summary>
    public static TrainConfig FromJson(string json, string origin)
    {
        IConfigurationRoot root;
        try
        {
            root = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new ArgumentException($"the config from {origin} is not valid JSON: {e.Message}");
        }
        try
        {
            RefuseNullSections(json, $"the config from {origin}");
            var config = root.Get<TrainConfig>(o => o.ErrorOnUnknownConfiguration = true) ?? new TrainConfig();
            config.Validate().ThrowIfAny();
            return config;
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"the config from {origin}: {Describe(e)}");
        }
    }

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
            RefuseNullSections(File.ReadAllText(path), $"config '{path}'");
            var config = root.Get<TrainConfig>(o => o.ErrorOnUnknownConfiguration = true) ?? new TrainConfig();
            config = WithScheduleFrom(config, Path.GetDirectoryName(Path.GetFullPath(path))!);
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

    /// <summary>
    /// <c>"env": null</c> would bind as "no such key" and train silently on the defaults: a null is refused wherever the
    /// config expects a section (a property that is never null, such as env, ppo or model), naming every such key.
    /// </summary>
    private static void RefuseNullSections(string json, string what)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json, new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var keys = new List<string>();
        NullSections(doc.RootElement, typeof(TrainConfig), "", keys);
        if (keys.Count > 0)
            throw new ArgumentException($"{what}: {string.Join(", ", keys)}: null is not a section; leave the key out for its defaults, or give an object");
    }

    private static void NullSections(System.Text.Json.JsonElement element, Type type, string prefix, List<string> keys)
    {
        if (element.ValueKind != System.Text.Json.JsonValueKind.Object) return;
        var nullability = new System.Reflection.NullabilityInfoContext();
        foreach (var property in element.EnumerateObject())
        {
            var info = type.GetProperty(property.Name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
            if (info is null || info.PropertyType == typeof(string) || !info.PropertyType.IsClass || info.PropertyType.IsArray) continue;
            if (property.Value.ValueKind == System.Text.Json.JsonValueKind.Null)
            {
                if (nullability.Create(info).ReadState != System.Reflection.NullabilityState.Nullable) keys.Add(prefix + property.Name);
            }
            else NullSections(property.Value, info.PropertyType, $"{prefix}{property.Name}.", keys);
        }
    }

    /// <summary>The schedules (the env's, the groups') as they will be saved: a scripted file found relative to the config's folder, by its full path.</summary>
    private static TrainConfig WithScheduleFrom(TrainConfig config, string configDirectory)
    {
        string? Tidy(string? text)
        {
            if (text is null) return null;
            try
            {
                return Environments.NonStationary.ScheduleSpec.Parse(text, configDirectory).Text;
            }
            catch (Environments.NonStationary.ScheduleFormatException)
            {
                return text; // Validate reports it, with the other errors
            }
        }
        return config with
        {
            Env = config.Env with { Schedule = Tidy(config.Env.Schedule) },
            Population = config.Population with { Groups = config.Population.Groups?.Select(g => g with { Schedule = Tidy(g.Schedule) }).ToArray() },
        };
    }

    private static string Describe(Exception e)
    {
        var bad = BadValue().Match(e.Message);
        if (bad.Success)
        {
            // "Failed to convert configuration value 'x' at 'Model:Type' to type …": say it in the config's own keys.
            var path = bad.Groups["path"].Value.Split(':');
            string key = string.Join('.', path.Select(p => p.Length > 0 ? char.ToLowerInvariant(p[0]) + p[1..] : p));
            var type = PropertyType(path);
            string expected = type switch
            {
                { IsEnum: true } => $"one of {string.Join(", ", Enum.GetNames(type))}",
                _ when type == typeof(int) || type == typeof(long) => "an integer",
                _ when type == typeof(double) || type == typeof(float) => "a number",
                _ when type == typeof(bool) => "true or false",
                _ => "a value of another form",
            };
            return $"{key} = '{bad.Groups["value"].Value}' is not valid; expected {expected}";
        }
        var inner = e;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return inner == e ? e.Message : $"{e.Message} ({inner.Message})";
    }

    [System.Text.RegularExpressions.GeneratedRegex("Failed to convert configuration value '(?<value>[^']*)' at '(?<path>[^']*)'")]
    private static partial System.Text.RegularExpressions.Regex BadValue();

    /// <summary>The type of the <see cref="TrainConfig"/> property at a binder path such as Model:Type (null if none).</summary>
    private static Type? PropertyType(string[] path)
    {
        Type? type = typeof(TrainConfig);
        foreach (var name in path)
        {
            type = type?.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)?.PropertyType;
            if (type is not null) type = Nullable.GetUnderlyingType(type) ?? type;
        }
        return type;
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
