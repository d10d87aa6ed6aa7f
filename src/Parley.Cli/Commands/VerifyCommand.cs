using Parley.Cli.Chat;
using Parley.Cli.CommandLine;

namespace Parley.Cli.Commands;

/// <summary><c>parley verify NAME</c>: mark a contact verified after comparing the safety number.</summary>
internal sealed class VerifyCommand : CliCommand
{
    public override CommandSpec Spec { get; } = new()
    {
        Name = "verify",
        Summary = "mark NAME verified after comparing the safety number (see parley show NAME)",
        Description = """
            Compare the 60-digit safety number of `parley show NAME` with NAME in person or on a call, then run this.
            With --number DIGITS it verifies only if DIGITS are the current safety number (exit 8 otherwise).
            If a verified contact's identity key later changes, sending to them is refused (exit 7) until you verify
            the new number; --unverify instead accepts the new key without verifying it.
            """,
        Arguments = [new("NAME", "the contact")],
        Options =
        [
            new("--number", "DIGITS", "the safety number you compared (spaces allowed); checked before marking"),
            new("--unverify", null, "mark NAME unverified (accept a changed key without verifying)"),
        ],
        Examples =
        [
            ("parley verify bob", "after comparing the number shown by `parley show bob`"),
            ("parley verify bob --number '12345 67890 …'", "verify only if the digits match"),
        ],
    };

    public override async Task<int> ExecuteAsync(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var peer = context.Arguments.Positional(0);
        await using var client = await ProfileAccess.OpenAsync(context).ConfigureAwait(false);
        if (context.Arguments.Has("--unverify"))
        {
            await client.Contacts.MarkUnverifiedAsync(peer, context.CancellationToken).ConfigureAwait(false);
        }
        else if (!await client.Contacts.VerifyAsync(peer, context.Arguments.Value("--number"), context.CancellationToken).ConfigureAwait(false))
        {
            throw new CliException(ExitCodes.Rejected, $"that is not the safety number with {peer}: nothing changed; compare again with `parley show {peer}`");
        }

        var summary = await IdentityFacts.SummarizeAsync(client, peer, context.CancellationToken).ConfigureAwait(false);
        context.Result(
            summary.Verified
                ? $"{peer} is verified (safety number {ChatText.GroupDigits(summary.SafetyNumber!)})"
                : $"{peer} is not verified",
            ChatText.IdentityJson(summary));
        return ExitCodes.Success;
    }
}
