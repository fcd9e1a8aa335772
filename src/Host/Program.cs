using System.CommandLine;
using MetaRL.Host.Baselines;
using MetaRL.Host.Training;

namespace MetaRL.Host;

public static class Program
{
    /// <summary>Exit code for bad command-line input: 2, as shells and most command-line tools use for usage errors.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code for a run that started and then failed (an actor failed, a file could not be written).</summary>
    public const int RunFailed = 1;

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>
    /// Runs the command line with its output going to <paramref name="stdout"/> and <paramref name="stderr"/>,
    /// so that tests can run it in-process. Bad input prints one line on stderr and returns <see cref="UsageError"/>.
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("MetaRL: meta-train and simulate populations of in-context-learning agents.");
        var extension = new Option<string[]>("--extension")
        {
            Description = "Load an extension assembly (.dll) first: its env families and models become usable by name (repeatable).",
            HelpName = "dll",
            Recursive = true,
            AllowMultipleArgumentsPerToken = false,
        };
        root.Options.Add(extension);
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(RunsCommand.Create());
        root.Subcommands.Add(BaselinesCommand.Create());
        root.Subcommands.Add(Studies.StudyCommand.Create());
        root.Subcommands.Add(Cluster.NodeCommand.Create());
        root.Subcommands.Add(Reports.ReportCommand.Create());
        root.Subcommands.Add(Load.LoadCommand.Create());
        var parsed = root.Parse(args);
        // System.CommandLine would print the errors followed by the whole help text and exit with 1; a user
        // who mistyped one option is better served by one line that names it, and scripts by a distinct code.
        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine($"metarl: {parsed.Errors[0].Message} (see metarl --help)");
            return UsageError;
        }
        try
        {
            foreach (var path in parsed.GetValue(extension) ?? []) Extensions.Load(path);
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"metarl: {e.Message}");
            return UsageError;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
