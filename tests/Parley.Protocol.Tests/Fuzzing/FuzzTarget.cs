namespace Parley.Protocol.Tests.Fuzzing;

/// <summary>One decoder under fuzzing: its seeds, frame, entry point and the exception types it may throw.</summary>
internal sealed record FuzzTarget(
    string Name,
    IReadOnlyList<byte[]> Seeds,
    int PrefixLength,
    int SuffixLength,
    Action<byte[]> Decode,
    IReadOnlyList<Type> DeclaredExceptions);
