using System.Security.Cryptography;
using Parley.Client.Content;

namespace Parley.Client.Tests;

/// <summary>The message content format inside the Signal plaintext: round trips, padding, hostile input.</summary>
public sealed class ContentCodecTests
{
    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("日本語 🔐 ünïcödé")]
    public void Content_round_trips_and_is_padded_to_160_byte_blocks(string text)
    {
        var content = new MessageContent(Guid.NewGuid(), 1_767_225_600_123, text);
        var bytes = ContentCodec.Encode(content);
        Assert.Equal(0, bytes.Length % ContentCodec.PaddingBlock);
        Assert.True(ContentCodec.TryDecode(bytes, out var decoded, out var reason), reason);
        Assert.Equal(content, decoded);
    }

    [Fact]
    public void A_session_reset_round_trips_and_rejects_trailing_garbage()
    {
        var reset = new MessageContent(Guid.NewGuid(), 5, "", ContentKind.SessionReset, 1_767_225_600_000);
        var bytes = ContentCodec.Encode(reset);
        Assert.Equal(ContentCodec.PaddingBlock, bytes.Length);
        Assert.True(ContentCodec.TryDecode(bytes, out var decoded, out _));
        Assert.Equal(reset, decoded);
        Assert.False(ContentCodec.TryDecode(With(bytes, 100, 1), out _, out _));
        Assert.False(ContentCodec.TryDecode(bytes[..33], out _, out _));
    }

    [Fact]
    public void The_largest_text_round_trips_and_one_byte_more_is_refused()
    {
        var largest = new string('z', ContentCodec.MaxTextBytes);
        Assert.True(ContentCodec.TryDecode(ContentCodec.Encode(new MessageContent(Guid.NewGuid(), 0, largest)), out var decoded, out _));
        Assert.Equal(largest, decoded!.Text);
        Assert.Throws<ArgumentException>(() => ContentCodec.Encode(new MessageContent(Guid.NewGuid(), 0, largest + "z")));
    }

    [Fact]
    public void Hostile_contents_are_refused_with_a_reason()
    {
        var valid = ContentCodec.Encode(new MessageContent(Guid.NewGuid(), 42, "text"));
        var cases = new Dictionary<string, byte[]>
        {
            ["empty"] = [],
            ["truncated header"] = valid[..20],
            ["version 2"] = With(valid, 0, 2),
            ["kind 9"] = With(valid, 1, 9),
            ["length past the end"] = With(valid, 26, 0x7F),
            ["length over the limit"] = With(With(valid, 27, 0x02), 26, 0x00),
            ["non-zero padding"] = With(valid, valid.Length - 1, 1),
            ["invalid UTF-8"] = With(valid, 30, 0xFF),
            ["too long overall"] = new byte[ContentCodec.MaxEncodedBytes + 1],
        };
        foreach (var (name, bytes) in cases)
        {
            Assert.False(ContentCodec.TryDecode(bytes, out var content, out var reason), name);
            Assert.Null(content);
            Assert.False(string.IsNullOrEmpty(reason), name);
        }
    }

    [Fact]
    public void Random_mutations_never_throw_100000_times()
    {
        var seeds = new[] { "", "short", new string('m', 500), "ünï 🔐" }
            .Select(t => ContentCodec.Encode(new MessageContent(Guid.NewGuid(), 7, t))).ToArray();
        var accepted = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var bytes = (byte[])seeds[i % seeds.Length].Clone();
            switch (RandomNumberGenerator.GetInt32(4))
            {
                case 0:
                    bytes[RandomNumberGenerator.GetInt32(bytes.Length)] ^= (byte)RandomNumberGenerator.GetInt32(1, 256);
                    break;
                case 1:
                    bytes = bytes[..RandomNumberGenerator.GetInt32(bytes.Length + 1)];
                    break;
                case 2:
                    bytes = [.. bytes, .. RandomNumberGenerator.GetBytes(RandomNumberGenerator.GetInt32(1, 300))];
                    break;
                default:
                    bytes = RandomNumberGenerator.GetBytes(RandomNumberGenerator.GetInt32(0, 400));
                    break;
            }

            if (ContentCodec.TryDecode(bytes, out var content, out _))
            {
                Assert.NotNull(content);
                accepted++;
            }
        }

        Assert.True(accepted < 100_000);
    }

    private static byte[] With(byte[] bytes, int index, byte value)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] = value;
        return copy;
    }
}
