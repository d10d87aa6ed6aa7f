using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Parley.Protocol;
using Parley.Protocol.Keys;
using Parley.Protocol.Records;

namespace Parley.Cli.Interop;

/// <summary><c>init</c>, <c>bundle</c> and <c>export_keys</c>: the identity and fresh pre-keys.</summary>
internal static class SetupCommands
{
    public static ValueTask<JsonObject> InitAsync(InteropContext context, InteropRequest request)
    {
        if (context.Party is not null)
        {
            throw new InteropRequestException("already initialised");
        }

        var name = request.RequireString("name");
        var deviceId = (int)request.Integer("deviceId", ProtocolAddress.MinDeviceId, ProtocolAddress.MaxDeviceId, 1);
        var registrationId = (uint)request.Integer("registrationId", 0, uint.MaxValue, RandomNumberGenerator.GetInt32(1, 16381));
        var party = new InteropParty(name, deviceId, registrationId);
        context.Party = party;
        return ValueTask.FromResult(new JsonObject
        {
            ["registrationId"] = registrationId,
            ["identityKey_b64"] = Convert.ToBase64String(party.Identity.IdentityKey.Serialize()),
            ["deviceId"] = deviceId,
        });
    }

    /// <summary>Fresh keys each call: a one-time pre-key (unless <c>noOneTimePreKey</c>), a signed pre-key and a last-resort Kyber pre-key.</summary>
    public static async ValueTask<JsonObject> BundleAsync(InteropContext context, InteropRequest request, CancellationToken cancellationToken)
    {
        var party = context.RequireParty();
        var noOneTimePreKey = request.Boolean("noOneTimePreKey", false);
        var now = DateTimeOffset.UtcNow;

        PreKeyRecord? oneTime = null;
        if (!noOneTimePreKey)
        {
            oneTime = PreKeyRecord.Generate(party.NextPreKeyId++);
            party.IssuedPreKeyIds.Add(oneTime.Id);
            await party.Store.StorePreKeyAsync(oneTime.Id, oneTime, cancellationToken).ConfigureAwait(false);
        }

        var signed = SignedPreKeyRecord.Generate(party.NextSignedPreKeyId++, party.Identity, now);
        await party.Store.StoreSignedPreKeyAsync(signed.Id, signed, cancellationToken).ConfigureAwait(false);
        var kyber = KyberPreKeyRecord.Generate(party.NextKyberPreKeyId++, party.Identity, now);
        await party.Store.KyberPreKeys.StoreLastResortKyberPreKeyAsync(kyber.Id, kyber, cancellationToken).ConfigureAwait(false);

        return new JsonObject
        {
            ["bundle"] = new JsonObject
            {
                ["registrationId"] = party.RegistrationId,
                ["deviceId"] = party.Address.DeviceId,
                ["identityKey_b64"] = Convert.ToBase64String(party.Identity.IdentityKey.Serialize()),
                ["preKeyId"] = oneTime?.Id,
                ["preKey_b64"] = oneTime is null ? null : Convert.ToBase64String(oneTime.KeyPair.PublicKey.Serialize()),
                ["signedPreKeyId"] = signed.Id,
                ["signedPreKey_b64"] = Convert.ToBase64String(signed.KeyPair.PublicKey.Serialize()),
                ["signedPreKeySignature_b64"] = Convert.ToBase64String(signed.Signature.Span),
                ["kyberPreKeyId"] = kyber.Id,
                ["kyberPreKey_b64"] = Convert.ToBase64String(kyber.KeyPair.PublicKey.Serialize()),
                ["kyberPreKeySignature_b64"] = Convert.ToBase64String(kyber.Signature.Span),
            },
        };
    }

    /// <summary>Every private key the driver holds, in the shape of the offline transcripts' <c>bobKeys</c>.</summary>
    public static async ValueTask<JsonObject> ExportKeysAsync(InteropContext context, CancellationToken cancellationToken)
    {
        var party = context.RequireParty();
        var preKeys = new JsonArray();
        foreach (var id in party.IssuedPreKeyIds)
        {
            if (await party.Store.LoadPreKeyAsync(id, cancellationToken).ConfigureAwait(false) is { } record)
            {
                preKeys.Add(new JsonObject
                {
                    ["id"] = id,
                    ["private_b64"] = Convert.ToBase64String(record.KeyPair.PrivateKey.Serialize()),
                    ["public_b64"] = Convert.ToBase64String(record.KeyPair.PublicKey.Serialize()),
                    ["record_b64"] = Convert.ToBase64String(record.Serialize()),
                });
            }
        }

        var signedPreKeys = new JsonArray();
        for (uint id = 1; id < party.NextSignedPreKeyId; id++)
        {
            if (await party.Store.LoadSignedPreKeyAsync(id, cancellationToken).ConfigureAwait(false) is { } record)
            {
                signedPreKeys.Add(new JsonObject
                {
                    ["id"] = id,
                    ["private_b64"] = Convert.ToBase64String(record.KeyPair.PrivateKey.Serialize()),
                    ["public_b64"] = Convert.ToBase64String(record.KeyPair.PublicKey.Serialize()),
                    ["signature_b64"] = Convert.ToBase64String(record.Signature.Span),
                    ["record_b64"] = Convert.ToBase64String(record.Serialize()),
                });
            }
        }

        var kyberPreKeys = new JsonArray();
        for (uint id = 1; id < party.NextKyberPreKeyId; id++)
        {
            if (await party.Store.LoadKyberPreKeyAsync(id, cancellationToken).ConfigureAwait(false) is { } record)
            {
                kyberPreKeys.Add(new JsonObject
                {
                    ["id"] = id,
                    ["secret_b64"] = Convert.ToBase64String(record.KeyPair.SecretKey.Serialize()),
                    ["public_b64"] = Convert.ToBase64String(record.KeyPair.PublicKey.Serialize()),
                    ["signature_b64"] = Convert.ToBase64String(record.Signature.Span),
                    ["record_b64"] = Convert.ToBase64String(record.Serialize()),
                });
            }
        }

        return new JsonObject
        {
            ["name"] = party.Address.Name,
            ["deviceId"] = party.Address.DeviceId,
            ["registrationId"] = party.RegistrationId,
            ["identityPrivate_b64"] = Convert.ToBase64String(party.Identity.PrivateKey.Serialize()),
            ["identityKey_b64"] = Convert.ToBase64String(party.Identity.IdentityKey.Serialize()),
            ["identityKeyPair_b64"] = Convert.ToBase64String(party.Identity.Serialize()),
            ["preKeys"] = preKeys,
            ["signedPreKeys"] = signedPreKeys,
            ["kyberPreKeys"] = kyberPreKeys,
        };
    }
}
