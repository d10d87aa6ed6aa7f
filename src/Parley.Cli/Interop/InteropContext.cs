namespace Parley.Cli.Interop;

/// <summary>The driver's mutable state between requests.</summary>
internal sealed class InteropContext
{
    public InteropParty? Party { get; set; }

    /// <summary>The party, or the one error for "init first".</summary>
    public InteropParty RequireParty() => Party ?? throw new InteropRequestException("not initialised: send init first");
}
