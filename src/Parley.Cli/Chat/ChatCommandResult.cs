namespace Parley.Cli.Chat;

/// <summary>What a slash command asks the chat loop to do next.</summary>
internal enum ChatCommandResult
{
    Continue,
    Quit,
}
