using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using Parley.Protocol.Fingerprints;
using Parley.Protocol.Groups;
using Parley.Protocol.Keys;
using Parley.Protocol.Messages;
using Parley.Protocol.Records;
using Parley.Protocol.Tests.Support;
using Xunit.Abstractions;

namespace Parley.Protocol.Tests.Hygiene;

/// <summary>
/// No key, secret or plaintext in any <c>ToString()</c> or exception message. Every type of the assembly that holds
/// bytes (directly or through other types) is found by reflection; each must have a populated sample, and its
/// <c>ToString()</c> must not contain any of the bytes reachable from it, as hex or base64.
/// </summary>
public sealed class SecretRedactionTests(ITestOutputHelper output)
{
    private static readonly Assembly Protocol = typeof(SessionCipher).Assembly;

    [Fact]
    public async Task No_key_bearing_type_prints_its_bytes()
    {
        var samples = await CollectSamplesAsync();
        var keyBearing = KeyBearingTypes();
        var missing = keyBearing.Where(t => !samples.ContainsKey(t)).Select(t => t.FullName).ToList();
        Assert.True(missing.Count == 0, "No populated sample for: " + string.Join(", ", missing));

        var checkedCount = 0;
        foreach (var type in keyBearing)
        {
            var populated = samples[type]
                .Select(instance => (Instance: instance, Bytes: ReachableByteArrays(instance).Where(b => b.Length >= 8).ToList()))
                .Where(s => s.Bytes.Count > 0)
                .Take(5)
                .ToList();
            Assert.True(populated.Count > 0, $"no sample of {type.Name} holds any bytes");
            foreach (var (instance, bytes) in populated)
            {
                var text = instance.ToString() ?? string.Empty;
                var leak = SecretScan.FindLeak(text, bytes);
                Assert.True(leak is null, $"{type.Name}.ToString() = \"{text}\" contains {leak}");
                checkedCount++;
            }
        }

        output.WriteLine($"{keyBearing.Count} key-bearing types, {checkedCount} populated instances checked");
    }

    [Fact]
    public void Every_exception_message_is_free_of_key_bytes()
    {
        var identity = IdentityKeyPair.Generate();
        var secrets = new List<byte[]> { identity.PrivateKey.Serialize(), identity.IdentityKey.Serialize() };
        var address = new ProtocolAddress(Guid.NewGuid().ToString(), 3);
        var exceptionTypes = Protocol.GetTypes().Where(t => typeof(Exception).IsAssignableFrom(t) && !t.IsAbstract).ToList();
        Assert.True(exceptionTypes.Count >= 14, $"found {exceptionTypes.Count}");

        foreach (var type in exceptionTypes)
        {
            foreach (var constructor in type.GetConstructors())
            {
                var arguments = constructor.GetParameters().Select(p => SampleArgument(p.ParameterType, address)).ToArray();
                var exception = (Exception)constructor.Invoke(arguments);
                Assert.Null(SecretScan.FindLeak(exception.Message, secrets));
                Assert.Null(SecretScan.FindLeak(exception.ToString(), secrets));
            }
        }
    }

    private static object? SampleArgument(Type type, ProtocolAddress address) => type switch
    {
        _ when type == typeof(string) => "message",
        _ when type == typeof(Exception) => new InvalidOperationException("inner"),
        _ when type == typeof(ProtocolAddress) => address,
        _ when type == typeof(int) => 3,
        _ when type == typeof(uint) => 7u,
        _ when type == typeof(byte) => (byte)0x0A,
        _ when type == typeof(bool) => true,
        _ when type == typeof(Guid) => Guid.NewGuid(),
        _ when type == typeof(CiphertextMessageType) => CiphertextMessageType.PreKey,
        _ when type == typeof(PreKeyKind) => PreKeyKind.Kyber,
        _ => throw new InvalidOperationException($"no sample argument for {type}"),
    };

    /// <summary>Types of the protocol assembly that hold bytes, directly or through fields of other such types.</summary>
    private static List<Type> KeyBearingTypes()
    {
        var types = Protocol.GetTypes()
            .Where(t => !t.IsInterface && !t.IsEnum && !t.IsByRefLike && !(t.IsAbstract && t.IsSealed) && !typeof(Exception).IsAssignableFrom(t))
            .Where(t => t.GetCustomAttribute<CompilerGeneratedAttribute>() is null && !t.Name.Contains('<', StringComparison.Ordinal))
            .ToList();
        var bearing = new HashSet<Type>();
        bool changed;
        do
        {
            changed = false;
            foreach (var type in types.Where(t => !bearing.Contains(t)))
            {
                if (Fields(type).Any(f => HoldsBytes(f.FieldType, bearing)))
                {
                    bearing.Add(type);
                    changed = true;
                }
            }
        }
        while (changed);

        return [.. bearing.OrderBy(t => t.FullName, StringComparer.Ordinal)];
    }

