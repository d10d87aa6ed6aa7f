using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Parley.Client.Storage;

namespace Parley.Client.Tests.Support;

/// <summary>
/// Entry point of the test assembly when it runs as a child process (<c>dotnet Parley.Client.Tests.dll VERB …</c>)
/// for the crash tests; the test runner never calls it. Lines on stdout are the protocol with the parent:
/// <c>READY</c>, <c>MSG id</c>, <c>COMMITTED n</c>, <c>DONE</c>. Crash points come from the environment.
/// </summary>
internal static class ChildHost
{
    /// <summary>Rows one F4 "save" rewrites together (settings rows with these names).</summary>
    public const int SaveRows = 8;
    public const string SaveRowPrefix = "f4.save.";

    public static async Task<int> Main(string[] args)
    {
        try
        {
            return args switch
            {
                ["receive-live", var directory, var count, var idleMs] => await ReceiveLiveAsync(directory, Int(count), Int(idleMs)),
                ["receive-fetch", var directory] => await ReceiveFetchAsync(directory),
                ["store-writer", var directory] => await StoreWriterAsync(directory),
                ["send", var directory, var to, var text] => await SendAsync(directory, to, text),
                _ => Usage(),
            };
        }
        catch (ParleyException e)
        {
            await Console.Error.WriteLineAsync("parley error: " + e.CodeName + ": " + e.Message);
            return 3;
        }
    }

    private static async Task<int> ReceiveLiveAsync(string directory, int count, int idleMs)
    {
        await using var client = await TestProfiles.OpenAsync(directory);
        Say("READY");
        using var stop = new CancellationTokenSource();
        var received = 0;
        using var idle = new Timer(_ => stop.Cancel());
        await foreach (var clientEvent in client.ReceiveAsync(stop.Token))
        {
            switch (clientEvent)
            {
                case IncomingMessage message:
                    Say("MSG " + message.Id.ToString("N") + " " + message.From);
                    received++;
                    idle.Change(idleMs, Timeout.Infinite);
                    break;
                case UndecryptableMessage bad:
                    Say("BAD " + bad.From + " " + bad.Reason);
                    break;
                case ConnectionChanged { State: ConnectionState.Synced }:
                    idle.Change(idleMs, Timeout.Infinite);
                    break;
            }

            if (received >= count)
            {
                break;
            }
        }

        Say("DONE");
        return 0;
    }

    private static async Task<int> ReceiveFetchAsync(string directory)
    {
        await using var client = await TestProfiles.OpenAsync(directory);
        Say("READY");
        foreach (var message in (await client.FetchPendingAsync(TimeSpan.Zero)).OfType<IncomingMessage>())
        {
            Say("MSG " + message.Id.ToString("N") + " " + message.From);
        }

        Say("DONE");
        return 0;
    }

    private static async Task<int> SendAsync(string directory, string to, string text)
    {
        await using var client = await ParleyClient.OpenAsync(directory, TestProfiles.Passphrase, TestProfiles.Options());
        Say("READY");
        var result = await client.SendTextAsync(to, text);
        Say("SENT " + result.MessageId.ToString("N") + " " + result.State);
        Say("DONE");
        return 0;
    }

    /// <summary>F4: saves forever; each save rewrites <see cref="SaveRows"/> rows with the next generation in one transaction.</summary>
    private static async Task<int> StoreWriterAsync(string directory)
    {
        await using var client = await TestProfiles.OpenAsync(directory);
        var database = client.Context.Database;
        var generation = await database.ReadAsync(tx => ValueTask.FromResult(ReadGenerations(tx).Max()), CancellationToken.None);
        Say("READY " + generation.ToString(CultureInfo.InvariantCulture));
        while (true)
        {
            generation++;
            var next = generation;
            await database.WriteAsync(tx =>
            {
                for (var i = 0; i < SaveRows; i++)
                {
                    tx.Put(StoreSchema.Settings, [SaveRowPrefix + i.ToString(CultureInfo.InvariantCulture)], SavePayload(next));
                }

                return ValueTask.FromResult(true);
            }, CancellationToken.None);
            Say("COMMITTED " + next.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The generation in each save row (0 when absent).</summary>
    public static long[] ReadGenerations(StoreTransaction tx) =>
        [.. Enumerable.Range(0, SaveRows).Select(i =>
            tx.Get(StoreSchema.Settings, SaveRowPrefix + i.ToString(CultureInfo.InvariantCulture)) is { } bytes ? BinaryPrimitives.ReadInt64BigEndian(bytes) : 0L)];

    /// <summary>8 bytes of generation then 6 KiB of noise, so a save spans several pages.</summary>
    private static byte[] SavePayload(long generation)
    {
        var payload = RandomNumberGenerator.GetBytes(8 + (6 * 1024));
        BinaryPrimitives.WriteInt64BigEndian(payload, generation);
        return payload;
    }

    private static void Say(string line)
    {
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }

    private static int Int(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static int Usage()
    {
        Console.Error.WriteLine("Parley.Client.Tests child verbs: receive-live DIR COUNT IDLE_MS | receive-fetch DIR | store-writer DIR | send DIR TO TEXT");
        return 2;
    }
}
