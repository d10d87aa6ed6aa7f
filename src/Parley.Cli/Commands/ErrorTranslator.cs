using System.Net.Http;
using System.Net.Sockets;
using Parley.Client;

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
            ParleyException parley => FromSdk(parley),
            OperationCanceledException when cancellationToken.IsCancellationRequested => (ExitCodes.Interrupted, "interrupted"),
            HttpRequestException http => (ExitCodes.Unreachable, $"cannot reach the other side ({http.Message}); check the URL and that it is running"),
            SocketException socket => (ExitCodes.Unreachable, $"network error ({socket.Message}); check the URL and that it is running"),
            UnauthorizedAccessException access => (ExitCodes.Profile, $"permission denied: {access.Message}"),
            _ => (ExitCodes.Failure, $"unexpected {failure.GetType().Name}: {failure.Message}"),
        };
    }

    /// <summary>The SDK's codes, grouped into the CLI's exit codes; its messages are one actionable line already.</summary>
    public static (int ExitCode, string Message) FromSdk(ParleyException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var message = failure.Message.TrimEnd('.');
        return failure.Code switch
        {
            ParleyErrorCode.RelayUnreachable => (ExitCodes.Unreachable, $"relay unreachable: {message} (is `parley server` running there?)"),
            ParleyErrorCode.RelayUnavailable or ParleyErrorCode.RateLimited or ParleyErrorCode.MailboxFull =>
                (ExitCodes.Unreachable, $"{message}; try again later"),
            ParleyErrorCode.WrongPassphrase => (ExitCodes.Passphrase, $"wrong passphrase: {message} (check PARLEY_PASSPHRASE or what you typed)"),
            ParleyErrorCode.NoSuchUser or ParleyErrorCode.UnknownContact or ParleyErrorCode.NoDevices => (ExitCodes.NotFound, $"no such user: {message}"),
            ParleyErrorCode.IdentityChanged => (ExitCodes.IdentityChanged, $"{message}: `parley show NAME` shows the new number; after comparing, `parley verify NAME`"),
            ParleyErrorCode.InvalidUsername => (ExitCodes.Usage, message),
            ParleyErrorCode.ProfileExists or ParleyErrorCode.ProfileNotFound or ParleyErrorCode.StoreTampered
                or ParleyErrorCode.UnsupportedProfileVersion or ParleyErrorCode.NotRegistered => (ExitCodes.Profile, message),
            ParleyErrorCode.AlreadyReceiving => (ExitCodes.Failure, message),
            _ => (ExitCodes.Rejected, message),
        };
    }
}
