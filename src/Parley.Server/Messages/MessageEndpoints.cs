using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Parley.Contracts;
using Parley.Contracts.Errors;
using Parley.Contracts.Messages;
using Parley.Server.Accounts;
using Parley.Server.Auth;
using Parley.Server.Operations;
using Parley.Server.Realtime;

namespace Parley.Server.Messages;

/// <summary><c>PUT /v1/messages/{username}</c>, <c>GET /v1/messages</c>, <c>POST /v1/messages/ack</c>.</summary>
internal static class MessageEndpoints
{
    public static void MapMessages(this IEndpointRouteBuilder routes)
    {
        routes.MapPut(ApiPaths.SendTemplate, SendAsync);
        routes.MapGet(ApiPaths.Messages, FetchAsync);
        routes.MapPost(ApiPaths.Acknowledge, AcknowledgeAsync);
    }

    private static async Task<IResult> SendAsync(
        string username,
        HttpContext context,
        IAccountStore accounts,
        IMailbox mailbox,
        IDeliveryNotifier notifier,
        RelayLimits limits,
        TimeProvider time,
        OperatorLog log)
    {
        var me = AuthenticatedDevice.From(context.User);
        var (request, problem) = await RequestBody.ReadAsync(context, ParleyJsonContext.Default.SendMessageRequest, limits.MaxSendBodyBytes).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        if (SendValidation.Check(request, limits) is { } invalid)
        {
            return invalid;
        }

        var name = UsernameRules.Normalize(username);
        var recipient = name is null ? null : await accounts.FindAsync(name, context.RequestAborted).ConfigureAwait(false);
        if (recipient is null)
        {
            return Problems.NotFound("No such account.");
        }

        var now = time.GetUtcNow();
        var write = new MailboxWrite(
            me.Address,
            me.Username,
            recipient.AccountId,
            request.MessageId,
            request.Timestamp,
            request.Envelopes,
            now.ToUnixTimeMilliseconds(),
            (now + limits.MessageRetention).ToUnixTimeMilliseconds(),
            limits.MailboxMaxEnvelopes,
            limits.MailboxMaxBytes);
        CrashPoints.Reached(CrashPoints.BeforeCommit);

        // Once the transaction may begin, the client's disconnect no longer cancels it: an in-flight commit finishes.
        var outcome = await mailbox.StoreAsync(write, CancellationToken.None).ConfigureAwait(false);
        switch (outcome)
        {
            case MailboxWriteOutcome.Stored stored:
                CrashPoints.Reached(CrashPoints.AfterCommitBeforeResponse);
                foreach (var envelope in request.Envelopes)
                {
                    var result = stored.Envelopes.First(e => e.DeviceId == envelope.DeviceId);
                    if (result.IsNew)
                    {
                        log.Stored(me.Display, OperatorLog.Device(recipient.Username, envelope.DeviceId), envelope.Type, envelope.Content);
                        await notifier.NotifyAsync(new DeviceAddress(recipient.AccountId, envelope.DeviceId), CancellationToken.None).ConfigureAwait(false);
                    }
                }

                return TypedResults.Ok(new SendMessageResponse([.. stored.Envelopes.Select(e => new SentEnvelope(e.DeviceId, e.EnvelopeId))]));
            case MailboxWriteOutcome.DeviceMismatch mismatch:
                return new ProblemResult(Problems.Body(
                    StatusCodes.Status409Conflict,
                    ErrorCodes.DeviceMismatch,
                    "The envelopes do not match the recipient's devices.",
                    "Fetch bundles for the missing devices, drop the extra ones, and resend with the same messageId.") with
                {
                    MissingDevices = mismatch.Missing,
                    ExtraDevices = mismatch.Extra,
                });
            case MailboxWriteOutcome.MailboxFull full:
                return new ProblemResult(Problems.Body(
                    StatusCodes.Status507InsufficientStorage,
                    ErrorCodes.MailboxFull,
                    "A recipient mailbox is full.",
                    "Nothing was stored; try again later.") with { DeviceId = full.DeviceId });
            default:
                return Problems.NotFound("No such account.");
        }
    }

    private static async Task<IResult> FetchAsync(HttpContext context, IMailbox mailbox, RelayLimits limits, TimeProvider time, OperatorLog log)
    {
        var me = AuthenticatedDevice.From(context.User);
        var limit = limits.FetchBatchSize;
        var query = context.Request.Query["limit"];
        if (query.Count > 0)
        {
            if (query.Count > 1 || !int.TryParse(query[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > limits.FetchBatchSize)
            {
                return Problems.InvalidParameter($"limit must be 1..{limits.FetchBatchSize}.");
            }
        }

        var entries = await mailbox.ReadAsync(me.Address, 0, limit + 1, time.GetUtcNow().ToUnixTimeMilliseconds(), context.RequestAborted).ConfigureAwait(false);
        var envelopes = entries.Take(limit).Select(e => e.Envelope).ToList();
        foreach (var envelope in envelopes)
        {
            log.Delivered(envelope, me.Display, "http");
        }

        return TypedResults.Ok(new MessageBatch(envelopes, entries.Count > limit));
    }

    private static async Task<IResult> AcknowledgeAsync(HttpContext context, IMailbox mailbox, RelayLimits limits)
    {
        var me = AuthenticatedDevice.From(context.User);
        var (request, problem) = await RequestBody.ReadAsync(context, ParleyJsonContext.Default.AcknowledgeRequest, limits.MaxSmallBodyBytes).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        if (request.Ids.Count > limits.MaxAcknowledgeIds)
        {
            return Problems.Validation(ErrorCodes.InvalidEnvelope, $"At most {limits.MaxAcknowledgeIds} ids per acknowledgement.");
        }

        await mailbox.AcknowledgeAsync(me.Address, request.Ids, CancellationToken.None).ConfigureAwait(false);
        CrashPoints.Reached(CrashPoints.AfterAckCommit);

        // Unknown ids and other devices' ids are ignored alike: the answer does not tell which ids exist.
        return TypedResults.NoContent();
    }
}
