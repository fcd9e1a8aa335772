using Akka.Actor;
using MetaRL.Actors.Population;

namespace MetaRL.Actors.Tests.TestDoubles;

/// <summary>Forwards a population's progress and failure to a TestKit probe, so tests wait with ExpectMsg.</summary>
internal sealed class ProbeObserver(IActorRef probe) : IPopulationObserver
{
    public void OnProgress(PopulationProgress progress) => probe.Tell(progress);

    public void OnFailed(PopulationFailure failure) => probe.Tell(failure);
}
