using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Parley.Testing;

/// <summary>
/// What a test needs from the machine (a program, a kernel feature, a privilege). Implementations have a public
/// parameterless constructor and work out their answer once per process (a static <see cref="Lazy{T}"/>).
/// </summary>
public interface ITestRequirement
{
    /// <summary>Null when this machine meets the requirement, else why not: the printed skip reason.</summary>
    string? UnavailableReason { get; }
}

/// <summary>
/// A fact that is reported skipped, with the reason, when the machine cannot run it: the
/// <see cref="ITestRequirement"/> named by <see cref="Requirement"/> gives the reason. The same mechanism as
/// <c>[PgFact]</c> (<see cref="Postgres.PgTestCase"/>): the skip reason is decided where the test runs, so such a
/// test is never reported as passed without having run.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("Parley.Testing.EnvironmentFactDiscoverer", "Parley.Testing")]
public sealed class EnvironmentFactAttribute(Type requirement) : FactAttribute
{
    /// <summary>A type implementing <see cref="ITestRequirement"/>.</summary>
    public Type Requirement { get; } = requirement;
}

/// <summary>Discovers <see cref="EnvironmentFactAttribute"/> tests as <see cref="EnvironmentTestCase"/>s.</summary>
public sealed class EnvironmentFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        yield return new EnvironmentTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
    }
}

/// <summary>A test case whose skip reason is its requirement's <see cref="ITestRequirement.UnavailableReason"/>.</summary>
public sealed class EnvironmentTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public EnvironmentTestCase()
    {
    }

    public EnvironmentTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay methodDisplay, TestMethodDisplayOptions methodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, methodDisplay, methodDisplayOptions, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(factAttribute);
        var type = factAttribute.GetConstructorArguments().OfType<Type>().SingleOrDefault()
            ?? throw new InvalidOperationException($"[EnvironmentFact] on {TestMethod.Method.Name} names no requirement type");
        if (Activator.CreateInstance(type) is not ITestRequirement requirement)
        {
            throw new InvalidOperationException($"[EnvironmentFact] on {TestMethod.Method.Name}: {type.Name} is not an {nameof(ITestRequirement)}");
        }

        return requirement.UnavailableReason ?? base.GetSkipReason(factAttribute);
    }
}
