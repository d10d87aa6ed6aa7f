using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Parley.Benchmarks.Support;
using Parley.Crypto.Symmetric;

namespace Parley.Benchmarks.Primitives;

/// <summary>
/// The symmetric primitives of one Double Ratchet message, called directly, without the protocol around them: the
/// floor that bench/libsignal/report.mjs sums to judge how much the protocol layer adds (PROTOCOL.md §6.1, §6.4).
/// A message is two chain HMACs (seed and next chain key), HKDF to 80 bytes of message keys, AES-256-CBC over the
/// body and the 8-byte HMAC over both identities and the message; a DH ratchet step adds the root HKDF per chain.
/// </summary>
public class SymmetricBenchmarks
{
    // Sender identity (33) ‖ receiver identity (33) ‖ version byte ‖ protobuf header (ratchet key 35, counters 4).
    private const int MacPrefix = 33 + 33 + 1 + 35 + 4;

    private static ReadOnlySpan<byte> MessageKeysInfo => "WhisperMessageKeys"u8;

    private static ReadOnlySpan<byte> RatchetInfo => "WhisperRatchet"u8;

    private readonly byte[] _chainKey = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _rootKey = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _agreement = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _mac = new byte[32];
    private readonly Dictionary<int, (byte[] Plaintext, byte[] Ciphertext, byte[] MacInput)> _bodies = [];

    [GlobalSetup]
    public void Setup()
    {
        var keys = MessageKeysFromChain();
        foreach (var size in new[] { Payload.Small, Payload.Medium })
        {
            var plaintext = Payload.Of(size);
            var ciphertext = AesCbc.Encrypt(keys.AsSpan(0, 32), keys.AsSpan(64, 16), plaintext);
            _bodies[size] = (plaintext, ciphertext, new byte[MacPrefix + ciphertext.Length + 4]);
        }
    }

    [Benchmark(Description = "symmetric.seal.100B")]
    public byte[] SealSmall() => Seal(Payload.Small);

    [Benchmark(Description = "symmetric.seal.1KiB")]
    public byte[] SealMedium() => Seal(Payload.Medium);

    [Benchmark(Description = "symmetric.open.100B")]
    public byte[] OpenSmall() => Open(Payload.Small);

    [Benchmark(Description = "symmetric.open.1KiB")]
    public byte[] OpenMedium() => Open(Payload.Medium);

    /// <summary>One root-key step of a DH ratchet turn, without its agreement (x25519.agree is its own row).</summary>
    [Benchmark(Description = "kdf.root-step")]
    public byte[] RootStep() => Kdf.HkdfSha256(_agreement, _rootKey, RatchetInfo, 64);

    private byte[] Seal(int size)
    {
        var (plaintext, _, macInput) = _bodies[size];
        var keys = MessageKeysFromChain();
        var ciphertext = AesCbc.Encrypt(keys.AsSpan(0, 32), keys.AsSpan(64, 16), plaintext);
        ciphertext.CopyTo(macInput, MacPrefix);
        Kdf.HmacSha256(keys.AsSpan(32, 32), macInput, _mac);
        return ciphertext;
    }

    private byte[] Open(int size)
    {
        var (_, ciphertext, macInput) = _bodies[size];
        var keys = MessageKeysFromChain();
        ciphertext.CopyTo(macInput, MacPrefix);
        Kdf.HmacSha256(keys.AsSpan(32, 32), macInput, _mac);
        _ = CryptographicOperations.FixedTimeEquals(_mac.AsSpan(0, 8), macInput.AsSpan(0, 8));
        return AesCbc.TryDecrypt(keys.AsSpan(0, 32), keys.AsSpan(64, 16), ciphertext)
            ?? throw new InvalidOperationException("The benchmark ciphertext must decrypt.");
    }

    private byte[] MessageKeysFromChain()
    {
        Span<byte> seed = stackalloc byte[32];
        Span<byte> next = stackalloc byte[32];
        Kdf.HmacSha256(_chainKey, [0x01], seed);
        Kdf.HmacSha256(_chainKey, [0x02], next);
        return Kdf.HkdfSha256(seed, [], MessageKeysInfo, 80);
    }
}
