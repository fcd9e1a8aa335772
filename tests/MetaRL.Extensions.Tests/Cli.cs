namespace MetaRL.Extensions.Tests;

/// <summary>The <c>metarl</c> command line run in-process, its stdout and stderr captured.</summary>
internal static class Cli
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = MetaRL.Host.Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
