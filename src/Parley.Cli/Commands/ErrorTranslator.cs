using System.Net.Http;
using System.Net.Sockets;

namespace Parley.Cli.Commands;

/// <summary>Maps any failure to an exit code and one line that says what to do.</summary>
internal static class ErrorTranslator
{
    public static (int ExitCode, string Message) Translate(Exception failure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure switch
        {
            CliException cli => (cli.ExitCode, cli.Message),
            OperationCanceledException when cancellationToken.IsCancellationRequested => (ExitCodes.Interrupted, "interrupted"),
            HttpRequestException http => (ExitCodes.Unreachable, $"cannot reach the other side ({http.Message}); check the URL and that it is running"),
            SocketException socket => (ExitCodes.Unreachable, $"network error ({socket.Message}); check the URL and that it is running"),
            UnauthorizedAccessException access => (ExitCodes.Profile, $"permission denied: {access.Message}"),
            _ => (ExitCodes.Failure, $"unexpected {failure.GetType().Name}: {failure.Message}"),
        };
    }
}
