namespace Parley.Contracts;

/// <summary>The relay's routes, version 1. Clients build URLs from these; the relay maps exactly these.</summary>
public static class ApiPaths
{
    /// <summary>The version prefix every route starts with.</summary>
    public const string Version = "/v1";

    /// <summary><c>GET</c>: 200 when the relay is ready. Anonymous.</summary>
    public const string Health = "/v1/health";

    /// <summary><c>POST</c>: register an account with its first device. Anonymous.</summary>
    public const string Accounts = "/v1/accounts";

    /// <summary><c>GET</c>: the caller's account; <c>DELETE</c>: delete it with its keys and mailboxes.</summary>
    public const string CurrentAccount = "/v1/accounts/me";

    /// <summary><c>PUT</c>: upload or replace the caller device's prekeys.</summary>
    public const string Keys = "/v1/keys";

    /// <summary><c>GET</c>: how many one-time prekeys the caller device has left.</summary>
    public const string KeyCount = "/v1/keys/count";

    /// <summary><c>GET /v1/keys/{username}</c>: one prekey bundle per device of that user.</summary>
    public const string BundleTemplate = "/v1/keys/{username}";

    /// <summary><c>PUT /v1/messages/{username}</c>: send one envelope per device of that user.</summary>
    public const string SendTemplate = "/v1/messages/{username}";

    /// <summary><c>GET</c>: the oldest pending envelopes of the caller device.</summary>
    public const string Messages = "/v1/messages";

    /// <summary><c>POST</c>: acknowledge envelopes by id; they leave the mailbox.</summary>
    public const string Acknowledge = "/v1/messages/ack";

    /// <summary>WebSocket: drain the mailbox, then push new envelopes; acknowledge over the socket.</summary>
    public const string Stream = "/v1/stream";

    /// <summary>The bundle route for <paramref name="username"/>.</summary>
    public static string Bundle(string username) => "/v1/keys/" + Uri.EscapeDataString(username);

    /// <summary>The send route for <paramref name="username"/>.</summary>
    public static string Send(string username) => "/v1/messages/" + Uri.EscapeDataString(username);
}
