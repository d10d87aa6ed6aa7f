using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Client.Storage;

/// <summary>Who we are on the relay. The device password is a secret (it only lives sealed).</summary>
internal sealed record AccountEntry(string Username, int DeviceId, uint RegistrationId, string? RelayUrl, byte[]? Password, long CreatedAtMs);

/// <summary>Prekey id counters and rotation times.</summary>
internal sealed record KeyCountersEntry(
    uint NextPreKeyId, uint NextKyberPreKeyId, uint NextSignedPreKeyId, uint CurrentSignedPreKeyId, uint CurrentLastResortKyberPreKeyId, long SignedRotatedAtMs, long LastResortRotatedAtMs);

/// <summary>A contact's verification state; <see cref="VerifiedKey"/> is the key whose safety number was confirmed.</summary>
internal sealed record ContactEntry(VerificationState State, byte[]? VerifiedKey, long FirstSeenMs, long? IdentityChangedAtMs);

/// <summary>A signed EC prekey record; <see cref="ReplacedAtMs"/> is set once a newer one is current.</summary>
internal sealed record SignedPreKeyEntry(byte[] Record, long? ReplacedAtMs);

/// <summary>A Kyber prekey record, one-time or last resort.</summary>
internal sealed record KyberPreKeyEntry(byte[] Record, bool LastResort, long? ReplacedAtMs);

/// <summary>An envelope id already processed.</summary>
internal sealed record ReceivedEntry(long ReceivedAtMs);

/// <summary>One message of the history.</summary>
internal sealed record MessageEntry(string Text, long SentAtMs, long? ReceivedAtMs, int? FromDevice, DeliveryState? Delivery, IReadOnlyList<DeviceDelivery>? Devices, Guid? EnvelopeId = null);

/// <summary>A prepared ciphertext for one recipient device.</summary>
internal sealed record PreparedEnvelope(int DeviceId, int Type, byte[] Body);

/// <summary>
/// An outgoing message not yet accepted by the relay: its encoded content, and once encrypted, the envelopes
/// (kept so a resend after a crash or outage is byte-identical and reuses the message id).
/// </summary>
/// <param name="Content">The encoded content.</param>
/// <param name="SentAtMs">The sender's timestamp.</param>
/// <param name="Envelopes">The prepared ciphertexts, once encrypted.</param>
/// <param name="Attempts">How many times it was prepared.</param>
/// <param name="SubmissionId">The id the relay sees, when it differs from the message id (an automatic resend
/// after the recipient reset the session must not be taken for a retry of the first submission).</param>
internal sealed record OutboxEntry(byte[] Content, long SentAtMs, IReadOnlyList<PreparedEnvelope>? Envelopes, int Attempts, Guid? SubmissionId = null);

/// <summary>Source-generated JSON for sealed cells.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    MaxDepth = 8,
    RespectNullableAnnotations = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(AccountEntry))]
[JsonSerializable(typeof(KeyCountersEntry))]
[JsonSerializable(typeof(ContactEntry))]
[JsonSerializable(typeof(SignedPreKeyEntry))]
[JsonSerializable(typeof(KyberPreKeyEntry))]
[JsonSerializable(typeof(ReceivedEntry))]
[JsonSerializable(typeof(MessageEntry))]
[JsonSerializable(typeof(OutboxEntry))]
internal sealed partial class StoreJson : JsonSerializerContext;
