namespace Parley.Server.Tests.Support;

/// <summary>
/// Tests that measure the process (working set, file descriptors, close deadlines) run in this collection:
/// after the parallel tests and alone, so that other tests' sockets and allocations do not blur the figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IsolatedMeasurements
{
    public const string Name = "Isolated measurements";
}
