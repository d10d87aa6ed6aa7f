using Parley.Protocol.Groups;
using Parley.Protocol.Keys;
using Parley.Protocol.Wire;

namespace Parley.Protocol.Records;

/// <summary>
/// The sender-key states of one (sender, distribution id), newest first, at most
/// <see cref="ProtocolLimits.MaxSenderKeyStates"/>. Serializes to libsignal's <c>SenderKeyRecordStructure</c>
/// {1 repeated SenderKeyStateStructure {1 chain_id, 2 sender_chain_key {1 iteration, 2 seed}, 3 sender_signing_key
/// {1 public, 2 private}, 4 sender_message_keys {1 iteration, 2 seed}, 5 message_version}}.
/// </summary>
public sealed class SenderKeyRecord
{
    private readonly List<SenderKeyState> _states;

    /// <summary>An empty record.</summary>
    public SenderKeyRecord()
    {
        _states = [];
    }

    private SenderKeyRecord(List<SenderKeyState> states)
    {
        _states = states;
    }

    /// <summary>The number of states held.</summary>
    public int StateCount => _states.Count;

    internal IReadOnlyList<SenderKeyState> States => _states;

    /// <summary>Parses a <c>SenderKeyRecordStructure</c>.</summary>
    /// <exception cref="InvalidRecordException">Malformed or holding invalid keys.</exception>
    public static SenderKeyRecord Deserialize(ReadOnlySpan<byte> serialized)
    {
        var reader = new ProtoReader(serialized);
        var states = new List<SenderKeyState>();
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                throw new InvalidRecordException("Malformed sender key record.");
            }

