using Parley.Crypto.Sodium;

namespace Parley.Crypto.Tests.Sodium;

/// <summary>How Parley finds the system libsodium, and what it says when it cannot.</summary>
public sealed class SodiumLibraryTests
{
    [Fact]
    public void A_missing_library_is_reported_with_every_name_tried_and_how_to_install_it()
    {
        string[] absent = ["libparley-absent-sodium.so.99", "libparley-absent-sodium.dylib"];

        var error = Assert.Throws<SodiumUnavailableException>(() => SodiumLibrary.LoadFirst(absent));

        Assert.Contains("libparley-absent-sodium.so.99, libparley-absent-sodium.dylib", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install libsodium23", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_system_library_loads_from_the_first_name_that_exists()
    {
        // A name that does not exist first, as on a system where only another of the candidates is installed.
        var handle = SodiumLibrary.LoadFirst(["libparley-absent-sodium.so.99", .. SodiumLibrary.CandidateNames]);

        Assert.NotEqual(IntPtr.Zero, handle);
    }
}
