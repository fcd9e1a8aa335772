using Akka.TestKit.Xunit2;
using MetaRL.Actors.Hosting;
using Xunit.Abstractions;

namespace MetaRL.Actors.Tests;

/// <summary>Akka.TestKit with the population's settings (the compute dispatcher), one actor system per test.</summary>
public abstract class ActorsTestKit(ITestOutputHelper output) : TestKit(MetaRlAkka.Config, "metarl-test", output);
