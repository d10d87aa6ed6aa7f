using Parley.Contracts.Keys;

namespace Parley.Server.Keys;

/// <summary>The prekey directory. Keys are opaque bytes to the relay.</summary>
internal interface IKeyDirectory
{
    /// <summary>Replaces the signed / last-resort keys given and adds the one-time keys given, atomically.</summary>
    Task<KeyUploadOutcome> UploadAsync(DeviceAddress device, UploadKeysRequest keys, int maxOneTimePreKeysPerKind, CancellationToken cancellationToken);

    /// <summary>
    /// One bundle per device of the account. Each one-time key returned is removed in the same transaction,
    /// so no key is ever handed out twice, however many callers race.
    /// </summary>
    Task<IReadOnlyList<DevicePreKeyBundle>> ClaimBundlesAsync(long accountId, CancellationToken cancellationToken);

    /// <summary>The device's remaining one-time keys.</summary>
    Task<PreKeyCountResponse> CountAsync(DeviceAddress device, CancellationToken cancellationToken);
}

/// <summary>How a key upload ended.</summary>
internal enum KeyUploadOutcome
{
    /// <summary>Committed.</summary>
    Stored,

    /// <summary>The device no longer exists; nothing changed.</summary>
    DeviceNotFound,

    /// <summary>The device would hold more one-time keys than allowed; nothing changed.</summary>
    TooManyOneTimePreKeys,
}
