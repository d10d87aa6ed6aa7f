namespace Parley.Protocol;

/// <summary>
/// A message carries a version Parley does not accept: a legacy version below the oldest supported one,
/// or a version newer than the newest Parley knows.
/// </summary>
public sealed class UnsupportedMessageVersionException : InvalidMessageException
{
    /// <summary>Creates the error with a default message.</summary>
    public UnsupportedMessageVersionException()
        : base("Unsupported message version.")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public UnsupportedMessageVersionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and the error that caused it.</summary>
    public UnsupportedMessageVersionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the error for a version number.</summary>
    public UnsupportedMessageVersionException(int version, bool isLegacy)
        : base(isLegacy ? $"Legacy message version {version} is no longer supported." : $"Unrecognized message version {version}.")
    {
        Version = version;
        IsLegacy = isLegacy;
    }

    /// <summary>The version found in the message.</summary>
    public int Version { get; }

    /// <summary>True for versions older than the oldest supported; false for unknown newer versions.</summary>
    public bool IsLegacy { get; }
}
