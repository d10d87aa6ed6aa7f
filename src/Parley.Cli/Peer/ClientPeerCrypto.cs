using System.Text;
using Parley.Cli.Chat;
using Parley.Cli.Commands;
using Parley.Client;
using SdkCiphertext = Parley.Client.PeerCiphertext;

namespace Parley.Cli.Peer;

/// <summary>Peer-mode cryptography through the SDK's peer helpers and the profile's encrypted stores.</summary>
internal sealed class ClientPeerCrypto : IPeerCrypto
{
    private readonly ParleyClient _client;

    public ClientPeerCrypto(ParleyClient client)
    {
        _client = client;
    }

    public string OwnName => _client.Username;

    public async Task<byte[]> CreateBundleAsync(CancellationToken cancellationToken)
    {
        var bundle = await _client.CreatePeerBundleAsync(cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetBytes(bundle.ToJson());
    }

    public Task<Chat.IdentityChanged?> AcceptBundleAsync(string peerName, byte[] bundle, CancellationToken cancellationToken) =>
        Translated(async () =>
        {
            var parsed = PeerBundle.FromJson(Encoding.UTF8.GetString(bundle));
            var session = await _client.AcceptPeerBundleAsync(peerName, parsed, cancellationToken).ConfigureAwait(false);
            return session.IdentityWarning is { } change ? RelayChatSession.ToChat(change) : null;
        });

    public Task<(string Id, PeerCiphertext Ciphertext)> EncryptAsync(string peerName, string text, CancellationToken cancellationToken) =>
        Translated(async () =>
        {
            SdkCiphertext sealedText = await _client.EncryptForPeerAsync(peerName, text, cancellationToken).ConfigureAwait(false);
            return (sealedText.MessageId.ToString(), new PeerCiphertext(sealedText.Type, sealedText.Body));
        });

    public Task<IReadOnlyList<ChatEvent>> DecryptAsync(string peerName, PeerCiphertext ciphertext, CancellationToken cancellationToken) =>
        Translated(async () =>
        {
            var events = await _client.DecryptFromPeerAsync(peerName, ciphertext.Type, ciphertext.Body, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<ChatEvent> shown =
            [
                .. events.Select(e => e switch
                {
                    Client.IdentityChanged change => RelayChatSession.ToChat(change),
                    IncomingMessage message => RelayChatSession.ToChat(message),
                    UndecryptableMessage bad => RelayChatSession.ToChat(bad),
                    _ => (ChatEvent?)null,
                }).OfType<ChatEvent>(),
            ];
            return shown;
        });

    public Task<IdentitySummary> ShowAsync(string? peerName, CancellationToken cancellationToken) =>
        IdentityFacts.SummarizeAsync(_client, peerName, cancellationToken);

    public async Task<IdentitySummary> VerifyAsync(string peerName, CancellationToken cancellationToken)
    {
        await _client.Contacts.MarkVerifiedAsync(peerName, cancellationToken).ConfigureAwait(false);
        return await ShowAsync(peerName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>SDK failures become CLI failures, which the peer endpoints turn into HTTP problems.</summary>
    private static async Task<T> Translated<T>(Func<Task<T>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (ParleyException e)
        {
            var (code, message) = ErrorTranslator.FromSdk(e);
            throw new CliException(code, message, e);
        }
    }
}
