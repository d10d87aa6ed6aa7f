using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Parley.Testing.Postgres;

/// <summary>
/// A fact that is reported skipped, with the reason, when its class is marked <see cref="RequiresPostgresAttribute"/>
/// and PostgreSQL can neither be found (<c>PARLEY_TEST_POSTGRES</c>) nor started. Contract tests declare their
/// facts once in an abstract class; the SQLite subclass runs them always, the PostgreSQL subclass when it can.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("Parley.Testing.Postgres.PgFactDiscoverer", "Parley.Testing")]
public sealed class PgFactAttribute : FactAttribute;

/// <summary>On a test class: its <see cref="PgFactAttribute"/> tests need PostgreSQL.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute;

/// <summary>Discovers <see cref="PgFactAttribute"/> tests as <see cref="PgTestCase"/>s.</summary>
public sealed class PgFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        yield return new PgTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
    }
}

/// <summary>A test case whose skip reason is decided where it runs: PostgreSQL missing for a class that needs it.</summary>
public sealed class PgTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public PgTestCase()
    {
    }

    public PgTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay methodDisplay, TestMethodDisplayOptions methodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, methodDisplay, methodDisplayOptions, testMethod)
    {
    }

    /// <summary>
    /// <c>PARLEY_TEST_REQUIRE_POSTGRES=1</c> (set by <c>.ci/run</c>): never skip; a test that needs PostgreSQL then
    /// fails with the reason instead, so that CI cannot pass without having run them.
    /// </summary>
    public static bool PostgresRequired => Environment.GetEnvironmentVariable("PARLEY_TEST_REQUIRE_POSTGRES") == "1";

    protected override string GetSkipReason(IAttributeInfo factAttribute)
    {
        var needsPostgres = TestMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any();
        return needsPostgres && !PostgresRequired && TestPostgres.UnavailableReason is { } reason
            ? "PostgreSQL unavailable: " + reason
            : base.GetSkipReason(factAttribute);
    }
}
