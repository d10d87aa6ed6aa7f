using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Client;

/// <summary>
/// Our keys for direct two-peer mode (no relay): what a peer needs to start a session with us. Public data
/// only. <see cref="ToJson"/>/<see cref="FromJson"/> give a strict camelCase JSON form with base64 keys.
/// </summary>
/// <param name="Username">The owner's username.</param>
/// <param name="RegistrationId">The owner's registration id.</param>
/// <param name="DeviceId">The owner's device id.</param>
/// <param name="IdentityKey">Identity key, 33 bytes.</param>
/// <param name="PreKeyId">One-time EC prekey id.</param>
/// <param name="PreKey">One-time EC prekey, 33 bytes.</param>
/// <param name="SignedPreKeyId">Signed EC prekey id.</param>
/// <param name="SignedPreKey">Signed EC prekey, 33 bytes.</param>
/// <param name="SignedPreKeySignature">XEdDSA signature of the signed prekey, 64 bytes.</param>
/// <param name="KyberPreKeyId">One-time Kyber1024 prekey id.</param>
/// <param name="KyberPreKey">Kyber1024 prekey, 1569 bytes.</param>
/// <param name="KyberPreKeySignature">XEdDSA signature of the Kyber prekey, 64 bytes.</param>
public sealed record PeerBundle(
    string Username,
    uint RegistrationId,
    int DeviceId,
    byte[] IdentityKey,
    uint PreKeyId,
    byte[] PreKey,
    uint SignedPreKeyId,
    byte[] SignedPreKey,
    byte[] SignedPreKeySignature,
    uint KyberPreKeyId,
    byte[] KyberPreKey,
    byte[] KyberPreKeySignature)
{
    /// <summary>Largest accepted JSON form.</summary>
    public const int MaxJsonBytes = 16 * 1024;

    /// <summary>The JSON form.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, PeerJson.Default.PeerBundle);

    /// <summary>Parses the JSON form strictly (unknown or missing fields, oversize input rejected).</summary>
    /// <exception cref="ParleyException"><see cref="ParleyErrorCode.InvalidPeerData"/> when it is not a bundle.</exception>
    public static PeerBundle FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxJsonBytes)
        {
            throw new ParleyException(ParleyErrorCode.InvalidPeerData, "The peer bundle is too large.");
        }

        try
        {
            return JsonSerializer.Deserialize(json, PeerJson.Default.PeerBundle)
                ?? throw new ParleyException(ParleyErrorCode.InvalidPeerData, "The peer bundle is empty.");
        }
        catch (JsonException e)
        {
            throw new ParleyException(ParleyErrorCode.InvalidPeerData, "The peer bundle is not valid JSON of the expected shape.", e);
        }
    }

    /// <summary>Ids only.</summary>
    public override string ToString() => $"PeerBundle {{ Username = {Username}, DeviceId = {DeviceId}, SignedPreKeyId = {SignedPreKeyId}, KyberPreKeyId = {KyberPreKeyId} }}";
}

/// <summary>An encrypted message for a direct peer.</summary>
/// <param name="MessageId">The message id (the peer sees the same id).</param>
/// <param name="Type">libsignal message type: 3 (PreKey) until the peer has answered, then 2.</param>
/// <param name="Body">The serialized message.</param>
public sealed record PeerCiphertext(Guid MessageId, int Type, byte[] Body);

/// <summary>The outcome of <see cref="ParleyClient.AcceptPeerBundleAsync"/>.</summary>
/// <param name="Contact">The peer as a contact.</param>
/// <param name="IdentityWarning">Set when the peer's identity key changed and was accepted (unverified contact).</param>
public sealed record PeerSession(Contact Contact, IdentityChanged? IdentityWarning);

/// <summary>Strict JSON for peer-mode DTOs.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    MaxDepth = 4,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(PeerBundle))]
internal sealed partial class PeerJson : JsonSerializerContext;
