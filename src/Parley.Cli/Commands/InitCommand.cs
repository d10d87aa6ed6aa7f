using System.Text.Json.Nodes;
using Parley.Cli.CommandLine;

namespace Parley.Cli.Commands;

/// <summary><c>parley init --server URL --name NAME</c>: create the profile and register with the relay.</summary>
internal sealed class InitCommand : CliCommand
{
    public override CommandSpec Spec { get; } = new()
    {
        Name = "init",
        Summary = "create your profile (identity and prekeys) and register a name with a relay",
        Description = """
            Creates a profile: an identity key, a signed prekey, a Kyber1024 last-resort prekey and one-time prekeys,
            encrypted at rest with your passphrase (PARLEY_PASSPHRASE, else asked twice). With --server it registers
            NAME with that relay and uploads the public keys. Without --server it creates a peer-only profile for
            `parley peer` (direct mode, no relay).
            """,
        Options =
        [
            new("--server", "URL", "the relay, e.g. http://127.0.0.1:8080 (omit for a peer-only profile)"),
            new("--name", "NAME", "your username: 3-32 of a-z, 0-9, _ starting with a letter"),
        ],
        Examples =
        [
            ("parley init --server http://127.0.0.1:8080 --name alice", "create ~/.local/share/parley and register alice"),
            ("PARLEY_HOME=~/bob parley init --server http://relay.example:8080 --name bob", "a second identity in its own folder"),
            ("parley --profile ./p init --name carol", "a peer-only profile for parley peer"),
        ],
    };

    public override async Task<int> ExecuteAsync(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = context.Arguments.Value("--name") ?? throw CliException.Usage("parley init: --name NAME is required");
        var relay = context.Arguments.Url("--server");
        await using var client = await ProfileAccess.CreateAsync(context, name, relay).ConfigureAwait(false);
        var own = client.GetOwnIdentity();
        context.Info(relay is null
            ? $"Created peer-only profile '{own.Username}' in {client.ProfileDirectory}."
            : $"Created profile '{own.Username}' in {client.ProfileDirectory} and registered with {relay}.");
        context.Result(
            $"identity key {IdentityFacts.Key(own.IdentityKey)}",
            new JsonObject
            {
                ["name"] = own.Username,
                ["device"] = own.DeviceId,
                ["identityKey"] = IdentityFacts.Key(own.IdentityKey),
                ["server"] = own.RelayUrl?.ToString(),
                ["profile"] = client.ProfileDirectory,
            });
        return ExitCodes.Success;
    }
}
