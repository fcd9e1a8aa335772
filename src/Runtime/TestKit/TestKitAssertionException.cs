namespace MetaRL.Runtime.TestKit;

/// <summary>A TestKit expectation failed (wrong message, no message, too slow…). Any test framework reports it as a failure.</summary>
public sealed class TestKitAssertionException : Exception
{
    public TestKitAssertionException(string message, Exception? inner = null) : base(message, inner) { }
}
