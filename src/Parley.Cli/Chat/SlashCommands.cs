namespace Parley.Cli.Chat;

/// <summary><c>/show</c>, <c>/verify</c>, <c>/quit</c>, <c>/help</c>: shared by the terminal and line chats.</summary>
internal static class SlashCommands
{
    public static bool IsCommand(string line) => line.StartsWith('/') && !line.StartsWith("//", StringComparison.Ordinal);

    public static async Task<ChatCommandResult> RunAsync(string line, IChatSession session, Action<string> print, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(print);
        var command = line.Trim().Split(' ', 2)[0].ToLowerInvariant();
        switch (command)
        {
            case "/quit" or "/exit" or "/q":
                return ChatCommandResult.Quit;
            case "/help" or "/?":
                print(ChatText.Help);
                return ChatCommandResult.Continue;
            case "/show":
                foreach (var text in ChatText.Identity(await session.ShowAsync(cancellationToken).ConfigureAwait(false)))
                {
                    print(text);
                }

                return ChatCommandResult.Continue;
            case "/verify":
                var summary = await session.VerifyAsync(cancellationToken).ConfigureAwait(false);
                print(summary.SafetyNumber is null
                    ? $"Nothing to verify yet: no identity key known for {summary.PeerName}."
                    : $"{summary.PeerName} is verified (safety number {ChatText.GroupDigits(summary.SafetyNumber)}).");
                return ChatCommandResult.Continue;
            default:
                print($"Unknown command {command}. {ChatText.Help}");
                return ChatCommandResult.Continue;
        }
    }

    /// <summary>A line that starts with "//" sends the text with one slash removed.</summary>
    public static string Unescape(string line) => line.StartsWith("//", StringComparison.Ordinal) ? line[1..] : line;
}
