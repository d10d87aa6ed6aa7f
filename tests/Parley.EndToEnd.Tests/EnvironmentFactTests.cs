using Parley.Testing;
using Xunit.Sdk;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// [EnvironmentFact]: a test whose machine lacks what it needs is reported skipped with the reason (not passed,
/// not failed); one whose machine has it runs.
/// </summary>
public sealed class EnvironmentFactTests
{
    [Fact]
    public void A_requirement_that_is_not_met_skips_the_test_with_its_reason()
    {
        Assert.Equal("never met: " + nameof(NeverMet), TestCaseFor(nameof(Samples.Needs_what_no_machine_has)).SkipReason);
    }

    [Fact]
    public void A_requirement_that_is_met_runs_the_test()
    {
        Assert.Null(TestCaseFor(nameof(Samples.Needs_nothing)).SkipReason);
    }

    private static EnvironmentTestCase TestCaseFor(string method)
    {
        var assembly = new TestAssembly(Reflector.Wrap(typeof(Samples).Assembly));
        var collection = new TestCollection(assembly, null, "samples");
        var testClass = new TestClass(collection, Reflector.Wrap(typeof(Samples)));
        var testMethod = new TestMethod(testClass, Reflector.Wrap(typeof(Samples).GetMethod(method)!));
        return new EnvironmentTestCase(new NullMessageSink(), TestMethodDisplay.Method, TestMethodDisplayOptions.None, testMethod);
    }

    /// <summary>Abstract, so xUnit never runs these samples itself.</summary>
    public abstract class Samples
    {
        [EnvironmentFact(typeof(NeverMet))]
        public void Needs_what_no_machine_has()
        {
        }

        [EnvironmentFact(typeof(AlwaysMet))]
        public void Needs_nothing()
        {
        }
    }

    public sealed class NeverMet : ITestRequirement
    {
        public string? UnavailableReason => "never met: " + nameof(NeverMet);
    }

    public sealed class AlwaysMet : ITestRequirement
    {
        public string? UnavailableReason => null;
    }
}
