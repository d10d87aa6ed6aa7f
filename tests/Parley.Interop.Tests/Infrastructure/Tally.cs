namespace Parley.Interop.Tests.Infrastructure;

/// <summary>Per-scenario counts, printed at the end of every scenario.</summary>
public sealed class Tally
{
    public int Sent { get; set; }

    public int Decrypted { get; set; }

    public int Rejected { get; set; }

    public override string ToString() => $"sent {Sent}, decrypted {Decrypted}, rejected {Rejected}";
}