    private static bool HoldsBytes(Type type, HashSet<Type> bearing) =>
        type == typeof(byte[]) || bearing.Contains(type) || (type.IsGenericType && type.GetGenericArguments().Any(a => HoldsBytes(a, bearing)))
        || (type.IsArray && HoldsBytes(type.GetElementType()!, bearing));

    private static IEnumerable<FieldInfo> Fields(Type type)
    {
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                yield return field;
            }
        }
    }

    private static IEnumerable<byte[]> ReachableByteArrays(object root)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<object>([root]);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (!seen.Add(current))
            {
                continue;
            }

            if (current is byte[] bytes)
            {
                yield return bytes;
                continue;
            }

            if (current is string || current.GetType().IsPrimitive)
            {
                continue;
            }

            if (current is IEnumerable sequence && current.GetType().Assembly != Protocol)
            {
                foreach (var item in sequence)
                {
                    if (item is not null)
                    {
                        stack.Push(item);
                    }
                }

                continue;
            }

            if (current.GetType().Assembly != Protocol && !current.GetType().IsGenericType)
            {
                continue;
            }

            foreach (var field in Fields(current.GetType()))
            {
                if (field.FieldType.IsByRefLike || field.FieldType.IsPointer)
                {
                    continue;
                }

                if (field.GetValue(current) is { } value)
                {
                    stack.Push(value);
                }
            }
        }
    }

    /// <summary>Populated instances of as many protocol types as a conversation, a group and a fingerprint produce.</summary>
    private static async Task<Dictionary<Type, List<object>>> CollectSamplesAsync()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var late = await alice.EncryptAsync(bob, "late");
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "ahead")); // leaves a stored skipped key
        var carol = new TestParty();
        await carol.StartSessionWithAsync(bob); // Carol's record holds pending pre-key data
        var preKeyMessage = await carol.EncryptAsync(bob, "prekey");
        var group = Guid.NewGuid();
        var skdm = await GroupSessionBuilder.CreateDistributionMessageAsync(alice.Address, group, alice.Store);
        await GroupSessionBuilder.ProcessDistributionMessageAsync(alice.Address, skdm, bob.Store);
        var groupMessage = await GroupCipher.EncryptAsync(alice.Address, group, "group"u8.ToArray(), alice.Store);
        await GroupCipher.EncryptAsync(alice.Address, group, "group 2"u8.ToArray(), alice.Store);
        await bob.DecryptAsync(alice, await GroupCipher.EncryptAsync(alice.Address, group, "group 3"u8.ToArray(), alice.Store)); // skipped sender keys

        var bundle = bob.CreateBundle();
        var writer = new Parley.Protocol.Wire.ProtoWriter();
        writer.WriteBytesField(1, alice.Identity.PrivateKey.Serialize());
        var roots = new List<object>
        {
            alice.Store, bob.Store, carol.Store, late, preKeyMessage, skdm, groupMessage, bundle, writer,
            (await bob.SessionWithAsync(alice)), (await carol.SessionWithAsync(bob)),
            (await bob.Store.LoadSenderKeyAsync(alice.Address, group, default))!,
            (await alice.Store.LoadSenderKeyAsync(alice.Address, group, default))!,
            (await bob.Store.LoadPreKeyAsync(2, default))!, (await bob.Store.LoadSignedPreKeyAsync(2, default))!,
            (await bob.Store.LoadKyberPreKeyAsync(2, default))!, alice.Identity,
            Fingerprint.Create(2, 5200, "a"u8, alice.Identity.IdentityKey, "b"u8, bob.Identity.IdentityKey),
            Parley.Protocol.Ratchet.MessageKeys.FromSeed(new byte[32], 0),
            new Parley.Protocol.Groups.SenderMessageKey(1, Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()),
        };

        var samples = new Dictionary<Type, List<object>>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<object>(roots);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (current is string or byte[] || current.GetType().IsPrimitive || !seen.Add(current))
            {
                continue;
            }

            if (current.GetType().Assembly == Protocol)
            {
                if (!samples.TryGetValue(current.GetType(), out var list))
                {
                    samples[current.GetType()] = list = [];
                }

                list.Add(current);
            }

            if (current is IEnumerable sequence && current.GetType().Assembly != Protocol)
            {
                foreach (var item in sequence)
                {
                    if (item is not null)
                    {
                        stack.Push(item);
                    }
                }

                continue;
            }

            foreach (var field in Fields(current.GetType()))
            {
                if (!field.FieldType.IsByRefLike && !field.FieldType.IsPointer && field.GetValue(current) is { } value)
                {
                    stack.Push(value);
                }
            }
        }

        return samples;
    }
}
