using MetaRL.Environments;
using MetaRL.Environments.Tasks;
using MetaRL.Training;

namespace ForagingPatches;

/// <summary>
/// The family as configs name it (<c>env.name = "foraging-patches"</c>), with its knobs: <c>horizon</c> (visits an
/// episode, default 25) and, in <c>env.options</c>, <c>patches</c> (4), <c>depletion</c> (0.3) and <c>regrowth</c> (0.2).
/// </summary>
public static class Foraging
{
    public const string Name = "foraging-patches";
    public const int DefaultHorizon = 25;

    public static EnvFamily<int, int, ForagingTask> Family { get; } = new(Name,
        "Foraging patches: a visit pays 1 with the patch's level, then depletes it while the others regrow, 25 visits an episode",
        episodesPerTrial: 4,
        optionNames: ["horizon", "patches", "depletion", "regrowth"],
        distribution: o => new ForagingDistribution(Patches(o), o.Split),
        env: (o, task) => new ForagingEnv(task, o.Horizon ?? DefaultHorizon, o.Option("depletion", 0.3), o.Option("regrowth", 0.2)));

    private static int Patches(EnvOptions o)
    {
        double patches = o.Option("patches", 4);
        if (patches < 2 || patches > 64 || patches != Math.Floor(patches))
            throw new ArgumentException($"option 'patches' of {Name} must be a whole number from 2 to 64, got {patches}");
        return (int)patches;
    }
}

/// <summary>Registers the family when the command line loads this assembly (<c>metarl --extension ForagingPatches.dll …</c>).</summary>
public sealed class ForagingExtension : IMetaRLExtension
{
    public void Register() => EnvCatalog.Register(Foraging.Family);
}
