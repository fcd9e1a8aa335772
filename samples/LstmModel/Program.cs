using MetaRL.Training;

namespace LstmModel;

/// <summary>
/// Meta-trains the LSTM on 5-armed bandits from C#: <c>dotnet run --project samples/LstmModel -- [key=value …]</c>.
/// The run lands in <c>runs/bandits-lstm/</c>; <c>metarl --extension …/LstmModel.dll eval runs/bandits-lstm</c> evaluates
/// it beside Gittins, UCB1 and Thompson sampling.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        new LstmExtension().Register();
        var config = TrainConfigLoader.Load(Path.Combine(AppContext.BaseDirectory, "bandits-lstm.json"), args);
        var result = MetaTrainer.Train(config, new TrainingOptions { Overwrite = true });
        Console.WriteLine($"{result.StopReason}: {result.Updates} updates in {result.Elapsed.TotalSeconds:0} s; model {result.ModelFile}");
        return result.Failure is null ? 0 : 1;
    }
}
