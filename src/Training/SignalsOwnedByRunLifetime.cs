using Microsoft.Extensions.Hosting;

namespace MetaRL.Training;

/// <summary>
/// A host lifetime that leaves SIGINT and SIGTERM to <see cref="TrainRun"/>. The default (console) lifetime stops
/// the host on either signal, and with it the actor system, before the learner could make its last checkpoint
/// durable; the run instead asks for that checkpoint first and then stops the host itself.
/// </summary>
internal sealed class SignalsOwnedByRunLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
