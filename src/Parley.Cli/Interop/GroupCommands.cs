using System.Text.Json.Nodes;
using Parley.Protocol.Groups;
using Parley.Protocol.Messages;

namespace Parley.Cli.Interop;

/// <summary>Sender keys: <c>skdm_create</c>, <c>skdm_process</c>, <c>group_encrypt</c>, <c>group_decrypt</c>.</summary>
internal static class GroupCommands
{
    public static async ValueTask<JsonObject> CreateDistributionAsync(InteropContext context, InteropRequest request, CancellationToken cancellationToken)
    {
        var party = context.RequireParty();
        var distributionId = request.RequireUuid("distributionId");
        var message = await GroupSessionBuilder.CreateDistributionMessageAsync(party.Address, distributionId, party.Store, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new JsonObject { ["skdm_b64"] = Convert.ToBase64String(message.Serialized.Span) };
    }

    public static async ValueTask<JsonObject> ProcessDistributionAsync(InteropContext context, InteropRequest request, CancellationToken cancellationToken)
    {
        var party = context.RequireParty();
        var bytes = request.RequireBytes("skdm_b64");
        var address = party.PeerAddress(request);
        await GroupSessionBuilder.ProcessDistributionMessageAsync(address, SenderKeyDistributionMessage.Deserialize(bytes), party.Store, cancellationToken).ConfigureAwait(false);
        return [];
    }

    public static async ValueTask<JsonObject> EncryptAsync(InteropContext context, InteropRequest request, CancellationToken cancellationToken)
    {
        var party = context.RequireParty();
        var distributionId = request.RequireUuid("distributionId");
        var plaintext = request.RequireBytes("plaintext_b64");
        var message = await GroupCipher.EncryptAsync(party.Address, distributionId, plaintext, party.Store, cancellationToken).ConfigureAwait(false);
        return new JsonObject { ["type"] = (int)message.Type, ["body_b64"] = Convert.ToBase64String(message.Serialized.Span) };
    }

    public static async ValueTask<JsonObject> DecryptAsync(InteropContext context, InteropRequest request, CancellationToken cancellationToken)
    {
        var party = context.RequireParty();
        var body = request.RequireBytes("body_b64");
        var address = party.PeerAddress(request);
        var plaintext = await GroupCipher.DecryptAsync(address, SenderKeyMessage.Deserialize(body), party.Store, cancellationToken).ConfigureAwait(false);
        return new JsonObject { ["plaintext_b64"] = Convert.ToBase64String(plaintext) };
    }
}
