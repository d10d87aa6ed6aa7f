namespace Parley.Server.Postgres.Tests.History;

/// <summary>
/// Checks a recorded history the way queue checkers of Jepsen-style tests do (a port of the idea of
/// <c>total-queue</c>): every message a relay acknowledged to its sender must have been shown to its recipient
/// (else it is <b>lost</b>); no message may be shown to a person twice, neither the same envelope twice nor one
/// message under two envelope ids (<b>duplicated</b>); nothing may be shown that no client sent to that recipient,
/// or under another envelope id than the one the sender was given (<b>unexpected</b>). Transport redeliveries
/// (the same envelope delivered again, then dropped by the client's dedup) are allowed and counted.
/// </summary>
internal static class HistoryChecker
{
    public static HistoryReport Check(IEnumerable<HistoryEvent> history)
    {
        var events = history.OrderBy(e => e.At).ToList();
        var invoked = new Dictionary<(int Sender, long Seq), HistoryEvent>();
        var acked = new Dictionary<(int Sender, long Seq), Guid>();
        var shownByMessage = new Dictionary<(int Sender, long Seq), List<HistoryEvent>>();
        var shownByEnvelope = new Dictionary<(int Recipient, int Sender, Guid Envelope), int>();
        var deliveredEnvelopes = new HashSet<(int Recipient, Guid Envelope)>();
        var unexpected = new List<string>();
        var duplicates = new List<string>();
        long delivered = 0;
        long clientAcks = 0;

        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case EventKind.SendInvoked:
                    invoked[(e.Client, e.Seq)] = e;
                    break;
                case EventKind.ServerAcked:
                    if (acked.TryGetValue((e.Client, e.Seq), out var earlier) && earlier != e.EnvelopeId)
                    {
                        // A retry of one message was committed as a second envelope: the relay broke idempotency.
                        duplicates.Add($"message {e.Client}:{e.Seq} acknowledged as two envelopes {earlier} and {e.EnvelopeId}");
                    }

                    acked[(e.Client, e.Seq)] = e.EnvelopeId;
                    break;
                case EventKind.Delivered:
                    delivered++;
                    deliveredEnvelopes.Add((e.Client, e.EnvelopeId));
                    break;
                case EventKind.Shown:
                    shownByEnvelope[(e.Client, e.Peer, e.EnvelopeId)] = shownByEnvelope.GetValueOrDefault((e.Client, e.Peer, e.EnvelopeId)) + 1;
                    if (!shownByMessage.TryGetValue((e.Peer, e.Seq), out var shows))
                    {
                        shownByMessage[(e.Peer, e.Seq)] = shows = [];
                    }

                    shows.Add(e);
                    break;
                case EventKind.ClientAcked:
                    clientAcks++;
                    break;
                case EventKind.Unparseable:
                    unexpected.Add($"client {e.Client} received envelope {e.EnvelopeId} with content no client wrote (via {e.Node})");
                    break;
                case EventKind.SendFailed:
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(history), e.Kind, "Unknown event kind.");
            }
        }

        foreach (var ((recipient, sender, envelope), count) in shownByEnvelope.Where(p => p.Value > 1))
        {
            duplicates.Add($"envelope {envelope} from {sender} shown {count} times to {recipient}");
        }

        foreach (var ((sender, seq), shows) in shownByMessage)
        {
            if (shows.Select(s => s.EnvelopeId).Distinct().Count() > 1)
            {
                duplicates.Add($"message {sender}:{seq} shown under {shows.Select(s => s.EnvelopeId).Distinct().Count()} envelope ids");
            }

            if (!invoked.TryGetValue((sender, seq), out var send))
            {
                unexpected.Add($"message {sender}:{seq} shown to {shows[0].Client} but never sent");
                continue;
            }

            if (shows.Any(s => s.Client != send.Peer))
            {
                unexpected.Add($"message {sender}:{seq} for {send.Peer} shown to {string.Join(",", shows.Select(s => s.Client).Distinct())}");
            }

            if (acked.TryGetValue((sender, seq), out var ackedId) && shows.Any(s => s.EnvelopeId != ackedId))
            {
                unexpected.Add($"message {sender}:{seq} shown as envelope {shows[0].EnvelopeId}, but its sender was given {ackedId}");
            }
        }

        var lost = acked.Keys
            .Where(key => !shownByMessage.ContainsKey(key))
            .Select(key => $"message {key.Sender}:{key.Seq} (envelope {acked[key]}) acknowledged to its sender but never shown")
            .ToList();

        return new HistoryReport(
            Invoked: invoked.Count,
            Acknowledged: acked.Count,
            Indeterminate: invoked.Keys.Count(k => !acked.ContainsKey(k)),
            Delivered: delivered,
            Redeliveries: delivered - deliveredEnvelopes.Count,
            Shown: shownByEnvelope.Values.Sum(),
            ClientAcks: clientAcks,
            Lost: lost,
            Duplicated: duplicates,
            Unexpected: unexpected,
            LongestUnavailabilityMs: LongestUnavailability(events));
    }

    /// <summary>
    /// The longest time any sender went from a failed attempt to its next acknowledged send: how long the
    /// cluster looked down from a client's side (it retries, and moves to another node, meanwhile).
    /// </summary>
    private static long LongestUnavailability(List<HistoryEvent> events)
    {
        var failingSince = new Dictionary<int, long>();
        long longest = 0;
        foreach (var e in events)
        {
            if (e.Kind == EventKind.SendFailed)
            {
                failingSince.TryAdd(e.Client, e.At);
            }
            else if (e.Kind == EventKind.ServerAcked && failingSince.Remove(e.Client, out var since))
            {
                longest = Math.Max(longest, e.At - since);
            }
        }

        return longest;
    }
}

/// <summary>The checker's verdict and counts.</summary>
internal sealed record HistoryReport(
    long Invoked,
    long Acknowledged,
    long Indeterminate,
    long Delivered,
    long Redeliveries,
    long Shown,
    long ClientAcks,
    IReadOnlyList<string> Lost,
    IReadOnlyList<string> Duplicated,
    IReadOnlyList<string> Unexpected,
    long LongestUnavailabilityMs)
{
    public bool Valid => Lost.Count == 0 && Duplicated.Count == 0 && Unexpected.Count == 0;

    public override string ToString() =>
        $"invoked={Invoked} acknowledged={Acknowledged} indeterminate={Indeterminate} delivered={Delivered} " +
        $"redeliveries={Redeliveries} shown={Shown} client-acks={ClientAcks} lost={Lost.Count} " +
        $"duplicates-shown={Duplicated.Count} unexpected={Unexpected.Count} longest-unavailability={LongestUnavailabilityMs}ms" +
        string.Concat(Lost.Concat(Duplicated).Concat(Unexpected).Take(10).Select(line => "\n  " + line));
}
