using Microsoft.AspNetCore.Http;
using Parley.Contracts;
using Parley.Contracts.Accounts;
using Parley.Contracts.Errors;
using Parley.Contracts.Keys;
using Parley.Server.Operations;

namespace Parley.Server.Keys;

/// <summary>
/// Structural checks on uploaded keys: lengths and type bytes only. The relay cannot check XEdDSA signatures
/// (it holds no cryptography by design); clients verify both signatures of every bundle they fetch.
/// </summary>
internal static class KeyValidation
{
    public static ProblemResult? Registration(RegisterAccountRequest request, RelayLimits limits)
    {
        if (request.RegistrationId is < DeviceLimits.MinRegistrationId or > DeviceLimits.MaxRegistrationId)
        {
            return Problems.Validation(ErrorCodes.InvalidRegistrationId, $"registrationId must be {DeviceLimits.MinRegistrationId}..{DeviceLimits.MaxRegistrationId}.");
        }

        return EcKey(request.IdentityKey, "identityKey")
            ?? Keys(request.SignedPreKey, request.LastResortKyberPreKey, request.OneTimePreKeys, request.OneTimeKyberPreKeys, limits);
    }

    public static ProblemResult? Upload(UploadKeysRequest request, RelayLimits limits)
    {
        if (request.SignedPreKey is null && request.LastResortKyberPreKey is null
            && (request.OneTimePreKeys?.Count ?? 0) == 0 && (request.OneTimeKyberPreKeys?.Count ?? 0) == 0)
        {
            return Problems.Validation(ErrorCodes.InvalidKeyUpload, "The upload is empty.");
        }

        return Keys(request.SignedPreKey, request.LastResortKyberPreKey, request.OneTimePreKeys, request.OneTimeKyberPreKeys, limits);
    }

    private static ProblemResult? Keys(
        SignedPreKey? signed, SignedPreKey? lastResort, IReadOnlyList<PreKey>? oneTime, IReadOnlyList<SignedPreKey>? oneTimeKyber, RelayLimits limits)
    {
        if (signed is not null && (EcKey(signed.PublicKey, "signedPreKey.publicKey") ?? Signature(signed.Signature, "signedPreKey.signature")) is { } bad)
        {
            return bad;
        }

        if (lastResort is not null && Kyber(lastResort, "lastResortKyberPreKey") is { } badKyber)
        {
            return badKyber;
        }

        oneTime ??= [];
        oneTimeKyber ??= [];
        if (oneTime.Count > limits.MaxOneTimePreKeysPerUpload || oneTimeKyber.Count > limits.MaxOneTimePreKeysPerUpload)
        {
            return Problems.Validation(ErrorCodes.InvalidKeyUpload, $"At most {limits.MaxOneTimePreKeysPerUpload} one-time prekeys of each kind per upload.");
        }

        if (oneTime.Select(k => k.KeyId).Distinct().Count() != oneTime.Count
            || oneTimeKyber.Select(k => k.KeyId).Distinct().Count() != oneTimeKyber.Count)
        {
            return Problems.Validation(ErrorCodes.InvalidKeyUpload, "A one-time prekey id appears twice in the upload.");
        }

        for (var i = 0; i < oneTime.Count; i++)
        {
            if (EcKey(oneTime[i].PublicKey, $"oneTimePreKeys[{i}].publicKey") is { } badKey)
            {
                return badKey;
            }
        }

        for (var i = 0; i < oneTimeKyber.Count; i++)
        {
            if (Kyber(oneTimeKyber[i], $"oneTimeKyberPreKeys[{i}]") is { } badKey)
            {
                return badKey;
            }
        }

        return null;
    }

    private static ProblemResult? Kyber(SignedPreKey key, string field) =>
        Typed(key.PublicKey, DeviceLimits.KyberPublicKeyBytes, DeviceLimits.KyberKeyType, field + ".publicKey")
        ?? Signature(key.Signature, field + ".signature");

    private static ProblemResult? EcKey(byte[] key, string field) =>
        Typed(key, DeviceLimits.EcPublicKeyBytes, DeviceLimits.EcKeyType, field);

    private static ProblemResult? Typed(byte[] key, int length, byte type, string field) =>
        key.Length == length && key[0] == type
            ? null
            : Problems.Validation(ErrorCodes.InvalidKey, $"{field} must be {length} bytes starting 0x{type:x2}.");

    private static ProblemResult? Signature(byte[] signature, string field) =>
        signature.Length == DeviceLimits.SignatureBytes
            ? null
            : Problems.Validation(ErrorCodes.InvalidKey, $"{field} must be {DeviceLimits.SignatureBytes} bytes.");
}
