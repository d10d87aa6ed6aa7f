using Parley.Cli.Chat;
using Parley.Cli.CommandLine;

namespace Parley.Cli.Commands;

/// <summary><c>parley show [NAME]</c>: our public identity, and with NAME the contact's key and the safety number.</summary>
internal sealed class ShowCommand : CliCommand
{
    public override CommandSpec Spec { get; } = new()
    {
        Name = "show",
        Summary = "show your public identity key, or a contact's key and your safety number",
        Description = """
            Without NAME: your username, device, relay and public identity key. With NAME: also NAME's public identity
            key, the 60-digit safety number you and NAME both see, and whether you verified it. Never shows a secret.
            """,
        Arguments = [new("NAME", "a contact", Required: false)],
        Examples =
        [
            ("parley show", "your own public identity"),
            ("parley show bob", "the safety number to compare with bob"),
            ("parley --json show bob", "{\"name\",\"identityKey\",\"peer\",\"peerIdentityKey\",\"safetyNumber\",\"verified\"}"),
        ],
    };

    public override async Task<int> ExecuteAsync(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var peer = context.Arguments.OptionalPositional(0);
        await using var client = await ProfileAccess.OpenAsync(context).ConfigureAwait(false);
        var summary = await IdentityFacts.SummarizeAsync(client, peer, context.CancellationToken).ConfigureAwait(false);
        if (peer is not null && summary.PeerIdentityKey is null)
        {
            throw new CliException(ExitCodes.NotFound, $"no such contact: no identity key known for '{peer}' yet; send or receive a message first");
        }

        var own = client.GetOwnIdentity();
        var json = ChatText.IdentityJson(summary);
        json["device"] = own.DeviceId;
        json["server"] = own.RelayUrl?.ToString();
        if (peer is null)
        {
            json.Remove("peer");
            json.Remove("peerIdentityKey");
            json.Remove("safetyNumber");
            json.Remove("verified");
        }

        var lines = new List<string>
        {
            $"Name: {own.Username} (device {own.DeviceId})",
            $"Relay: {own.RelayUrl?.ToString() ?? "none (peer-only profile)"}",
        };
        lines.AddRange(peer is null ? [$"Your identity key: {summary.OwnIdentityKey}"] : ChatText.Identity(summary));
        context.Result(string.Join('\n', lines), json);
        return ExitCodes.Success;
    }
}
