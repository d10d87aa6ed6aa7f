namespace Parley.Cli.Commands;

/// <summary>Every verb, in the order <c>parley --help</c> lists them.</summary>
internal static class CommandCatalog
{
    public static CliApplication CreateApplication() => new(
    [
        new ServerCommandVerb(),
    ]);
}
