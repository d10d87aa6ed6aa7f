using Parley.Testing.Interop;

namespace Parley.Interop.Tests.Infrastructure;

/// <summary>Class fixture: installs the Node harness (npm ci) once per test run before any driver starts.</summary>
public sealed class InteropEnvironment
{
    public InteropEnvironment()
    {
        NodeHarness.EnsureInstalled();
    }
}
