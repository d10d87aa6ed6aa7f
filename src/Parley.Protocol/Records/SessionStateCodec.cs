using Parley.Protocol.Keys;
using Parley.Protocol.Ratchet;
using Parley.Protocol.Wire;

namespace Parley.Protocol.Records;

/// <summary>
/// Reads and writes libsignal's <c>SessionStructure</c> (proto3, <c>storage.proto</c>): 1 session_version,
/// 2 local_identity_public, 3 remote_identity_public, 4 root_key, 5 previous_counter, 6 sender_chain,
/// 7 receiver_chains, 9 pending_pre_key, 10 remote_registration_id, 11 local_registration_id, 13 alice_base_key,
/// 14 pending_kyber_pre_key, 15 pq_ratchet_state. Chain: 1 sender_ratchet_key, 2 sender_ratchet_key_private,
/// 3 chain_key {1 index, 2 key}, 4 message_keys {1 index, 2 cipher_key, 3 mac_key, 4 iv, 5 seed}.
/// PendingPreKey: 1 pre_key_id (optional), 2 base_key, 3 signed_pre_key_id (int32), 4 timestamp (seconds).
/// PendingKyberPreKey: 1 pre_key_id, 2 ciphertext.
/// </summary>
/// <remarks>
/// Encoding follows proto3: zero scalars and empty bytes are omitted, fields in ascending order. Decoding validates
/// every key length so a corrupt record is refused at load, never half-used.
/// </remarks>
internal static class SessionStateCodec
{
    public static void Encode(SessionState state, ProtoWriter writer)
    {
        WriteUInt(writer, 1, state.Version);
        writer.WriteBytesField(2, state.LocalIdentity.Serialize());
        if (state.RemoteIdentity is not null)
        {
            writer.WriteBytesField(3, state.RemoteIdentity.Serialize());
        }

        writer.WriteBytesField(4, state.RootKey);
        WriteUInt(writer, 5, state.PreviousCounter);
        if (state.SenderChain is { } sender)
        {
            var chain = new ProtoWriter(128);
            chain.WriteBytesField(1, sender.RatchetKeyPair.PublicKey.Serialize());
            chain.WriteBytesField(2, sender.RatchetKeyPair.PrivateKey.KeyBytes);
            WriteChainKey(chain, sender.ChainKey);
            writer.WriteMessageField(6, chain);
            chain.Clear();
        }

        foreach (var receiver in state.ReceiverChains)
        {
            var chain = new ProtoWriter(96 + (receiver.MessageKeys.Count * 40));
            chain.WriteBytesField(1, receiver.RatchetKey.Serialize());
            WriteChainKey(chain, receiver.ChainKey);

            // Records keep skipped keys newest first.
            for (var i = receiver.MessageKeys.Count - 1; i >= 0; i--)
            {
                var key = receiver.MessageKeys[i];
                var entry = new ProtoWriter(48);
                WriteUInt(entry, 1, key.Index);
                if (key.Seed is not null)
                {
                    entry.WriteBytesField(5, key.Seed);
                }
                else
                {
                    entry.WriteBytesField(2, key.CipherKey);
                    entry.WriteBytesField(3, key.MacKey);
                    entry.WriteBytesField(4, key.Iv);
                }

                chain.WriteMessageField(4, entry);
                entry.Clear();
            }

            writer.WriteMessageField(7, chain);
            chain.Clear();
        }

        if (state.PendingPreKey is { } pending)
        {
            var message = new ProtoWriter(64);
            if (pending.PreKeyId is { } preKeyId)
            {
                // proto3 "optional": written whenever present, even when 0.
                message.WriteVarintField(1, preKeyId);
            }

            message.WriteBytesField(2, pending.BaseKey.Serialize());
            if (pending.SignedPreKeyId != 0)
            {
                message.WriteInt32Field(3, pending.SignedPreKeyId);
            }

            if (pending.TimestampSeconds != 0)
            {
                message.WriteVarintField(4, pending.TimestampSeconds);
            }

            writer.WriteMessageField(9, message);
        }

        WriteUInt(writer, 10, state.RemoteRegistrationId);
        WriteUInt(writer, 11, state.LocalRegistrationId);
        if (state.AliceBaseKey.Length > 0)
        {
            writer.WriteBytesField(13, state.AliceBaseKey);
        }

        if (state.PendingKyberPreKey is { } kyber)
        {
            var message = new ProtoWriter(kyber.Ciphertext.Length + 16);
            WriteUInt(message, 1, kyber.KyberPreKeyId);
            message.WriteBytesField(2, kyber.Ciphertext);
            writer.WriteMessageField(14, message);
        }

        if (state.RequiredPqRatchetState is { Length: > 0 } pq)
        {
            writer.WriteBytesField(15, pq);
        }
    }

