namespace Parley.Interop.Tests.Signatures;

/// <summary>One verification input: a 33-byte public key (0x05 ‖ u), a message and a 64-byte signature.</summary>
/// <param name="Expected">What PROTOCOL.md §3.2 says a verifier must answer, when the case was built to know it.</param>
internal sealed record XEdDsaCase(string Category, byte[] PublicKey, byte[] Message, byte[] Signature, bool? Expected)
{
    public string Describe() =>
        $"category \"{Category}\": publicKey {Convert.ToHexString(PublicKey)} message {Convert.ToHexString(Message)} signature {Convert.ToHexString(Signature)}";
}
