using System.Text.Json;
using Parley.Protocol.Keys;
using Parley.Protocol.Records;
using Parley.Protocol.Stores;

namespace Parley.Protocol.Tests.Support;

/// <summary>Stores rebuilt from a driver's <c>export_keys</c> answer (interop/README.md); Kyber pre-keys as last resort.</summary>
internal static class ExportedKeys
{
    public static InMemoryProtocolStore ToStore(JsonElement keys)
    {
        var identity = new IdentityKeyPair(
            IdentityKey.Deserialize(B64(keys, "identityKey_b64")),
            EcPrivateKey.Deserialize(B64(keys, "identityPrivate_b64")));
        var store = new InMemoryProtocolStore(identity, keys.GetProperty("registrationId").GetUInt32());
        foreach (var preKey in keys.GetProperty("preKeys").EnumerateArray())
        {
            var record = PreKeyRecord.Deserialize(B64(preKey, "record_b64"));
            store.StorePreKeyAsync(record.Id, record, default).AsTask().GetAwaiter().GetResult();
        }

        foreach (var signed in keys.GetProperty("signedPreKeys").EnumerateArray())
        {
            var record = SignedPreKeyRecord.Deserialize(B64(signed, "record_b64"));
            store.StoreSignedPreKeyAsync(record.Id, record, default).AsTask().GetAwaiter().GetResult();
        }

        foreach (var kyber in keys.GetProperty("kyberPreKeys").EnumerateArray())
        {
            var record = KyberPreKeyRecord.Deserialize(B64(kyber, "record_b64"));
            store.KyberPreKeys.StoreLastResortKyberPreKeyAsync(record.Id, record, default).AsTask().GetAwaiter().GetResult();
        }

        return store;
    }

    public static byte[] B64(JsonElement element, string property) => Convert.FromBase64String(element.GetProperty(property).GetString()!);
}