    public static bool TryDecode(ReadOnlySpan<byte> data, out SessionState state, out string failure)
    {
        state = null!;
        failure = "malformed session structure.";
        var reader = new ProtoReader(data);
        uint version = 0, previousCounter = 0, remoteRegistrationId = 0, localRegistrationId = 0;
        ReadOnlySpan<byte> localIdentity = default, remoteIdentity = default, rootKey = default, aliceBaseKey = default, pqState = default;
        ReadOnlySpan<byte> senderChain = default, pendingPreKey = default, pendingKyber = default;
        bool hasSender = false, hasPending = false, hasKyber = false;
        var receiverChains = new List<ReceiverChain>();
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return false;
            }

            bool ok;
            switch (field)
            {
                case 1: ok = reader.TryReadUInt32(wireType, out version); break;
                case 2: ok = reader.TryReadBytes(wireType, out localIdentity); break;
                case 3: ok = reader.TryReadBytes(wireType, out remoteIdentity); break;
                case 4: ok = reader.TryReadBytes(wireType, out rootKey); break;
                case 5: ok = reader.TryReadUInt32(wireType, out previousCounter); break;
                case 6: ok = hasSender = reader.TryReadBytes(wireType, out senderChain); break;
                case 7:
                    ok = false;
                    if (reader.TryReadBytes(wireType, out var receiver) && TryDecodeReceiverChain(receiver, out var chain, ref failure))
                    {
                        receiverChains.Add(chain);
                        ok = true;
                    }

                    break;
                case 9: ok = hasPending = reader.TryReadBytes(wireType, out pendingPreKey); break;
                case 10: ok = reader.TryReadUInt32(wireType, out remoteRegistrationId); break;
                case 11: ok = reader.TryReadUInt32(wireType, out localRegistrationId); break;
                case 13: ok = reader.TryReadBytes(wireType, out aliceBaseKey); break;
                case 14: ok = hasKyber = reader.TryReadBytes(wireType, out pendingKyber); break;
                case 15: ok = reader.TryReadBytes(wireType, out pqState); break;
                default: ok = reader.TrySkip(wireType); break;
            }

