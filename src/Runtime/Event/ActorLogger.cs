using System.Collections;
using Microsoft.Extensions.Logging;

namespace MetaRL.Runtime;

/// <summary>An ILogger that opens a scope with the actor's path around every entry, so any provider can show it.</summary>
internal sealed class ActorLogger(ILogger inner, string actorPath) : ILogger
{
    private readonly ActorScope _scope = new(actorPath);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel)) return;
        using (inner.BeginScope(_scope)) inner.Log(logLevel, eventId, state, exception, formatter);
    }
}

/// <summary>The scope of an actor's log entries: one structured value, <c>ActorPath</c>.</summary>
public sealed class ActorScope(string actorPath) : IReadOnlyList<KeyValuePair<string, object?>>
{
    /// <summary>The actor's path without the address, e.g. <c>/user/population/agent-17</c>.</summary>
    public string ActorPath { get; } = actorPath;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new KeyValuePair<string, object?>(nameof(ActorPath), ActorPath) : throw new ArgumentOutOfRangeException(nameof(index));

    public int Count => 1;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"ActorPath:{ActorPath}";
}
