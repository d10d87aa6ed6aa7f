namespace Parley.Server.Postgres.Tests.History;

/// <summary>The checker flags each kind of anomaly in hand-made histories, and nothing in a clean one.</summary>
public sealed class HistoryCheckerTests
{
    private static readonly Guid E1 = Guid.Parse("00000000-0000-0000-0000-000000000001");
    private static readonly Guid E2 = Guid.Parse("00000000-0000-0000-0000-000000000002");

    [Fact]
    public void A_clean_history_with_a_transport_redelivery_passes_and_counts_the_redelivery()
    {
        var report = HistoryChecker.Check(
        [
            HistoryEvent.Invoked(1, 0, 1, 1, Guid.NewGuid()),
            HistoryEvent.Failed(2, 0, 1, "a"),
            HistoryEvent.Acked(5, 0, 1, E1, "b"),
            HistoryEvent.Delivered(6, 1, 0, 1, E1, "a"),
            HistoryEvent.Shown(6, 1, 0, 1, E1),
            HistoryEvent.Delivered(9, 1, 0, 1, E1, "b"),
            HistoryEvent.ClientAcked(10, 1, E1),
        ]);

        Assert.True(report.Valid, report.ToString());
        Assert.Equal(1, report.Acknowledged);
        Assert.Equal(2, report.Delivered);
        Assert.Equal(1, report.Redeliveries);
        Assert.Equal(1, report.Shown);
        Assert.Equal(3, report.LongestUnavailabilityMs);
    }

    [Fact]
    public void An_acknowledged_message_never_shown_is_lost()
    {
        var report = HistoryChecker.Check(
        [
            HistoryEvent.Invoked(1, 0, 1, 1, Guid.NewGuid()),
            HistoryEvent.Acked(2, 0, 1, E1, "a"),
            HistoryEvent.Invoked(3, 0, 1, 2, Guid.NewGuid()),
            HistoryEvent.Acked(4, 0, 2, E2, "a"),
            HistoryEvent.Delivered(5, 1, 0, 2, E2, "a"),
            HistoryEvent.Shown(5, 1, 0, 2, E2),
        ]);

        Assert.Single(report.Lost);
        Assert.Contains("0:1", report.Lost[0], StringComparison.Ordinal);
        Assert.Empty(report.Duplicated);
        Assert.Empty(report.Unexpected);
    }

    [Fact]
    public void A_message_sent_but_never_acknowledged_is_indeterminate_not_lost_and_may_arrive()
    {
        var report = HistoryChecker.Check(
        [
            HistoryEvent.Invoked(1, 0, 1, 1, Guid.NewGuid()),
            HistoryEvent.Failed(2, 0, 1, "a"),
            HistoryEvent.Invoked(3, 0, 1, 2, Guid.NewGuid()),
            HistoryEvent.Failed(4, 0, 2, "a"),
            HistoryEvent.Delivered(5, 1, 0, 2, E2, "b"),
            HistoryEvent.Shown(5, 1, 0, 2, E2),
        ]);

        Assert.True(report.Valid, report.ToString());
        Assert.Equal(2, report.Indeterminate);
    }

    [Fact]
    public void The_same_envelope_shown_twice_is_a_duplicate()
    {
        var report = HistoryChecker.Check(
        [
            HistoryEvent.Invoked(1, 0, 1, 1, Guid.NewGuid()),
            HistoryEvent.Acked(2, 0, 1, E1, "a"),
            HistoryEvent.Shown(3, 1, 0, 1, E1),
            HistoryEvent.Shown(4, 1, 0, 1, E1),
        ]);

        Assert.Single(report.Duplicated);
        Assert.Empty(report.Lost);
        Assert.False(report.Valid);
    }

    [Fact]
    public void One_message_stored_as_two_envelopes_is_a_duplicate_when_acknowledged_or_shown_twice()
    {
        var shownTwice = HistoryChecker.Check(
        [
            HistoryEvent.Invoked(1, 0, 1, 1, Guid.NewGuid()),
            HistoryEvent.Shown(3, 1, 0, 1, E1),
            HistoryEvent.Shown(4, 1, 0, 1, E2),
        ]);
        var ackedTwice = HistoryChecker.Check(
        [
            HistoryEvent.Invoked(1, 0, 1, 1, Guid.NewGuid()),
            HistoryEvent.Acked(2, 0, 1, E1, "a"),
            HistoryEvent.Acked(3, 0, 1, E2, "b"),
            HistoryEvent.Shown(4, 1, 0, 1, E2),
        ]);

        Assert.Single(shownTwice.Duplicated);
        Assert.NotEmpty(ackedTwice.Duplicated);
    }

    [Fact]
    public void A_message_nobody_sent_or_sent_to_someone_else_or_under_another_id_is_unexpected()
    {
        var neverSent = HistoryChecker.Check([HistoryEvent.Shown(1, 1, 0, 7, E1)]);
        var wrongRecipient = HistoryChecker.Check(
        [
            HistoryEvent.Invoked(1, 0, 2, 1, Guid.NewGuid()),
            HistoryEvent.Shown(2, 1, 0, 1, E1),
        ]);
        var otherId = HistoryChecker.Check(
        [
            HistoryEvent.Invoked(1, 0, 1, 1, Guid.NewGuid()),
            HistoryEvent.Acked(2, 0, 1, E1, "a"),
            HistoryEvent.Shown(3, 1, 0, 1, E2),
        ]);
        var garbage = HistoryChecker.Check([HistoryEvent.Garbage(1, 1, E1, "a")]);

        Assert.Single(neverSent.Unexpected);
        Assert.Single(wrongRecipient.Unexpected);
        Assert.Single(otherId.Unexpected);
        Assert.Single(garbage.Unexpected);
        Assert.All([neverSent, wrongRecipient, otherId, garbage], r => Assert.False(r.Valid));
    }
}
