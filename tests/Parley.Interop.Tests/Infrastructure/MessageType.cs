namespace Parley.Interop.Tests.Infrastructure;

/// <summary>Envelope-level message types of the driver protocol.</summary>
public static class MessageType
{
    public const int Whisper = 2;
    public const int PreKey = 3;
    public const int SenderKey = 7;
}
