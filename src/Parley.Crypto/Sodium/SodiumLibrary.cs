using System.Reflection;
using System.Runtime.InteropServices;

namespace Parley.Crypto.Sodium;

/// <summary>Loads the system libsodium once and initialises it.</summary>
/// <remarks>
/// Parley binds the operating system's libsodium (Debian <c>libsodium23</c>) instead of shipping a copy:
/// the distribution patches it and the NuGet mirror has no packaged build.
/// </remarks>
internal static class SodiumLibrary
{
    internal const string Name = "libsodium";

    private static readonly string[] Candidates =
    [
        "libsodium.so.23",
        "libsodium.so",
        "libsodium.dylib",
        "libsodium.23.dylib",
        "libsodium.dll",
    ];

    private static readonly Lazy<bool> Initialised = new(Initialise, LazyThreadSafetyMode.ExecutionAndPublication);

    static SodiumLibrary()
    {
        NativeLibrary.SetDllImportResolver(typeof(SodiumLibrary).Assembly, Resolve);
    }

    /// <summary>Throws <see cref="SodiumUnavailableException"/> unless libsodium is loaded and initialised.</summary>
    internal static void EnsureInitialised() => _ = Initialised.Value;

    /// <summary>The file names tried, in order.</summary>
    internal static IReadOnlyList<string> CandidateNames => Candidates;

    /// <summary>
    /// Loads the first of <paramref name="candidates"/> that the system can load, or throws
    /// <see cref="SodiumUnavailableException"/> naming every name tried and how to install libsodium.
    /// </summary>
    internal static IntPtr LoadFirst(IReadOnlyList<string> candidates, DllImportSearchPath? searchPath = null)
    {
        foreach (var candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, typeof(SodiumLibrary).Assembly, searchPath, out var handle))
            {
                return handle;
            }
        }

        throw new SodiumUnavailableException(
            "The system library libsodium was not found (tried " + string.Join(", ", candidates) + "). " +
            "Install it: 'apt-get install libsodium23' on Debian/Ubuntu, 'brew install libsodium' on macOS.");
    }

    private static bool Initialise()
    {
        // Fails with the clear message above before any entry point is bound.
        _ = LoadFirst(Candidates);
        int result;
        try
        {
            result = SodiumNative.sodium_init();
        }
        catch (DllNotFoundException e)
        {
            throw new SodiumUnavailableException("libsodium was found but could not be bound: " + e.Message, e);
        }
        catch (EntryPointNotFoundException e)
        {
            throw new SodiumUnavailableException("The libsodium found on this system is too old: Parley needs 1.0.18 or newer.", e);
        }

        // 0 = initialised now, 1 = already initialised; -1 = failure.
        if (result < 0)
        {
            throw new SodiumUnavailableException("libsodium failed to initialise (sodium_init returned " + result + ").");
        }

        return true;
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Name)
        {
            return IntPtr.Zero;
        }

        try
        {
            return LoadFirst(Candidates, searchPath);
        }
        catch (SodiumUnavailableException)
        {
            // The runtime then raises DllNotFoundException; Initialise reports it with the reason first.
            return IntPtr.Zero;
        }
    }
}
