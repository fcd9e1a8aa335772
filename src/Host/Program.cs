using System.CommandLine;

namespace MetaRL.Host;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("MetaRL: meta-train and simulate populations of in-context-learning agents.");
        return root.Parse(args).Invoke();
    }
}
