using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Parley.Contracts.Accounts;
using Parley.Contracts.Messages;

namespace Parley.Server.Tests.Operations;

/// <summary>
/// TESTPLAN E1 on one node: the real <c>parley server</c> process is crashed three times under load — by the
/// <c>after-commit-before-response</c> crash point (Environment.FailFast between the commit and the answer), by
/// a plain SIGKILL mid-stream, and by the <c>after-ack-commit</c> crash point during the drain — and restarted on
/// the same data folder each time. Senders retry unanswered sends with the same message id. Afterwards every
/// mailbox is drained: every envelope whose send was answered with success is delivered, and none is delivered
/// again after its acknowledgement was answered.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Senders = 8;
    private const int Recipients = 4;
    private const int MessagesPerSender = 375;
    private const int FailFastAtCommit = 700;
    private const int KillAfterSuccesses = 1800;

    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "parley-crash-tests", Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<string> processOutput = new();
    private readonly Dictionary<string, string> environment = new()
    {
        ["Parley__Limits__RequestsPerIp"] = "100000000",
        ["Parley__Limits__RequestsPerAccount"] = "100000000",
        ["Parley__Limits__RegistrationsPerIp"] = "100000000",
    };

    private volatile RelayProcess? relay;
    private int crashes;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (relay is not null)
        {
            await relay.DisposeAsync();
        }

        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Every_answered_send_survives_kill_9_and_crash_points_and_none_is_delivered_twice_after_acknowledgement()
    {
        var total = Stopwatch.StartNew();
        relay = await StartAsync(crashPoint: $"after-commit-before-response:{FailFastAtCommit}");
        var senders = new List<RegisterAccountResponse>();
        var recipients = new List<RegisterAccountResponse>();
        for (var i = 0; i < Senders; i++)
        {
            senders.Add(await RegisterAsync("sender" + i));
        }

        for (var i = 0; i < Recipients; i++)
        {
            recipients.Add(await RegisterAsync("recipient" + i));
        }

        // --- send phase: concurrent senders; a supervisor restarts the relay when it dies, kills it once ---
        var answered = new ConcurrentDictionary<Guid, byte[]>();   // envelope id -> content hash, for answered sends
        var attempts = 0;
        var retries = 0;
        var sending = Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(senders[s].AuthorizationHeaderValue());
            for (var m = 0; m < MessagesPerSender; m++)
            {
                var content = RandomNumberGenerator.GetBytes(64 + m);
                var request = TestDevice.Message(1, content);
                var recipient = recipients[(s + m) % Recipients].Username;
                for (var attempt = 0; ; attempt++)
                {
                    Interlocked.Increment(ref attempts);
                    Assert.True(attempt < 600, "a send never got through");
                    try
                    {
                        using var response = await client.PutAsJsonAsync(new Uri(relay!.BaseAddress, ApiPaths.Send(recipient)), request, ParleyJsonContext.Default.SendMessageRequest);
                        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                        var sent = await response.Content.ReadFromJsonAsync(ParleyJsonContext.Default.SendMessageResponse);
                        var id = Assert.Single(sent!.Envelopes).EnvelopeId;
                        Assert.True(answered.TryAdd(id, SHA256.HashData(content)), "two answered sends got the same envelope id");
                        break;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        // No answer: the relay died. Retry the same message id once it is back.
                        Interlocked.Increment(ref retries);
                        await Task.Delay(50);
                    }
                }
            }
        })).ToList();

        var killed = false;
        var allSent = Task.WhenAll(sending);
        while (!allSent.IsCompleted)
        {
            if (relay.HasExited)
            {
                crashes++;
                output.WriteLine($"relay exited (code {relay.ExitCode}) after {answered.Count} answered sends; restarting");
                await relay.DisposeAsync();
                relay = await StartAsync(crashPoint: null);
            }
            else if (!killed && answered.Count >= KillAfterSuccesses)
            {
                killed = true;
                crashes++;
                await relay.KillAsync();
                output.WriteLine($"kill -9 after {answered.Count} answered sends; restarting");
                await relay.DisposeAsync();
                relay = await StartAsync(crashPoint: "after-ack-commit:5");
            }

            await Task.WhenAny(allSent, Task.Delay(20));
        }

        await allSent;
        Assert.True(killed, "the relay was not killed mid-stream");

        // --- drain phase 1: HTTP fetch + acknowledge until the after-ack-commit crash point fires ---
        var delivered = new ConcurrentDictionary<Guid, int>();
        var acknowledged = new HashSet<Guid>();
        var duplicatesAfterAck = 0;
        var corrupt = 0;
        void Deliver(Envelope envelope)
        {
            delivered.AddOrUpdate(envelope.Id, 1, (_, n) => n + 1);
            if (acknowledged.Contains(envelope.Id))
            {
                duplicatesAfterAck++;
            }

            if (!answered.TryGetValue(envelope.Id, out var hash) || !hash.AsSpan().SequenceEqual(SHA256.HashData(envelope.Content)))
            {
                corrupt++;
            }
        }

        try
        {
            foreach (var recipient in recipients)
            {
                using var client = new HttpClient { BaseAddress = relay.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
                client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(recipient.AuthorizationHeaderValue());
                for (var batch = 0; batch < 3; batch++)
                {
                    var page = (await client.GetFromJsonAsync(ApiPaths.Messages + "?limit=50", ParleyJsonContext.Default.MessageBatch))!;
                    foreach (var envelope in page.Envelopes)
                    {
                        Deliver(envelope);
                    }

                    var ids = page.Envelopes.Select(e => e.Id).ToList();
                    using var ack = await client.PostAsJsonAsync(ApiPaths.Acknowledge, new AcknowledgeRequest(ids), ParleyJsonContext.Default.AcknowledgeRequest);
                    Assert.Equal(HttpStatusCode.NoContent, ack.StatusCode);
                    acknowledged.UnionWith(ids);
                }
            }

            Assert.Fail("the after-ack-commit crash point did not fire");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            crashes++;
            await relay.WaitForExitAsync();
            output.WriteLine($"relay crashed at after-ack-commit (code {relay.ExitCode}) after {acknowledged.Count} answered acknowledgements; restarting");
        }

        await relay.DisposeAsync();
        relay = await StartAsync(crashPoint: null);

        // --- drain phase 2: the WebSocket stream, acknowledging over the socket; then HTTP must be empty ---
        foreach (var recipient in recipients)
        {
            await using var stream = await StreamClient.ConnectAsync(relay.BaseAddress, recipient.AuthorizationHeaderValue());
            var envelopes = await stream.ReceiveUntilDrainedAsync();
            foreach (var envelope in envelopes)
            {
                Deliver(envelope);
            }

            foreach (var chunk in envelopes.Select(e => e.Id).Chunk(500))
            {
                await stream.AcknowledgeAsync(chunk);
            }

            await stream.CloseAsync();
            acknowledged.UnionWith(envelopes.Select(e => e.Id));
            using var client = new HttpClient { BaseAddress = relay.BaseAddress };
            client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(recipient.AuthorizationHeaderValue());
            Assert.Empty((await client.GetFromJsonAsync(ApiPaths.Messages, ParleyJsonContext.Default.MessageBatch))!.Envelopes);
        }

        var lost = answered.Keys.Count(id => !delivered.ContainsKey(id));
        var unexpected = delivered.Keys.Count(id => !answered.ContainsKey(id));
        var redelivered = delivered.Values.Sum(n => n - 1);
        output.WriteLine(
            $"sent {Senders * MessagesPerSender} messages in {attempts} attempts ({retries} retries after no answer); "
            + $"acknowledged by the relay {answered.Count}; delivered {delivered.Count}; lost {lost}; duplicates after acknowledgement {duplicatesAfterAck}; "
            + $"unexpected {unexpected}; transport redeliveries {redelivered}; corrupt {corrupt}; crashes {crashes}; {total.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(Senders * MessagesPerSender, answered.Count);
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicatesAfterAck);
        Assert.Equal(0, unexpected);
        Assert.Equal(0, corrupt);
        Assert.Equal(3, crashes);

        // The processes' console output holds no credential.
        var log = string.Join('\n', processOutput);
        Assert.Contains("stored", log, StringComparison.Ordinal);
        foreach (var account in senders.Concat(recipients))
        {
            Assert.DoesNotContain(Convert.ToBase64String(account.Password), log, StringComparison.Ordinal);
            Assert.DoesNotContain(account.AuthorizationHeaderValue()["Basic ".Length..], log, StringComparison.Ordinal);
        }
    }

    private Task<RelayProcess> StartAsync(string? crashPoint)
    {
        var env = new Dictionary<string, string>(environment);
        if (crashPoint is not null)
        {
            env["PARLEY_CRASH_POINT"] = crashPoint;
        }

        return RelayProcess.StartAsync(dataDirectory, env, processOutput);
    }

    private async Task<RegisterAccountResponse> RegisterAsync(string username)
    {
        using var client = new HttpClient { BaseAddress = relay!.BaseAddress };
        using var response = await client.PostAsJsonAsync(ApiPaths.Accounts, TestKeys.Registration(username), ParleyJsonContext.Default.RegisterAccountRequest);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(ParleyJsonContext.Default.RegisterAccountResponse))!;
    }
}
