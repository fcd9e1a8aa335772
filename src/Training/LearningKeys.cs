using System.Text.Json.Nodes;

namespace MetaRL.Training;

/// <summary>
/// The config keys that decide what a run learned (env, model, ppo, population, seed…), flattened to dotted
/// names with their values. They are stored with the exported model, so that an evaluation under a config edited
/// since training is refused with the keys that changed named. Keys that only decide how a run is operated
/// (its name, threads, budget, checkpoints, database, evaluation, cluster) are left out: changing them changes nothing learned.
/// </summary>
public static class LearningKeys
{
    // "cluster" (shards, secret) decides where agents run, not what they learn; it is also absent from the models of runs
    // trained before clusters existed, which must still evaluate.
    private static readonly string[] Operational = ["name", "torchThreads", "blasThreads", "learnerThreads", "maxMinutes", "checkpointEvery", "persistence", "eval", "cluster"];

    private static readonly Lazy<SortedDictionary<string, string>> Defaults = new(() => Of(new TrainConfig()));

    public static SortedDictionary<string, string> Of(TrainConfig config)
    {
        var root = JsonNode.Parse(TrainConfigLoader.ToJson(config))!.AsObject();
        var keys = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in root)
            if (!Operational.Contains(name)) Flatten(name, value, keys);
        return keys;
    }

    /// <summary>"model.hidden: 64 at training, 128 now; ppo.lr: …": every key whose value differs, or "" if none.</summary>
    public static string Differences(IReadOnlyDictionary<string, string> trained, IReadOnlyDictionary<string, string> now)
    {
        var changed = new List<string>();
        // Models saved by earlier builds may hold keys since found operational (cluster.shards): those are not compared either.
        foreach (var key in trained.Keys.Union(now.Keys).Where(k => !Operational.Contains(k.Split('.')[0])).Order(StringComparer.Ordinal))
        {
            trained.TryGetValue(key, out var before);
            now.TryGetValue(key, out var after);
            // A key a later build added (algorithm, maml.*) is absent from older models: at its default it changes nothing they learned.
            if (before is null && after is not null && Defaults.Value.TryGetValue(key, out var fallback) && fallback == after) continue;
            if (before != after) changed.Add($"{key}: {before ?? "(unset)"} at training, {after ?? "(unset)"} now");
        }
        return string.Join("; ", changed);
    }

    private static void Flatten(string prefix, JsonNode? node, IDictionary<string, string> into)
    {
        if (node is JsonObject o)
        {
            foreach (var (name, value) in o) Flatten($"{prefix}.{name}", value, into);
            return;
        }
        into[prefix] = node?.ToJsonString() ?? "null";
    }
}
