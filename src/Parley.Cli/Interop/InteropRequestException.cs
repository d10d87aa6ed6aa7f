namespace Parley.Cli.Interop;

/// <summary>A request was malformed (missing or mistyped field, bad base64, unknown peer): answered with ok:false.</summary>
internal sealed class InteropRequestException : Exception
{
    public InteropRequestException()
    {
    }

    public InteropRequestException(string message)
        : base(message)
    {
    }

    public InteropRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
