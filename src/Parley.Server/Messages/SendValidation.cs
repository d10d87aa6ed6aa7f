using Microsoft.AspNetCore.Http;
using Parley.Contracts;
using Parley.Contracts.Errors;
using Parley.Contracts.Messages;
using Parley.Server.Operations;

namespace Parley.Server.Messages;

/// <summary>Checks a send request before any store work: device ids, types, sizes.</summary>
internal static class SendValidation
{
    public static ProblemResult? Check(SendMessageRequest request, RelayLimits limits)
    {
        if (request.MessageId == Guid.Empty)
        {
            return Problems.Validation(ErrorCodes.InvalidEnvelope, "messageId must not be the empty GUID.");
        }

        if (request.Envelopes.Count is 0 or > DeviceLimits.MaxDeviceId)
        {
            return Problems.Validation(ErrorCodes.InvalidEnvelope, $"A send has 1..{DeviceLimits.MaxDeviceId} envelopes.");
        }

        var seen = new HashSet<int>();
        foreach (var envelope in request.Envelopes)
        {
            if (envelope.DeviceId is < DeviceLimits.MinDeviceId or > DeviceLimits.MaxDeviceId)
            {
                return Problems.Validation(ErrorCodes.InvalidEnvelope, $"deviceId must be {DeviceLimits.MinDeviceId}..{DeviceLimits.MaxDeviceId}.");
            }

            if (!seen.Add(envelope.DeviceId))
            {
                return Problems.Validation(ErrorCodes.InvalidEnvelope, $"Device {envelope.DeviceId} has two envelopes.");
            }

            if (!Enum.IsDefined(envelope.Type))
            {
                return Problems.Validation(ErrorCodes.InvalidEnvelope, $"Unknown envelope type {(int)envelope.Type}.");
            }

            if (envelope.Content.Length == 0)
            {
                return Problems.Validation(ErrorCodes.InvalidEnvelope, "An envelope's content is empty.");
            }

            if (envelope.Content.Length > limits.MaxEnvelopeBytes)
            {
                return Problems.Create(
                    StatusCodes.Status413PayloadTooLarge,
                    ErrorCodes.EnvelopeTooLarge,
                    "An envelope is too large.",
                    $"Envelope content is limited to {limits.MaxEnvelopeBytes} bytes.");
            }
        }

        return null;
    }
}