            if (field == 1)
            {
                if (!reader.TryReadBytes(wireType, out var stateBytes) || !TryDecodeState(stateBytes, out var state))
                {
                    throw new InvalidRecordException("Invalid sender key state.");
                }

                states.Add(state);
            }
            else if (!reader.TrySkip(wireType))
            {
                throw new InvalidRecordException("Malformed sender key record.");
            }
        }

        return new SenderKeyRecord(states);
    }

    /// <summary>The <c>SenderKeyRecordStructure</c> encoding (holds chain keys and possibly a signing key).</summary>
    public byte[] Serialize()
    {
        var writer = new ProtoWriter(256);
        foreach (var state in _states)
        {
            var message = new ProtoWriter(128 + (state.MessageKeys.Count * 42));
            WriteUInt(message, 1, state.ChainId);
            var chainKey = new ProtoWriter(40);
            WriteUInt(chainKey, 1, state.ChainKey.Iteration);
            chainKey.WriteBytesField(2, state.ChainKey.Seed);
            message.WriteMessageField(2, chainKey);
            chainKey.Clear();

            var signing = new ProtoWriter(72);
            signing.WriteBytesField(1, state.SigningKey.Serialize());
            if (state.SigningPrivateKey is not null)
            {
                signing.WriteBytesField(2, state.SigningPrivateKey.KeyBytes);
            }

            message.WriteMessageField(3, signing);
            signing.Clear();

            foreach (var key in state.MessageKeys)
            {
                var entry = new ProtoWriter(40);
                WriteUInt(entry, 1, key.Iteration);
                entry.WriteBytesField(2, key.Seed);
                message.WriteMessageField(4, entry);
                entry.Clear();
            }

            WriteUInt(message, 5, state.MessageVersion);
            writer.WriteMessageField(1, message);
            message.Clear();
        }

        var bytes = writer.ToArray();
        writer.Clear();
        return bytes;
    }

    /// <summary>Counts only.</summary>
    public override string ToString() => $"SenderKeyRecord({StateCount} states)";

    internal SenderKeyRecord Clone() => new(_states.ConvertAll(s => s.Clone()));

    internal SenderKeyState? StateForChainId(uint chainId) => _states.Find(s => s.ChainId == chainId);

    /// <summary>Replaces every state with a single new one (the sender's own chain).</summary>
    internal void SetSenderKeyState(SenderKeyState state)
    {
        _states.Clear();
        _states.Add(state);
    }

    /// <summary>
    /// Adds a state from a distribution message (PROTOCOL.md §8): a repeat with the same chain id and signing key keeps
    /// the existing state and its progress; the same chain id with another key replaces it; the record keeps at most
    /// <see cref="ProtocolLimits.MaxSenderKeyStates"/> states, dropping the oldest.
    /// </summary>
    internal void AddSenderKeyState(SenderKeyState state)
    {
        var existing = _states.Find(s => s.ChainId == state.ChainId && s.SigningKey.Equals(state.SigningKey));
        _states.RemoveAll(s => s.ChainId == state.ChainId);
        while (_states.Count >= ProtocolLimits.MaxSenderKeyStates)
        {
            _states.RemoveAt(_states.Count - 1);
        }

        _states.Insert(0, existing ?? state);
    }

    private static bool TryDecodeState(ReadOnlySpan<byte> data, out SenderKeyState state)
    {
        state = null!;
        var reader = new ProtoReader(data);
        uint chainId = 0, version = 0;
        ReadOnlySpan<byte> chainKey = default, signing = default;
        bool hasChainKey = false, hasSigning = false;
        var messageKeys = new List<SenderMessageKey>();
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return false;
            }

            bool ok;
            switch (field)
            {
                case 1: ok = reader.TryReadUInt32(wireType, out chainId); break;
                case 2: ok = hasChainKey = reader.TryReadBytes(wireType, out chainKey); break;
                case 3: ok = hasSigning = reader.TryReadBytes(wireType, out signing); break;
                case 4:
                    ok = false;
                    if (reader.TryReadBytes(wireType, out var entry) && TryDecodeIterationSeed(entry, out var iteration, out var seed))
                    {
                        messageKeys.Add(new SenderMessageKey(iteration, seed));
                        ok = true;
                    }

                    break;
                case 5: ok = reader.TryReadUInt32(wireType, out version); break;
                default: ok = reader.TrySkip(wireType); break;
            }

            if (!ok)
            {
                return false;
            }
        }

        if (!hasChainKey || !hasSigning || !TryDecodeIterationSeed(chainKey, out var chainIteration, out var chainSeed)
            || !TryDecodeSigningKey(signing, out var signingKey, out var signingPrivate))
        {
            return false;
        }

        // Records written before message_version existed hold version 3 states.
        state = new SenderKeyState(version == 0 ? 3 : version, chainId, new SenderChainKey(chainIteration, chainSeed), signingKey, signingPrivate, messageKeys);
        return true;
    }

    private static bool TryDecodeIterationSeed(ReadOnlySpan<byte> data, out uint iteration, out byte[] seed)
    {
        iteration = 0;
        seed = [];
        var reader = new ProtoReader(data);
        ReadOnlySpan<byte> seedBytes = default;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return false;
            }

            var ok = field switch
            {
                1 => reader.TryReadUInt32(wireType, out iteration),
                2 => reader.TryReadBytes(wireType, out seedBytes),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (seedBytes.Length != 32)
        {
            return false;
        }

        seed = seedBytes.ToArray();
        return true;
    }

    private static bool TryDecodeSigningKey(ReadOnlySpan<byte> data, out EcPublicKey publicKey, out EcPrivateKey? privateKey)
    {
        publicKey = null!;
        privateKey = null;
        var reader = new ProtoReader(data);
        ReadOnlySpan<byte> publicBytes = default, privateBytes = default;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return false;
            }

            var ok = field switch
            {
                1 => reader.TryReadBytes(wireType, out publicBytes),
                2 => reader.TryReadBytes(wireType, out privateBytes),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (!EcPublicKey.TryDeserialize(publicBytes, out publicKey))
        {
            return false;
        }

        if (!privateBytes.IsEmpty)
        {
            if (!EcPrivateKey.TryDeserialize(privateBytes, out var parsed))
            {
                return false;
            }

            privateKey = parsed;
        }

        return true;
    }

    private static void WriteUInt(ProtoWriter writer, int field, uint value)
    {
        if (value != 0)
        {
            writer.WriteVarintField(field, value);
        }
    }
}
