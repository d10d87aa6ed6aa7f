using System.Collections.Concurrent;

namespace Parley.Server.Tests.Operations;

/// <summary>Stopping the relay lets in-flight sends finish their commits; every answered send is there after a restart.</summary>
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_graceful_stop_under_load_keeps_every_answered_send()
    {
        await using var relay = await TestRelay.StartAsync();
        var senders = new List<TestDevice>();
        for (var i = 0; i < 8; i++)
        {
            senders.Add(await relay.RegisterAsync("sender" + i));
        }

        var bob = await relay.RegisterAsync("bob");
        var answered = new ConcurrentBag<Guid>();
        var failed = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var load = senders.Select(sender => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                try
                {
                    using var response = await sender.SendRawAsync("bob", TestDevice.Message(1, new byte[100]));
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref failed);
                        return;
                    }

                    answered.Add(Assert.Single((await response.Content.ReadFromJsonAsync(ParleyJsonContext.Default.SendMessageResponse))!.Envelopes).EnvelopeId);
                    if (answered.Count >= 200)
                    {
                        enough.TrySetResult();
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                    return;
                }
            }
        })).ToList();

        await enough.Task;
        await relay.Server.StopAsync();
        await Task.WhenAll(load);

        await relay.RestartAsync();
        var stored = await RelayDatabase.IdsInMailboxOrderAsync(relay, "bob");
        output.WriteLine($"{answered.Count} sends answered before the stop, {failed} senders cut off, {stored.Count} envelopes stored");
        Assert.Subset(stored.ToHashSet(), answered.ToHashSet());
        Assert.True(failed > 0, "the stop did not interrupt the senders");
    }
}
