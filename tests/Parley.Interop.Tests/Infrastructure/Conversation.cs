using System.Diagnostics;
using System.Globalization;
using System.Text;
using Parley.Testing.Interop;
using Xunit.Abstractions;

namespace Parley.Interop.Tests.Infrastructure;

/// <summary>
/// The scenario script: two peers (initiator and responder, each on its pairing's driver), a seeded random
/// source, and verbs that send, deliver and expect rejections while counting. Disposing prints the counts.
/// </summary>
public sealed class Conversation : IAsyncDisposable
{
    /// <summary>Overrides the random seed of every scenario (printed in each scenario's output).</summary>
    public const string SeedVariable = "PARLEY_INTEROP_SEED";

    private readonly ITestOutputHelper _output;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _notes = [];

    private Conversation(Pairing pairing, Peer initiator, Peer responder, ITestOutputHelper output, int seed)
    {
        Pairing = pairing;
        Initiator = initiator;
        Responder = responder;
        _output = output;
        Seed = seed;
        Random = new Random(seed);
    }

    public Pairing Pairing { get; }

    public Peer Initiator { get; }

    public Peer Responder { get; }

    public Tally Tally { get; } = new();

    public int Seed { get; }

    /// <summary>Deterministic for a given <see cref="Seed"/>: shuffles, payloads, bit positions.</summary>
    public Random Random { get; }

    /// <summary>Starts both drivers of <paramref name="pairing"/> and initialises them.</summary>
    public static async Task<Conversation> StartAsync(string pairing, ITestOutputHelper output, string? initiatorName = null, string? responderName = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var parsed = Pairing.Parse(pairing);
        var seedText = Environment.GetEnvironmentVariable(SeedVariable);
        var seed = string.IsNullOrEmpty(seedText) ? System.Random.Shared.Next() : int.Parse(seedText, CultureInfo.InvariantCulture);
        output.WriteLine($"pairing {parsed}; seed {seed} (set {SeedVariable} to replay). {Pairings.Note}");
        var initiatorTask = Peer.StartAsync(parsed.Initiator, "initiator", initiatorName, deviceId: 1);
        var responderTask = Peer.StartAsync(parsed.Responder, "responder", responderName, deviceId: 2);
        try
        {
            await Task.WhenAll(initiatorTask, responderTask);
        }
        catch
        {
            await DisposeStartedAsync(initiatorTask);
            await DisposeStartedAsync(responderTask);
            throw;
        }

        return new Conversation(parsed, initiatorTask.Result, responderTask.Result, output, seed);
    }

    public Peer Other(Peer peer) => ReferenceEquals(peer, Initiator) ? Responder : Initiator;

    /// <summary>The responder publishes a bundle and the initiator processes it (no message is sent yet).</summary>
    public async Task EstablishAsync(bool oneTimePreKey = true)
    {
        var bundle = await Responder.BundleAsync(oneTimePreKey);
        await Initiator.ProcessBundleAsync(Responder, bundle);
    }

    /// <summary><see cref="EstablishAsync"/>, then one message each way, so both sides hold an acknowledged session.</summary>
    public async Task EstablishAndGreetAsync(bool oneTimePreKey = true)
    {
        await EstablishAsync(oneTimePreKey);
        var hello = await SendAsync(Initiator);
        Assert.Equal(MessageType.PreKey, hello.Type);
        await DeliverAsync(hello);
        var reply = await SendAsync(Responder);
        Assert.Equal(MessageType.Whisper, reply.Type);
        await DeliverAsync(reply);
    }

    /// <summary>Encrypts <paramref name="plaintext"/> (default: a short text naming the message) from one peer to the other.</summary>
    public async Task<Envelope> SendAsync(Peer from, byte[]? plaintext = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        var to = Other(from);
        var envelope = await from.EncryptAsync(to, plaintext ?? Encoding.UTF8.GetBytes($"#{Tally.Sent} from {from.Label}"));
        Tally.Sent++;
        return envelope;
    }

