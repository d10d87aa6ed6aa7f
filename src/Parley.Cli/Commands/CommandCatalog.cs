namespace Parley.Cli.Commands;

/// <summary>Every verb, in the order <c>parley --help</c> lists them.</summary>
internal static class CommandCatalog
{
    public static CliApplication CreateApplication() => new(
    [
        new ServerCommandVerb(),
        new InteropCommandVerb(),
        new InitCommand(),
        new SendCommand(),
        new ReceiveCommand(),
        new ChatCommand(),
        new ShowCommand(),
        new VerifyCommand(),
        new ContactsCommand(),
        new PeerCommand(),
        new UnregisterCommand(),
    ]);
}
