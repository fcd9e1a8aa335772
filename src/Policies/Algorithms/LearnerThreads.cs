namespace MetaRL.Policies.Algorithms;

/// <summary>
/// How a <see cref="PpoTrainer"/> spreads each minibatch step over threads (config key <c>learnerThreads</c>): the
/// minibatch's trials are cut into <paramref name="Threads"/> parts computed at once, each on its own copy of the
/// model, and their gradients are summed. Worth it where the learner has cores to itself, as in a lockstep
/// population, whose agents and batchers idle while it updates.
/// </summary>
/// <param name="Threads">Parts, one thread each (the learner's own thread computes the first).</param>
/// <param name="NewModel">Makes a model of the learner's shape (its parameters are overwritten before each step).</param>
/// <param name="TorchThreads">libtorch intra-op threads of each part's thread.</param>
public sealed record LearnerThreads(int Threads, Func<InContextModel> NewModel, int TorchThreads = 1);
