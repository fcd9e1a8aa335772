using System.Globalization;
using MetaRL.Actors.Population;
using MetaRL.Training;

namespace ForagingPatches;

/// <summary>
/// Meta-trains RL² on the foraging family from C#: <c>dotnet run --project samples/ForagingPatches -- [key=value …]</c>
/// (the overrides are config keys, e.g. <c>updates=20</c>). The run lands in <c>runs/foraging-patches/</c>, the same
/// folder <c>metarl train</c> writes, so <c>metarl --extension …/ForagingPatches.dll eval runs/foraging-patches</c> evaluates it.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        new ForagingExtension().Register();
        var config = TrainConfigLoader.Load(Path.Combine(AppContext.BaseDirectory, "foraging.json"), args);
        var result = MetaTrainer.Train(config, new TrainingOptions { Overwrite = true }, new PrintEveryTenth());
        Console.WriteLine($"{result.StopReason}: {result.Updates} updates in {result.Elapsed.TotalSeconds:0} s; model {result.ModelFile}");
        return result.Failure is null ? 0 : 1;
    }

    private sealed class PrintEveryTenth : ITrainingObserver
    {
        public void OnUpdate(PopulationProgress p)
        {
            if (p.Update.Version % 10 == 0)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"update {p.Update.Version}: {p.Update.MeanScore:0.00} a trial"));
        }
    }
}
