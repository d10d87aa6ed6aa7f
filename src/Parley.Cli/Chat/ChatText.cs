using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Cli.Console;

namespace Parley.Cli.Chat;

/// <summary>How the chat words things: message lines, delivery states, notices, the identity summary.</summary>
internal static class ChatText
{
    public const string Help = "Commands: /show (keys and safety number), /verify (mark the peer verified after comparing), /quit, /help";

    public static string Time(DateTimeOffset at) => at.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Message(DateTimeOffset at, string from, string text) => $"[{Time(at)}] {from}: {text}";

    public static JsonObject MessageJson(MessageArrived message) => new()
    {
        ["from"] = message.From,
        ["text"] = message.Text,
        ["id"] = message.Id,
        ["sent"] = message.Sent.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture),
    };

    public static string State(DeliveryState state) => state switch
    {
        DeliveryState.Sent => "sent",
        DeliveryState.Queued => "queued (offline; will send when the connection returns)",
        DeliveryState.Failed => "failed",
        _ => state.ToString(),
    };

    /// <summary>The notice for a changed safety number; <paramref name="inChat"/> picks /verify or the verb.</summary>
    public static string IdentityNotice(IdentityChanged change, bool inChat = true)
    {
        ArgumentNullException.ThrowIfNull(change);
        var verify = inChat ? "/verify" : $"`parley verify {change.Name}`";
        return $"*** {change.Name}'s safety number has changed (new: {GroupDigits(change.SafetyNumber)})." +
            (change.WasVerified
                ? $" Sending is blocked: compare the number with {change.Name} in person or by call, then {verify}."
                : $" Compare it with {change.Name}, then {verify}.");
    }

    /// <summary>
    /// <c>--json</c> form of a changed identity: <c>{"name","safetyNumber","wasVerified"}</c>: the contact, the new
    /// 60-digit safety number and whether the contact had been verified before the change.
    /// </summary>
    public static JsonObject IdentityWarningJson(IdentityChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new JsonObject
        {
            ["name"] = change.Name,
            ["safetyNumber"] = change.SafetyNumber,
            ["wasVerified"] = change.WasVerified,
        };
    }

    /// <summary>The public identity facts, one per line.</summary>
    public static IEnumerable<string> Identity(IdentitySummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        yield return $"Your identity key ({summary.OwnName}): {summary.OwnIdentityKey}";
        yield return summary.PeerIdentityKey is null
            ? $"{summary.PeerName}: no identity key known yet"
            : $"{summary.PeerName}'s identity key: {summary.PeerIdentityKey}";
        if (summary.SafetyNumber is not null)
        {
            yield return $"Safety number: {GroupDigits(summary.SafetyNumber)}";
            yield return summary.Verified ? "Verified." : $"Not verified: compare this number with {summary.PeerName}, then run verify.";
        }
    }

    public static JsonObject IdentityJson(IdentitySummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new JsonObject
        {
            ["name"] = summary.OwnName,
            ["identityKey"] = summary.OwnIdentityKey,
            ["peer"] = summary.PeerName,
            ["peerIdentityKey"] = summary.PeerIdentityKey,
            ["safetyNumber"] = summary.SafetyNumber,
            ["verified"] = summary.Verified,
        };
    }

    /// <summary>"12345 67890 …": the 60 digits in the twelve groups of five people read aloud.</summary>
    public static string GroupDigits(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        var grouped = new StringBuilder();
        for (var i = 0; i < digits.Length; i += 5)
        {
            if (i > 0)
            {
                grouped.Append(' ');
            }

            grouped.Append(digits.AsSpan(i, Math.Min(5, digits.Length - i)));
        }

        return grouped.ToString();
    }

    public static string Json(JsonObject value) => JsonLine.Format(value);
}
