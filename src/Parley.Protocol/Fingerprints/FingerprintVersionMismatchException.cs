namespace Parley.Protocol.Fingerprints;

/// <summary>A scanned fingerprint has a different version than ours, so it cannot be compared.</summary>
public sealed class FingerprintVersionMismatchException : ProtocolException
{
    /// <summary>Creates the error with a default message.</summary>
    public FingerprintVersionMismatchException()
        : base("Fingerprint version mismatch.")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public FingerprintVersionMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and the error that caused it.</summary>
    public FingerprintVersionMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the error for two versions.</summary>
    public FingerprintVersionMismatchException(int theirVersion, int ourVersion)
        : base($"Fingerprint version mismatch: theirs {theirVersion}, ours {ourVersion}.")
    {
        TheirVersion = theirVersion;
        OurVersion = ourVersion;
    }

    /// <summary>The scanned fingerprint's version.</summary>
    public int TheirVersion { get; }

    /// <summary>Our fingerprint's version.</summary>
    public int OurVersion { get; }
}
