using System.Security.Cryptography;
using Parley.Testing;

namespace Parley.EndToEnd.Tests.Harness;

/// <summary>
/// For <c>[EnvironmentFact(typeof(NetworkNamespaceRequirement))]</c>: network namespaces can be made and entered
/// here (root, a kernel that allows them, iproute2). Checked once per process with a namespace that is deleted again.
/// </summary>
public sealed class NetworkNamespaceRequirement : ITestRequirement
{
    private static readonly Lazy<string?> Reason = new(() => NetworkLab.UnavailableReasonAsync().GetAwaiter().GetResult());

    public string? UnavailableReason => Reason.Value;
}

/// <summary>
/// Three network namespaces — a relay and two clients — joined by veth pairs with 10.x addresses, so the
/// clients reach the relay by a real address as on separate machines. Client A's link is 10.N.1.0/24, client
/// B's 10.N.2.0/24; the relay holds .1 on both. Everything is deleted on dispose, even after a failure.
/// </summary>
public sealed class NetworkLab : IAsyncDisposable
{
    private readonly List<string> _namespaces = [];

    private NetworkLab(string id, int subnet)
    {
        Id = id;
        Subnet = subnet;
        RelayNamespace = $"plr-{id}";
        ClientANamespace = $"pla-{id}";
        ClientBNamespace = $"plb-{id}";
    }

    public string Id { get; }

    public int Subnet { get; }

    public string RelayNamespace { get; }

    public string ClientANamespace { get; }

    public string ClientBNamespace { get; }

    /// <summary>The relay's address as client A sees it.</summary>
    public string RelayAddressForA => $"10.{Subnet}.1.1";

    /// <summary>The relay's address as client B sees it.</summary>
    public string RelayAddressForB => $"10.{Subnet}.2.1";

    /// <summary>The command prefix that runs a program inside a namespace.</summary>
    public static IReadOnlyList<string> In(string name) => ["ip", "netns", "exec", name];

    /// <summary>Null when network namespaces work here, else why not: makes, enters and deletes one namespace.</summary>
    public static async Task<string?> UnavailableReasonAsync()
    {
        var probe = "plp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var (code, _, error) = await Shell.RunAsync("ip", "netns", "add", probe).ConfigureAwait(false);
        if (code != 0)
        {
            return $"network namespaces are not permitted here (ip netns add: {error.Trim()})";
        }

        try
        {
            var (upCode, _, upError) = await Shell.RunAsync("ip", "netns", "exec", probe, "ip", "link", "set", "lo", "up").ConfigureAwait(false);
            return upCode == 0 ? null : $"ip netns exec does not work here ({upError.Trim()})";
        }
        finally
        {
            await Shell.RunAsync("ip", "netns", "del", probe).ConfigureAwait(false);
        }
    }

    /// <summary>Builds the lab, or returns why it cannot be built here (not root, no netns support).</summary>
    public static async Task<(NetworkLab? Lab, string? Reason)> TryCreateAsync()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var lab = new NetworkLab(id, 100 + RandomNumberGenerator.GetInt32(100));
        try
        {
            var reason = await lab.BuildAsync().ConfigureAwait(false);
            if (reason is null)
            {
                return (lab, null);
            }

            await lab.DisposeAsync().ConfigureAwait(false);
            return (null, reason);
        }
        catch
        {
            await lab.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Deleting a namespace deletes the veth ends inside it, and with them their peers.
        foreach (var name in _namespaces)
        {
            await Shell.RunAsync("ip", "netns", "del", name).ConfigureAwait(false);
        }

        _namespaces.Clear();
    }

    private async Task<string?> BuildAsync()
    {
        foreach (var name in new[] { RelayNamespace, ClientANamespace, ClientBNamespace })
        {
            var (code, _, error) = await Shell.RunAsync("ip", "netns", "add", name).ConfigureAwait(false);
            if (code != 0)
            {
                return $"network namespaces are not permitted here (ip netns add: {error.Trim()})";
            }

            _namespaces.Add(name);
            var (upCode, _, upError) = await Shell.RunAsync("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up").ConfigureAwait(false);
            if (upCode != 0)
            {
                return $"ip netns exec does not work here ({upError.Trim()})";
            }
        }

        await LinkAsync(ClientANamespace, "a", 1).ConfigureAwait(false);
        await LinkAsync(ClientBNamespace, "b", 2).ConfigureAwait(false);
        return null;
    }

    private async Task LinkAsync(string client, string letter, int net)
    {
        var relayEnd = $"pl{Id}{letter}r";
        var clientEnd = $"pl{Id}{letter}c";
        await CheckAsync("ip", "link", "add", relayEnd, "netns", RelayNamespace, "type", "veth", "peer", "name", clientEnd, "netns", client).ConfigureAwait(false);
        await CheckAsync("ip", "-n", RelayNamespace, "addr", "add", $"10.{Subnet}.{net}.1/24", "dev", relayEnd).ConfigureAwait(false);
        await CheckAsync("ip", "-n", client, "addr", "add", $"10.{Subnet}.{net}.2/24", "dev", clientEnd).ConfigureAwait(false);
        await CheckAsync("ip", "-n", RelayNamespace, "link", "set", relayEnd, "up").ConfigureAwait(false);
        await CheckAsync("ip", "-n", client, "link", "set", clientEnd, "up").ConfigureAwait(false);
    }

    private static async Task CheckAsync(params string[] arguments)
    {
        var (code, output, error) = await Shell.RunAsync(arguments[0], arguments[1..]).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', arguments)} failed ({code}): {error}{output}");
        }
    }
}
