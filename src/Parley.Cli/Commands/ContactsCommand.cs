using System.Globalization;
using System.Text.Json.Nodes;
using Parley.Cli.CommandLine;
using Parley.Client;

namespace Parley.Cli.Commands;

/// <summary><c>parley contacts</c>: everyone this profile has exchanged keys with, and their verification state.</summary>
internal sealed class ContactsCommand : CliCommand
{
    public override CommandSpec Spec { get; } = new()
    {
        Name = "contacts",
        Summary = "list contacts with their verification state",
        Description = "Lists every contact: name, state (unverified, verified, changed = key changed after you verified it; sending blocked) and public identity key.",
        Examples = [("parley contacts", "who you have talked to"), ("parley --json contacts", "{\"name\",\"state\",\"identityKey\",\"firstSeen\",\"identityChangedAt\"} per line")],
    };

    public override async Task<int> ExecuteAsync(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var client = await ProfileAccess.OpenAsync(context).ConfigureAwait(false);
        var contacts = await client.Contacts.ListAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var contact in contacts)
        {
            var state = contact.Verification switch
            {
                VerificationState.Verified => "verified",
                VerificationState.ChangedAfterVerification => "changed",
                _ => "unverified",
            };
            context.Result(
                $"{contact.Username,-20} {state,-10} {IdentityFacts.Key(contact.IdentityKey)}",
                new JsonObject
                {
                    ["name"] = contact.Username,
                    ["state"] = state,
                    ["identityKey"] = IdentityFacts.Key(contact.IdentityKey),
                    ["firstSeen"] = contact.FirstSeen.ToString("o", CultureInfo.InvariantCulture),
                    ["identityChangedAt"] = contact.IdentityChangedAt?.ToString("o", CultureInfo.InvariantCulture),
                });
        }

        context.Info(contacts.Count == 0 ? "no contacts yet" : $"{contacts.Count} contact{(contacts.Count == 1 ? "" : "s")}");
        return ExitCodes.Success;
    }
}
