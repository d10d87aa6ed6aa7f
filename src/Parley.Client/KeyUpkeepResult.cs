namespace Parley.Client;

/// <summary>The outcome of <see cref="ParleyClient.RunKeyUpkeepAsync"/>.</summary>
/// <param name="OneTimePreKeysOnRelay">One-time EC prekeys the relay held before this run.</param>
/// <param name="OneTimeKyberPreKeysOnRelay">One-time Kyber prekeys the relay held before this run.</param>
/// <param name="OneTimePreKeysUploaded">One-time EC prekeys uploaded.</param>
/// <param name="OneTimeKyberPreKeysUploaded">One-time Kyber prekeys uploaded.</param>
/// <param name="SignedPreKeyRotated">A new signed EC prekey was made current.</param>
/// <param name="LastResortKyberPreKeyRotated">A new last-resort Kyber prekey was made current.</param>
/// <param name="OldKeysRemoved">Replaced signed or last-resort prekeys deleted after their grace period.</param>
public sealed record KeyUpkeepResult(
    int OneTimePreKeysOnRelay,
    int OneTimeKyberPreKeysOnRelay,
    int OneTimePreKeysUploaded,
    int OneTimeKyberPreKeysUploaded,
    bool SignedPreKeyRotated,
    bool LastResortKyberPreKeyRotated,
    int OldKeysRemoved);
