using System.Text.Json.Nodes;
using Parley.Protocol;
using Parley.Protocol.Groups;
using Parley.Protocol.Keys;
using Parley.Protocol.Messages;

namespace Parley.Cli.Interop;

/// <summary><c>process_bundle</c>, <c>encrypt</c>, <c>decrypt</c> and <c>session_info</c>: the 1:1 sessions.</summary>
internal static class SessionCommands
{
    public static async ValueTask<JsonObject> ProcessBundleAsync(InteropContext context, InteropRequest request, CancellationToken cancellationToken)
    {
        var party = context.RequireParty();
        var bundle = ParseBundle(new InteropRequest(request.RequireObject("bundle")));
        var address = party.PeerAddress(request, bundle.DeviceId);
        await SessionBuilder.ProcessPreKeyBundleAsync(bundle, address, party.Store, party.Store, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new JsonObject { ["peer"] = address.Name, ["peerDeviceId"] = address.DeviceId };
    }

    public static async ValueTask<JsonObject> EncryptAsync(InteropContext context, InteropRequest request, CancellationToken cancellationToken)
    {
        var party = context.RequireParty();
        var plaintext = request.RequireBytes("plaintext_b64");
        var address = party.PeerAddress(request);
        var message = await SessionCipher.EncryptAsync(plaintext, address, party.Address, party.Store, party.Store, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new JsonObject { ["type"] = (int)message.Type, ["body_b64"] = Convert.ToBase64String(message.Serialized.Span) };
    }

    public static async ValueTask<JsonObject> DecryptAsync(InteropContext context, InteropRequest request, CancellationToken cancellationToken)
    {
        var party = context.RequireParty();
        var type = request.Integer("type", 0, 255);
        var body = request.RequireBytes("body_b64");
        var address = party.PeerAddress(request);
        var store = party.Store;
        var plaintext = (CiphertextMessageType)type switch
        {
            CiphertextMessageType.Whisper => await SessionCipher.DecryptSignalMessageAsync(
                SignalMessage.Deserialize(body), address, party.Address, store, store, cancellationToken: cancellationToken).ConfigureAwait(false),
            CiphertextMessageType.PreKey => await SessionCipher.DecryptPreKeyMessageAsync(
                PreKeySignalMessage.Deserialize(body), address, party.Address, store, store, store, store, store, cancellationToken: cancellationToken).ConfigureAwait(false),
            CiphertextMessageType.SenderKey => await GroupCipher.DecryptAsync(address, SenderKeyMessage.Deserialize(body), store, cancellationToken).ConfigureAwait(false),
            _ => throw new InteropRequestException($"type must be 2, 3 or 7, not {type}"),
        };
        return new JsonObject { ["plaintext_b64"] = Convert.ToBase64String(plaintext) };
    }

    /// <summary>Whether a session exists, its shape, the record and a digest of every store (to prove "nothing changed").</summary>
    public static async ValueTask<JsonObject> SessionInfoAsync(InteropContext context, InteropRequest request, CancellationToken cancellationToken)
    {
        var party = context.RequireParty();
        var address = party.PeerAddress(request);
        var withRecord = request.Boolean("withRecord", true);
        var record = await party.Store.LoadSessionAsync(address, cancellationToken).ConfigureAwait(false);
        var peerIdentity = await party.Store.GetIdentityAsync(address, cancellationToken).ConfigureAwait(false);
        var answer = new JsonObject
        {
            ["peer"] = address.Name,
            ["peerDeviceId"] = address.DeviceId,
            ["hasSession"] = record is not null,
            ["hasCurrentState"] = record?.HasUsableSenderChain(DateTimeOffset.UtcNow) ?? false,
            ["sessionVersion"] = record?.SessionVersion,
            ["archivedStates"] = record?.ArchivedStateCount ?? 0,
            ["peerIdentityKey_b64"] = peerIdentity is null ? null : Convert.ToBase64String(peerIdentity.Serialize()),
            ["stateDigest_b64"] = Convert.ToBase64String(party.Store.ComputeStateDigest()),
        };
        if (record?.HasCurrentState == true)
        {
            answer["localRegistrationId"] = record.LocalRegistrationId;
            answer["remoteRegistrationId"] = record.RemoteRegistrationId;
        }

        if (record is not null && withRecord)
        {
            answer["record_b64"] = Convert.ToBase64String(record.Serialize());
        }

        return answer;
    }

    private static PreKeyBundle ParseBundle(InteropRequest fields)
    {
        var preKeyIdPresent = fields.Has("preKeyId");
        if (preKeyIdPresent != fields.Has("preKey_b64"))
        {
            throw new InteropRequestException("bundle.preKeyId and bundle.preKey_b64 must both be present or both null");
        }

        return new PreKeyBundle(
            (uint)fields.Integer("registrationId", 0, uint.MaxValue),
            (int)fields.Integer("deviceId", ProtocolAddress.MinDeviceId, ProtocolAddress.MaxDeviceId),
            preKeyIdPresent ? (uint)fields.Integer("preKeyId", 0, uint.MaxValue) : null,
            preKeyIdPresent ? PublicKey(fields, "preKey_b64") : null,
            (uint)fields.Integer("signedPreKeyId", 0, uint.MaxValue),
            PublicKey(fields, "signedPreKey_b64"),
            fields.RequireBytes("signedPreKeySignature_b64"),
            new IdentityKey(PublicKey(fields, "identityKey_b64")),
            (uint)fields.Integer("kyberPreKeyId", 0, uint.MaxValue),
            KemPublicKey.Deserialize(fields.RequireBytes("kyberPreKey_b64")),
            fields.RequireBytes("kyberPreKeySignature_b64"));
    }

    private static EcPublicKey PublicKey(InteropRequest fields, string field) => EcPublicKey.Deserialize(fields.RequireBytes(field));
}
