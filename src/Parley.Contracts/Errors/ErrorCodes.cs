namespace Parley.Contracts.Errors;

/// <summary>
/// The stable <c>code</c> of every relay problem response. Clients branch on these, never on titles or details.
/// </summary>
public static class ErrorCodes
{
    /// <summary>400: the body is not valid JSON, has unknown or missing fields, bad base64 or nesting too deep.</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>415: the body is not <c>application/json</c>.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>400: a query or route parameter is out of range.</summary>
    public const string InvalidParameter = "invalid_parameter";

    /// <summary>400: the username breaks the naming rules.</summary>
    public const string UsernameInvalid = "username_invalid";

    /// <summary>409: the username is taken.</summary>
    public const string UsernameTaken = "username_taken";

    /// <summary>422: a key has the wrong length or type byte, or a signature the wrong length.</summary>
    public const string InvalidKey = "invalid_key";

    /// <summary>422: the registration id is outside 1..16380.</summary>
    public const string InvalidRegistrationId = "invalid_registration_id";

    /// <summary>422: the key upload is empty, repeats a key id, or has more one-time keys than allowed.</summary>
    public const string InvalidKeyUpload = "invalid_key_upload";

    /// <summary>409: the device would hold more one-time prekeys than allowed.</summary>
    public const string PreKeyLimit = "prekey_limit";

    /// <summary>401: missing, malformed or wrong credentials, or the device no longer exists.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>404: no such account, or no such route.</summary>
    public const string NotFound = "not_found";

    /// <summary>405: the route exists but not for this method.</summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>409: the envelopes do not match the recipient's devices; see <c>missingDevices</c>/<c>extraDevices</c>.</summary>
    public const string DeviceMismatch = "device_mismatch";

    /// <summary>422: the send request is malformed (no envelopes, repeated device, unknown type, bad device id).</summary>
    public const string InvalidEnvelope = "invalid_envelope";

    /// <summary>413: an envelope's content is over the envelope limit.</summary>
    public const string EnvelopeTooLarge = "envelope_too_large";

    /// <summary>413: the request body is over the limit for its route.</summary>
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary>507: a recipient device's mailbox is full (count or bytes); nothing was stored.</summary>
    public const string MailboxFull = "mailbox_full";

    /// <summary>429: too many requests; wait <c>Retry-After</c> seconds.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>400: a WebSocket route was called without a WebSocket upgrade.</summary>
    public const string WebSocketRequired = "websocket_required";

    /// <summary>400: the request was malformed at the HTTP level.</summary>
    public const string BadRequest = "bad_request";

    /// <summary>408: the client sent the request too slowly.</summary>
    public const string RequestTimeout = "request_timeout";

    /// <summary>503: the relay is starting or stopping.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>500: a relay bug; the details are in the relay's log, never in the response.</summary>
    public const string InternalError = "internal_error";
}
