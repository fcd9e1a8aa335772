using Akka.Actor;

namespace MetaRL.Actors;

/// <summary>
/// <see cref="Props"/> from a plain factory delegate, through Akka's <see cref="IIndirectActorProducer"/>.
/// Akka's <c>Props.Create(() => new T(…))</c> takes an expression tree and evaluates its arguments by reflection
/// for every Props, which a population of a million agents feels, and an expression cannot hold a statement
/// (a task actor's factory counts its incarnations). The factory runs again for every restart.
/// </summary>
public static class FactoryProps
{
    public static Props Create<TActor>(Func<TActor> factory) where TActor : ActorBase => Props.CreateBy(new Producer<TActor>(factory));

    private sealed class Producer<TActor>(Func<TActor> factory) : IIndirectActorProducer where TActor : ActorBase
    {
        public Type ActorType => typeof(TActor);

        public ActorBase Produce() => factory();

        public void Release(ActorBase actor) { }
    }
}
