using System.Text.Json.Nodes;
using Parley.Cli.CommandLine;

namespace Parley.Cli.Commands;

/// <summary><c>parley unregister --yes</c>: delete the account on the relay (keys and mailbox).</summary>
internal sealed class UnregisterCommand : CliCommand
{
    public override CommandSpec Spec { get; } = new()
    {
        Name = "unregister",
        Summary = "delete your account on the relay (the local profile stays readable)",
        Description = """
            Deletes your account, its prekeys and its mailbox on the relay; the name becomes free again. Your local
            profile and history stay. Contacts who verified you will see an identity change if the name is registered
            again with a new profile. Needs --yes.
            """,
        Options = [new("--yes", null, "really delete the account")],
        Examples = [("parley unregister --yes", "leave the relay")],
    };

    public override async Task<int> ExecuteAsync(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Arguments.Has("--yes"))
        {
            throw CliException.Usage("parley unregister: this deletes your account on the relay; add --yes to do it");
        }

        await using var client = await ProfileAccess.OpenAsync(context).ConfigureAwait(false);
        await client.DeleteAccountAsync(context.CancellationToken).ConfigureAwait(false);
        context.Result($"deleted account {client.Username} on {client.RelayUrl}", new JsonObject { ["name"] = client.Username, ["deleted"] = true });
        return ExitCodes.Success;
    }
}
