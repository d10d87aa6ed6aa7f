namespace Parley.Testing.Interop;

/// <summary>A driver did not keep the JSON-lines contract: it exited, timed out, or answered out of turn.</summary>
public sealed class DriverException : Exception
{
    public DriverException()
    {
    }

    public DriverException(string message)
        : base(message)
    {
    }

    public DriverException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
