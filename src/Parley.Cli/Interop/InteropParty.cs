using Parley.Protocol;
using Parley.Protocol.Keys;
using Parley.Protocol.Stores;

namespace Parley.Cli.Interop;

/// <summary>The driver's whole state: who we are, the in-memory stores, and which device each peer name uses.</summary>
internal sealed class InteropParty
{
    private readonly Dictionary<string, int> _lastDeviceByName = new(StringComparer.Ordinal);

    public InteropParty(string name, int deviceId, uint registrationId)
    {
        Address = new ProtocolAddress(name, deviceId);
        Identity = IdentityKeyPair.Generate();
        RegistrationId = registrationId;
        Store = new InMemoryProtocolStore(Identity, registrationId);
    }

    public ProtocolAddress Address { get; }

    public IdentityKeyPair Identity { get; }

    public uint RegistrationId { get; }

    public InMemoryProtocolStore Store { get; }

    public uint NextPreKeyId { get; set; } = 1;

    public uint NextSignedPreKeyId { get; set; } = 1;

    public uint NextKyberPreKeyId { get; set; } = 1;

    /// <summary>Every id handed out, for export_keys.</summary>
    public List<uint> IssuedPreKeyIds { get; } = [];

    /// <summary>Every peer address the driver has talked to.</summary>
    public HashSet<ProtocolAddress> KnownPeers { get; } = [];

    /// <summary>
    /// The peer's address: device id from <c>peerDeviceId</c>, else the bundle's device id, else the last one used for
    /// that name, else 1. An explicit choice is remembered.
    /// </summary>
    public ProtocolAddress PeerAddress(InteropRequest request, int? bundleDeviceId = null)
    {
        var name = request.RequireString("peer");
        var explicitDevice = request.Has("peerDeviceId") ? (int)request.Integer("peerDeviceId", ProtocolAddress.MinDeviceId, ProtocolAddress.MaxDeviceId) : (int?)null;
        var chosen = explicitDevice ?? bundleDeviceId;
        if (chosen is { } device)
        {
            _lastDeviceByName[name] = device;
        }

        var address = new ProtocolAddress(name, chosen ?? _lastDeviceByName.GetValueOrDefault(name, 1));
        KnownPeers.Add(address);
        return address;
    }
}
