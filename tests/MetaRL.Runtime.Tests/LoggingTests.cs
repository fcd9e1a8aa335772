using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MetaRL.Runtime.Tests;

public sealed class LoggingTests
{
    private sealed record Entry(string Category, LogLevel Level, string Message, string? ActorPath, Exception? Exception);

    /// <summary>A provider as real ones are written: scopes come from the factory's shared scope provider.</summary>
    private sealed class CapturingProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<Entry> Entries { get; } = new();

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose() { }

        private sealed class Logger(CapturingProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                string? path = null;
                owner._scopes.ForEachScope((scope, _) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                        foreach (var (key, value) in pairs)
                            if (key == "ActorPath") path = value as string;
                }, (object?)null);
                owner.Entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), path, exception));
            }
        }
    }

    private sealed class Chatty : ReceiveActor
    {
        public Chatty()
        {
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("kaput"));
            Receive<string>(s =>
            {
                Log.LogInformation("got {Text}", s);
                Sender.Tell("logged", Self);
            });
        }
    }

    [Fact]
    public void Actor_logs_and_runtime_logs_carry_the_actor_path_in_their_scope()
    {
        var provider = new CapturingProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        using var kit = new ActorTestKit(settings: new ActorSystemSettings { LoggerFactory = factory });
        var parent = kit.Sys.ActorOf(Props.Create(() => new SupervisorActor(SupervisorStrategy.DefaultStrategy)), "population");
        kit.Send(parent, (Props.Create(() => new Chatty()), "agent-17"));
        var agent = kit.ExpectMsg<IActorRef>();
        kit.Send(agent, "hello");
        kit.ExpectMsg("logged");
        var entry = Assert.Single(provider.Entries, e => e.Message == "got hello");
        Assert.Equal("/user/population/agent-17", entry.ActorPath);
        Assert.Equal(typeof(Chatty).FullName, entry.Category);
        Assert.Equal(LogLevel.Information, entry.Level);

        kit.Send(agent, "fail");
        kit.AwaitCondition(() => provider.Entries.Any(e => e.Exception is InvalidOperationException));
        var failure = provider.Entries.First(e => e.Exception is InvalidOperationException);
        Assert.Equal("/user/population/agent-17", failure.ActorPath);
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.Contains("Restart", failure.Message);

        kit.Sys.DeadLetters.Tell("lost", ActorRefs.NoSender);
        kit.AwaitCondition(() => provider.Entries.Any(e => e.Message.Contains("dead letter", StringComparison.Ordinal)));
        Assert.Equal("/deadLetters", provider.Entries.First(e => e.Message.Contains("dead letter", StringComparison.Ordinal)).ActorPath);
    }

    [Fact]
    public void LoggingEnabled_false_silences_a_strategys_failure_logs()
    {
        var provider = new CapturingProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        using var kit = new ActorTestKit(settings: new ActorSystemSettings { LoggerFactory = factory });
        var parent = kit.Sys.ActorOf(Props.Create(() => new SupervisorActor(new OneForOneStrategy(_ => Directive.Restart) { LoggingEnabled = false })));
        kit.Send(parent, (Props.Create(() => new Chatty()), "c"));
        var child = kit.ExpectMsg<IActorRef>();
        kit.Send(child, "fail");
        kit.Send(child, "after");
        kit.ExpectMsg("logged");
        Assert.DoesNotContain(provider.Entries, e => e.Exception is InvalidOperationException);
    }
}