    public async Task<IReadOnlyList<Envelope>> SendManyAsync(Peer from, int count, Func<int, byte[]>? payload = null)
    {
        var sent = new List<Envelope>(count);
        for (var i = 0; i < count; i++)
        {
            sent.Add(await SendAsync(from, payload?.Invoke(i)));
        }

        return sent;
    }

    /// <summary>Random bytes of a random length in [0, <paramref name="maxLength"/>].</summary>
    public byte[] RandomPayload(int maxLength)
    {
        var bytes = new byte[Random.Next(maxLength + 1)];
        Random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>The recipient must decrypt <paramref name="envelope"/> to exactly its plaintext.</summary>
    public async Task DeliverAsync(Envelope envelope, Peer? to = null)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var recipient = to ?? envelope.To ?? throw new ArgumentException("A group message needs an explicit recipient.", nameof(to));
        var answer = await recipient.TryDecryptAsync(envelope.From, envelope.Type, envelope.Body);
        if (!answer.IsOk())
        {
            Assert.Fail($"{recipient.Label} could not decrypt {envelope}: {answer.Error()}");
        }

        Assert.True(envelope.Plaintext.AsSpan().SequenceEqual(answer.Bytes("plaintext_b64")), $"{recipient.Label} decrypted {envelope} to different bytes.");
        Tally.Decrypted++;
    }

    public async Task DeliverAllAsync(IEnumerable<Envelope> envelopes)
    {
        ArgumentNullException.ThrowIfNull(envelopes);
        foreach (var envelope in envelopes)
        {
            await DeliverAsync(envelope);
        }
    }

    /// <summary>The recipient must refuse <paramref name="envelope"/> (tampered, replayed, misdirected) with ok:false.</summary>
    public async Task RejectAsync(Envelope envelope, string why, Peer? to = null, int? asType = null)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var recipient = to ?? envelope.To ?? throw new ArgumentException("A group message needs an explicit recipient.", nameof(to));
        var answer = await recipient.TryDecryptAsync(envelope.From, asType ?? envelope.Type, envelope.Body);
        Assert.False(answer.IsOk(), $"{recipient.Label} accepted {envelope} ({why}).");
        Tally.Rejected++;
    }

    /// <summary>
    /// Runs <paramref name="attack"/> and asserts the recipient's <c>session_info</c> is byte-identical before and
    /// after, when its driver offers <c>session_info</c>. Returns false when the comparison could not be made.
    /// </summary>
    public async Task<bool> AssertStateUnchangedAsync(Peer recipient, Peer sender, string what, Func<Task> attack)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(attack);
        var before = await recipient.SessionInfoAsync(sender);
        await attack();
        var after = await recipient.SessionInfoAsync(sender);
        // Both drivers answer session_info for an existing session; a refusal would hide a changed state.
        Assert.True(before is not null && after is not null, $"{recipient.Label} did not answer session_info around {what}: the state could not be compared.");
        Assert.True(before.SameStateAs(after), $"{recipient.Label}'s state changed after {what}.");
        Note($"{recipient.Label}'s session state compared (session_info) before and after every attack: unchanged");
        return true;
    }

    /// <summary>A line for the scenario's output.</summary>
    public void Note(string line)
    {
        if (!_notes.Contains(line))
        {
            _notes.Add(line);
        }
    }

    /// <summary>Shuffles a copy with this conversation's random source.</summary>
    public List<T> Shuffled<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = Random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }

        return list;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var note in _notes)
        {
            _output.WriteLine(note);
        }

        _output.WriteLine($"{Pairing}: {Tally} in {_clock.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s");
        await Initiator.DisposeAsync();
        await Responder.DisposeAsync();
    }

    private static async Task DisposeStartedAsync(Task<Peer> start)
    {
        if (start.IsCompletedSuccessfully)
        {
            await start.Result.DisposeAsync();
        }
        else
        {
            try
            {
                await start;
            }
            catch (DriverException)
            {
                // Already reported by the caller's exception.
            }
            catch (Xunit.Sdk.XunitException)
            {
            }
        }
    }
}
