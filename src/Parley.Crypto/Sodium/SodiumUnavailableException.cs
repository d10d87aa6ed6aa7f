namespace Parley.Crypto.Sodium;

/// <summary>The system libsodium could not be loaded or initialised.</summary>
public sealed class SodiumUnavailableException : Exception
{
    public SodiumUnavailableException()
        : this("libsodium is not available.")
    {
    }

    public SodiumUnavailableException(string message)
        : base(message)
    {
    }

    public SodiumUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
