namespace Parley.Testing.Interop;

/// <summary>The implementations that speak the interop driver protocol.</summary>
public enum DriverKind
{
    /// <summary>The Node harness in <c>interop/</c> over <c>@signalapp/libsignal-client</c> 0.90.0.</summary>
    Libsignal,

    /// <summary><c>parley interop</c>: Parley's own protocol core.</summary>
    Parley,
}
