using System.Globalization;
using Microsoft.Extensions.Logging;

namespace MetaRL.Training.Logging;

/// <summary>
/// A Microsoft.Extensions.Logging provider that writes one line per event, synchronously, to a text writer: the
/// run's <c>log.txt</c> (everything from Information up) and the command's stderr (warnings only: an error ends
/// the run, and the command then prints one line that names it and the log). Written
/// at once under a lock rather than queued, so that no warning or error is lost when a run ends or fails right
/// after it was logged. Akka's log events reach it through Akka.Hosting's logger-factory bridge.
/// </summary>
/// <param name="skip">Messages this writer leaves out (another writer, the log file, keeps them).</param>
internal sealed class LineLoggerProvider(TextWriter writer, LogLevel minimum, LogLevel maximum = LogLevel.Critical, bool ownsWriter = false,
    Func<string, bool>? skip = null) : ILoggerProvider
{
    /// <summary>
    /// Akka.Remote's warnings when a connection to another node drops: every node that leaves or crashes causes
    /// them, and the commands already print a line of their own for it ("node … left", "… was downed").
    /// </summary>
    public static bool IsConnectionChatter(string message) =>
        message.Contains("Association with remote system", StringComparison.Ordinal)
        || message.Contains("Tried to associate with unreachable remote address", StringComparison.Ordinal);

    private readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => new LineLogger(this, categoryName);

    public void Dispose()
    {
        lock (_gate)
        {
            writer.Flush();
            if (ownsWriter) writer.Dispose();
        }
    }

    private void Write(LogLevel level, string category, string message, Exception? error)
    {
        if (skip?.Invoke(message) == true) return;
        var line = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss.fff} {Label(level)} {category}: {message}");
        if (error is not null && !message.Contains(error.Message, StringComparison.Ordinal)) line += $" ({error.GetType().Name}: {error.Message})";
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    private static string Label(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "critical",
    };

    private sealed class LineLogger(LineLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum && logLevel <= owner._maximum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) owner.Write(logLevel, category, formatter(state, exception), exception);
        }
    }

    private readonly LogLevel _minimum = minimum;
    private readonly LogLevel _maximum = maximum;
}
