namespace Parley.Client.Storage;

/// <summary>
/// A stored value failed authentication, or the store's structure is not what this profile wrote.
/// Internal: <see cref="ProfileDatabase"/> turns it into <see cref="ParleyErrorCode.StoreTampered"/>.
/// </summary>
internal sealed class StoreIntegrityException : Exception
{
    public StoreIntegrityException()
        : base("The profile store failed an integrity check.")
    {
    }

    public StoreIntegrityException(string message)
        : base(message)
    {
    }

    public StoreIntegrityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
