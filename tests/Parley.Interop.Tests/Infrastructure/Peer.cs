using System.Text.Json.Nodes;
using Parley.Testing.Interop;

namespace Parley.Interop.Tests.Infrastructure;

/// <summary>One party of a scenario: a running driver plus the identity it announced in <c>init</c>.</summary>
public sealed class Peer : IAsyncDisposable
{
    private int _sent;

    private Peer(DriverKind kind, DriverProcess driver, string name, int deviceId, int registrationId, byte[] identityKey, string role)
    {
        Kind = kind;
        Driver = driver;
        Name = name;
        DeviceId = deviceId;
        RegistrationId = registrationId;
        IdentityKey = identityKey;
        Label = $"{role} ({kind})";
    }

    public DriverKind Kind { get; }

    public DriverProcess Driver { get; }

    /// <summary>The address name (a UUID string unless a scenario chose otherwise).</summary>
    public string Name { get; }

    public int DeviceId { get; }

    public int RegistrationId { get; }

    /// <summary>The 33-byte serialized identity public key.</summary>
    public byte[] IdentityKey { get; }

    /// <summary>E.g. "initiator (Parley)".</summary>
    public string Label { get; }

    /// <summary>Starts a driver of <paramref name="kind"/> and sends <c>init</c>.</summary>
    public static async Task<Peer> StartAsync(DriverKind kind, string role, string? name = null, int deviceId = 1)
    {
        var driver = Drivers.Start(kind);
        try
        {
            name ??= Guid.NewGuid().ToString();
            var answer = await driver.RequestOkAsync(new JsonObject { ["cmd"] = "init", ["name"] = name, ["deviceId"] = deviceId });
            Assert.Equal(deviceId, answer.Integer("deviceId"));
            var identityKey = answer.Bytes("identityKey_b64");
            Assert.Equal(33, identityKey.Length);
            Assert.Equal(0x05, identityKey[0]);
            return new Peer(kind, driver, name, deviceId, answer.Integer("registrationId"), identityKey, role);
        }
        catch
        {
            await driver.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh prekey bundle (DESIGN.md §5 <c>bundle</c>).</summary>
    public async Task<JsonObject> BundleAsync(bool oneTimePreKey = true)
    {
        var request = new JsonObject { ["cmd"] = "bundle" };
        if (!oneTimePreKey)
        {
            request["noOneTimePreKey"] = true;
        }

        var bundle = (await Driver.RequestOkAsync(request)).Object("bundle");
        return (JsonObject)bundle.DeepClone();
    }

    public async Task ProcessBundleAsync(Peer owner, JsonObject bundle)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var answer = await Driver.RequestOkAsync(new JsonObject { ["cmd"] = "process_bundle", ["peer"] = owner.Name, ["bundle"] = bundle.DeepClone() });
        Assert.Equal(owner.Name, answer.Text("peer"));
        Assert.Equal(owner.DeviceId, answer.Integer("peerDeviceId"));
    }

    public async Task<Envelope> EncryptAsync(Peer to, byte[] plaintext)
    {
        ArgumentNullException.ThrowIfNull(to);
        var answer = await Driver.RequestOkAsync(new JsonObject
        {
            ["cmd"] = "encrypt",
            ["peer"] = to.Name,
            ["peerDeviceId"] = to.DeviceId,
            ["plaintext_b64"] = Convert.ToBase64String(plaintext),
        });
        return new Envelope(this, to, answer.Integer("type"), answer.Bytes("body_b64"), plaintext, _sent++);
    }

    /// <summary>Decrypts with <c>decrypt</c>; returns the raw answer (ok or not).</summary>
    public Task<JsonObject> TryDecryptAsync(Peer from, int type, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(from);
        return Driver.RequestAsync(new JsonObject
        {
            ["cmd"] = "decrypt",
            ["peer"] = from.Name,
            ["peerDeviceId"] = from.DeviceId,
            ["type"] = type,
            ["body_b64"] = Convert.ToBase64String(body),
        });
    }

    public Task<JsonObject> TryGroupDecryptAsync(Peer from, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(from);
        return Driver.RequestAsync(new JsonObject
        {
            ["cmd"] = "group_decrypt",
            ["peer"] = from.Name,
            ["peerDeviceId"] = from.DeviceId,
            ["body_b64"] = Convert.ToBase64String(body),
        });
    }

    /// <summary><c>fingerprint</c>; passes the other side's scannable form so a driver that supports it compares too.</summary>
    public Task<JsonObject> FingerprintAsync(Peer other, byte[]? theirScannable = null)
    {
        ArgumentNullException.ThrowIfNull(other);
        var request = new JsonObject { ["cmd"] = "fingerprint", ["peer"] = other.Name, ["peerDeviceId"] = other.DeviceId };
        if (theirScannable is not null)
        {
            request["theirScannable_b64"] = Convert.ToBase64String(theirScannable);
        }

        return Driver.RequestOkAsync(request);
    }

    /// <summary><c>session_info</c>, or null when the driver does not offer it (an optional extension).</summary>
    public async Task<SessionSnapshot?> SessionInfoAsync(Peer other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var answer = await Driver.RequestAsync(new JsonObject { ["cmd"] = "session_info", ["peer"] = other.Name, ["peerDeviceId"] = other.DeviceId });
        return answer.IsOk() ? SessionSnapshot.From(answer) : null;
    }

    public async Task<byte[]> SkdmCreateAsync(Guid distributionId) =>
        (await Driver.RequestOkAsync(new JsonObject { ["cmd"] = "skdm_create", ["distributionId"] = distributionId.ToString() })).Bytes("skdm_b64");

    public Task SkdmProcessAsync(Peer from, byte[] skdm)
    {
        ArgumentNullException.ThrowIfNull(from);
        return Driver.RequestOkAsync(new JsonObject
        {
            ["cmd"] = "skdm_process",
            ["peer"] = from.Name,
            ["peerDeviceId"] = from.DeviceId,
            ["skdm_b64"] = Convert.ToBase64String(skdm),
        });
    }

    public async Task<Envelope> GroupEncryptAsync(Guid distributionId, byte[] plaintext)
    {
        var answer = await Driver.RequestOkAsync(new JsonObject
        {
            ["cmd"] = "group_encrypt",
            ["distributionId"] = distributionId.ToString(),
            ["plaintext_b64"] = Convert.ToBase64String(plaintext),
        });
        return new Envelope(this, null, answer.Integer("type"), answer.Bytes("body_b64"), plaintext, _sent++);
    }

    public ValueTask DisposeAsync() => Driver.DisposeAsync();

    public override string ToString() => Label;
}
