using MetaRL.Host;

namespace MetaRL.Browser.Tests;

/// <summary>The <c>metarl</c> command line run in-process, its stdout and stderr captured (readable while it runs).</summary>
internal sealed class Cli
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private readonly TextWriter _syncOut;
    private readonly TextWriter _syncErr;

    private Cli()
    {
        _syncOut = TextWriter.Synchronized(_out);
        _syncErr = TextWriter.Synchronized(_err);
    }

    public string Out
    {
        get { lock (_syncOut) return _out.ToString(); }
    }

    public string Err
    {
        get { lock (_syncErr) return _err.ToString(); }
    }

    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var cli = new Cli();
        int code = Program.Run(args, cli._syncOut, cli._syncErr);
        return (code, cli.Out, cli.Err);
    }

    /// <summary>Starts a command on its own thread; the returned object shows its output so far.</summary>
    public static (Cli Cli, Task<int> Exit) Start(params string[] args)
    {
        var cli = new Cli();
        return (cli, Task.Factory.StartNew(() => Program.Run(args, cli._syncOut, cli._syncErr), TaskCreationOptions.LongRunning));
    }
}