            if (!ok)
            {
                return false;
            }
        }

        if (!EcPublicKey.TryDeserialize(localIdentity, out var local))
        {
            failure = "invalid local identity key.";
            return false;
        }

        IdentityKey? remote = null;
        if (!remoteIdentity.IsEmpty)
        {
            if (!EcPublicKey.TryDeserialize(remoteIdentity, out var remoteKey))
            {
                failure = "invalid remote identity key.";
                return false;
            }

            remote = new IdentityKey(remoteKey);
        }

        if (rootKey.Length != RootKey.Size)
        {
            failure = "invalid root key.";
            return false;
        }

        // libsignal reads a missing version as 2; such states can never decrypt a version 3/4 message.
        var result = new SessionState(version == 0 ? 2 : version, new IdentityKey(local), remote, rootKey.ToArray(), aliceBaseKey.ToArray())
        {
            PreviousCounter = previousCounter,
            RemoteRegistrationId = remoteRegistrationId,
            LocalRegistrationId = localRegistrationId,
        };
        result.ReceiverChains.AddRange(receiverChains);

        if (hasSender)
        {
            if (!TryDecodeSenderChain(senderChain, out var sender))
            {
                failure = "invalid sender chain.";
                return false;
            }

            result.SenderChain = sender;
        }

        if (hasPending)
        {
            if (!TryDecodePendingPreKey(pendingPreKey, out var pending))
            {
                failure = "invalid pending pre-key.";
                return false;
            }

            result.PendingPreKey = pending;
        }

        if (hasKyber)
        {
            if (!TryDecodePendingKyber(pendingKyber, out var kyber))
            {
                failure = "invalid pending Kyber pre-key.";
                return false;
            }

            result.PendingKyberPreKey = kyber;
        }

        if (!PqRatchetStateInspector.TryClassify(pqState, out var requiresPq))
        {
            failure = "invalid post-quantum ratchet state.";
            return false;
        }

        // A state still negotiating (or never started) is treated as negotiated down to "no PQ ratchet" and the
        // field is dropped; a state that already committed to SPQR is kept intact but is unusable by Parley.
        result.RequiredPqRatchetState = requiresPq ? pqState.ToArray() : null;
        state = result;
        return true;
    }

    private static bool TryDecodeSenderChain(ReadOnlySpan<byte> data, out SenderChain chain)
    {
        chain = null!;
        if (!TryDecodeChain(data, out var ratchetKey, out var privateKey, out var chainKey, out var messageKeys)
            || privateKey is null || messageKeys.Count != 0)
        {
            return false;
        }

        chain = new SenderChain(new EcKeyPair(ratchetKey, privateKey), chainKey);
        return true;
    }

    private static bool TryDecodeReceiverChain(ReadOnlySpan<byte> data, out ReceiverChain chain, ref string failure)
    {
        chain = null!;
        if (!TryDecodeChain(data, out var ratchetKey, out _, out var chainKey, out var messageKeys))
        {
            failure = "invalid receiver chain.";
            return false;
        }

        chain = new ReceiverChain(ratchetKey, chainKey, messageKeys);
        return true;
    }

    private static bool TryDecodeChain(
        ReadOnlySpan<byte> data,
        out EcPublicKey ratchetKey,
        out EcPrivateKey? privateKey,
        out ChainKey chainKey,
        out List<StoredMessageKey> messageKeys)
    {
        ratchetKey = null!;
        privateKey = null;
        chainKey = null!;
        messageKeys = [];
        var reader = new ProtoReader(data);
        ReadOnlySpan<byte> publicBytes = default, privateBytes = default, chainKeyBytes = default;
        var hasChainKey = false;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return false;
            }

            bool ok;
            switch (field)
            {
                case 1: ok = reader.TryReadBytes(wireType, out publicBytes); break;
                case 2: ok = reader.TryReadBytes(wireType, out privateBytes); break;
                case 3: ok = hasChainKey = reader.TryReadBytes(wireType, out chainKeyBytes); break;
                case 4:
                    ok = false;
                    if (reader.TryReadBytes(wireType, out var entry) && TryDecodeMessageKey(entry, out var key))
                    {
                        messageKeys.Add(key);
                        ok = true;
                    }

                    break;
                default: ok = reader.TrySkip(wireType); break;
            }

            if (!ok)
            {
                return false;
            }
        }

        if (!EcPublicKey.TryDeserialize(publicBytes, out ratchetKey) || !hasChainKey || !TryDecodeChainKey(chainKeyBytes, out chainKey))
        {
            return false;
        }

        // Records list skipped keys newest first; keep them oldest first in memory.
        messageKeys.Reverse();

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

    private static bool TryDecodeChainKey(ReadOnlySpan<byte> data, out ChainKey chainKey)
    {
        chainKey = null!;
        var reader = new ProtoReader(data);
        uint index = 0;
        ReadOnlySpan<byte> key = default;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return false;
            }

            var ok = field switch
            {
                1 => reader.TryReadUInt32(wireType, out index),
                2 => reader.TryReadBytes(wireType, out key),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (key.Length != ChainKey.Size)
        {
            return false;
        }

        chainKey = new ChainKey(key.ToArray(), index);
        return true;
    }

    private static bool TryDecodeMessageKey(ReadOnlySpan<byte> data, out StoredMessageKey key)
    {
        key = null!;
        var reader = new ProtoReader(data);
        uint index = 0;
        ReadOnlySpan<byte> cipherKey = default, macKey = default, iv = default, seed = default;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return false;
            }

            var ok = field switch
            {
                1 => reader.TryReadUInt32(wireType, out index),
                2 => reader.TryReadBytes(wireType, out cipherKey),
                3 => reader.TryReadBytes(wireType, out macKey),
                4 => reader.TryReadBytes(wireType, out iv),
                5 => reader.TryReadBytes(wireType, out seed),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (seed.Length == 32)
        {
            key = StoredMessageKey.FromSeed(index, seed.ToArray());
            return true;
        }

        if (seed.IsEmpty && cipherKey.Length == 32 && macKey.Length == 32 && iv.Length == 16)
        {
            key = StoredMessageKey.FromParts(index, cipherKey.ToArray(), macKey.ToArray(), iv.ToArray());
            return true;
        }

        return false;
    }

    private static bool TryDecodePendingPreKey(ReadOnlySpan<byte> data, out PendingPreKey pending)
    {
        pending = null!;
        var reader = new ProtoReader(data);
        uint preKeyId = 0, signedPreKeyId = 0;
        ulong timestamp = 0;
        var hasPreKeyId = false;
        ReadOnlySpan<byte> baseKey = default;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return false;
            }

            var ok = field switch
            {
                1 => hasPreKeyId = reader.TryReadUInt32(wireType, out preKeyId),
                2 => reader.TryReadBytes(wireType, out baseKey),
                3 => reader.TryReadInt32AsUInt32(wireType, out signedPreKeyId),
                4 => reader.TryReadUInt64(wireType, out timestamp),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (!EcPublicKey.TryDeserialize(baseKey, out var key))
        {
            return false;
        }

        pending = new PendingPreKey(hasPreKeyId ? preKeyId : null, signedPreKeyId, key, timestamp);
        return true;
    }

    private static bool TryDecodePendingKyber(ReadOnlySpan<byte> data, out PendingKyberPreKey pending)
    {
        pending = null!;
        var reader = new ProtoReader(data);
        uint id = 0;
        ReadOnlySpan<byte> ciphertext = default;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return false;
            }

            var ok = field switch
            {
                1 => reader.TryReadUInt32(wireType, out id),
                2 => reader.TryReadBytes(wireType, out ciphertext),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
            {
                return false;
            }
        }

        pending = new PendingKyberPreKey(id, ciphertext.ToArray());
        return true;
    }

    private static void WriteChainKey(ProtoWriter writer, ChainKey chainKey)
    {
        var message = new ProtoWriter(40);
        WriteUInt(message, 1, chainKey.Index);
        message.WriteBytesField(2, chainKey.Key);
        writer.WriteMessageField(3, message);
        message.Clear();
    }

    private static void WriteUInt(ProtoWriter writer, int field, ulong value)
    {
        if (value != 0)
        {
            writer.WriteVarintField(field, value);
        }
    }
}
