using System.Text.Json.Serialization;

namespace Parley.Contracts.Errors;

/// <summary>
/// An RFC 9457 problem response (<c>application/problem+json</c>) with Parley's stable <see cref="Code"/>.
/// Unknown members are skipped here (unlike every other DTO) so that clients tolerate new extensions.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
public sealed record ApiProblem
{
    /// <summary>A URI naming the problem type.</summary>
    public string? Type { get; init; }

    /// <summary>A short, human-readable summary.</summary>
    public string? Title { get; init; }

    /// <summary>The HTTP status code.</summary>
    public int? Status { get; init; }

    /// <summary>A human-readable explanation of this occurrence.</summary>
    public string? Detail { get; init; }

    /// <summary>The request path.</summary>
    public string? Instance { get; init; }

    /// <summary>One of <see cref="ErrorCodes"/>.</summary>
    public string? Code { get; init; }

    /// <summary>With <see cref="ErrorCodes.DeviceMismatch"/>: recipient devices the request left out.</summary>
    public IReadOnlyList<int>? MissingDevices { get; init; }

    /// <summary>With <see cref="ErrorCodes.DeviceMismatch"/>: device ids in the request that do not exist.</summary>
    public IReadOnlyList<int>? ExtraDevices { get; init; }

    /// <summary>With <see cref="ErrorCodes.MailboxFull"/>: the device whose mailbox is full.</summary>
    public int? DeviceId { get; init; }
}
