using Parley.Cli.Chat;
using Parley.Cli.CommandLine;
using Parley.Cli.Peer;
using Parley.Client;

namespace Parley.Cli.Commands;

/// <summary><c>parley peer --listen URL | --connect URL</c>: direct two-peer chat over HTTP, no relay.</summary>
internal sealed class PeerCommand : CliCommand
{
    public override CommandSpec Spec { get; } = new()
    {
        Name = "peer",
        Summary = "chat directly with one peer over HTTP, without a relay",
        Description = """
            Direct mode. `--listen URL` serves GET /bundle, POST /hello, POST /message, GET /inbox and GET /show
            (an HTML page with both public identity keys and the safety number; never a secret). `--connect URL`
            fetches the listener's bundle, checks its signatures, sends its own, and the two start Signal sessions;
            then both sides chat as in `parley chat` (only Signal ciphertext crosses the wire). A peer may both listen
            and connect. With --name and no profile yet, a peer-only profile is created first (passphrase from
            PARLEY_PASSPHRASE or asked). Ctrl-C or /quit ends it.
            """,
        Options =
        [
            new("--listen", "URL", "serve the peer endpoint here, e.g. http://127.0.0.1:5000"),
            new("--connect", "URL", "connect to the peer listening there"),
            new("--name", "NAME", "our name; creates a peer-only profile if the profile folder is empty"),
        ],
        Examples =
        [
            ("parley --profile ./alice peer --listen http://127.0.0.1:5000 --name alice", "wait for a peer on port 5000"),
            ("parley --profile ./bob peer --listen http://127.0.0.1:5001 --connect http://127.0.0.1:5000 --name bob", "connect to alice, and serve /show on 5001"),
            ("curl http://127.0.0.1:5000/show", "both public keys and the safety number"),
        ],
    };

    public override async Task<int> ExecuteAsync(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var listen = context.Arguments.Url("--listen");
        var connect = context.Arguments.Url("--connect");
        var name = context.Arguments.Value("--name");
        if (listen is null && connect is null)
        {
            throw CliException.Usage("parley peer: give --listen URL, --connect URL, or both (see parley peer --help)");
        }

        await using var client = ParleyClient.ProfileExists(context.ProfilePath) || name is null
            ? await ProfileAccess.OpenAsync(context).ConfigureAwait(false)
            : await ProfileAccess.CreateAsync(context, name, relay: null).ConfigureAwait(false);
        if (name is not null && !string.Equals(name, client.Username, StringComparison.Ordinal))
        {
            throw CliException.Usage($"parley peer: this profile is '{client.Username}', not '{name}' (use another --profile for another name)");
        }

        await using var link = new PeerLink(new ClientPeerCrypto(client));
        if (listen is not null)
        {
            await link.ListenAsync(listen, context.CancellationToken).ConfigureAwait(false);
            var address = link.ListeningAddresses.Count > 0 ? link.ListeningAddresses[0] : listen;
            context.Info($"listening on {address} as {client.Username}; show page: {new Uri(address, "/show")}");
        }

        if (connect is not null)
        {
            using (context.Progress($"Connecting to {connect}"))
            {
                await link.ConnectAsync(connect, context.CancellationToken).ConfigureAwait(false);
            }

            context.Info($"connected to {link.PeerName} at {connect}");
        }

        return context.Ui.IsInputTerminal && !context.Json
            ? await new TerminalChat(context.Ui, link).RunAsync(context.CancellationToken).ConfigureAwait(false)
            : await new LineChat(context.Ui, link, context.Json) { FlushTimeout = TimeSpan.FromSeconds(10) }.RunAsync(context.CancellationToken).ConfigureAwait(false);
    }
}
