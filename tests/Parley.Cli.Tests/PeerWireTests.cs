using System.Text;
using Parley.Cli.Chat;
using Parley.Cli.Peer;

namespace Parley.Cli.Tests;

public sealed class PeerWireTests
{
    [Theory]
    [InlineData("[]")]
    [InlineData("{\"name\":\"bob\"}")]
    [InlineData("{\"name\":\"bob<script>\",\"bundle_b64\":\"AA==\"}")]
    [InlineData("{\"name\":\"bob\",\"bundle_b64\":\"not base64!\"}")]
    [InlineData("{\"name\":7,\"bundle_b64\":\"AA==\"}")]
    [InlineData("{\"name\":\"\",\"bundle_b64\":\"AA==\"}")]
    public void Malformed_bundles_are_rejected_with_a_typed_error(string body)
    {
        Assert.Throws<PeerProtocolException>(() => PeerWire.ReadBundle(PeerWire.Parse(Encoding.UTF8.GetBytes(body))));
    }

    [Theory]
    [InlineData("{\"from\":\"bob\",\"seq\":1,\"type\":1,\"body_b64\":\"AA==\"}")]
    [InlineData("{\"from\":\"bob\",\"seq\":-1,\"type\":2,\"body_b64\":\"AA==\"}")]
    [InlineData("{\"from\":\"bob\",\"seq\":1,\"type\":2}")]
    [InlineData("{\"from\":\"bob\",\"seq\":\"1\",\"type\":2,\"body_b64\":\"AA==\"}")]
    public void Malformed_envelopes_are_rejected_with_a_typed_error(string body)
    {
        Assert.Throws<PeerProtocolException>(() => PeerWire.ReadEnvelope(PeerWire.Parse(Encoding.UTF8.GetBytes(body))));
    }

    [Fact]
    public void Deep_or_broken_json_is_rejected()
    {
        Assert.Throws<PeerProtocolException>(() => PeerWire.Parse(Encoding.UTF8.GetBytes(new string('[', 100) + new string(']', 100))));
        Assert.Throws<PeerProtocolException>(() => PeerWire.Parse(Encoding.UTF8.GetBytes("{\"a\":")));
    }

    [Fact]
    public void Envelopes_round_trip()
    {
        var envelope = PeerWire.Envelope("alice", 7, new PeerCiphertext(3, [1, 2, 3]));
        var (from, sequence, ciphertext) = PeerWire.ReadEnvelope(PeerWire.Parse(Encoding.UTF8.GetBytes(envelope.ToJsonString())));
        Assert.Equal(("alice", 7L, 3), (from, sequence, ciphertext.Type));
        Assert.Equal(new byte[] { 1, 2, 3 }, ciphertext.Body);
    }

    [Fact]
    public void Show_page_has_both_keys_and_the_number_and_escapes_names()
    {
        var page = ShowPage.Render(new IdentitySummary("alice", "05aa", "<b>bob</b>", "05bb", "123456789012345678901234567890123456789012345678901234567890", false));
        Assert.Contains("<code id=\"own-identity-key\">05aa</code>", page, StringComparison.Ordinal);
        Assert.Contains("<code id=\"peer-identity-key\">05bb</code>", page, StringComparison.Ordinal);
        Assert.Contains("12345 67890 12345", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>bob</b>", page, StringComparison.Ordinal);
    }
}
