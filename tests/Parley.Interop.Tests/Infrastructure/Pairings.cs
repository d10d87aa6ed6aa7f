using Parley.Testing.Interop;

namespace Parley.Interop.Tests.Infrastructure;

/// <summary>
/// The pairings every scenario runs over. Libsignal-to-Libsignal always; Parley-to-Libsignal and
/// Libsignal-to-Parley once <c>parley interop</c> answers <c>init</c> with ok:true (probed by starting it).
/// </summary>
/// <remarks>
/// <c>PARLEY_INTEROP_PAIRING=Parley-to-Libsignal</c> (comma-separated for several) runs only those pairings,
/// whatever the probe says: handy for debugging one direction. <c>PARLEY_INTEROP_REQUIRE_PARLEY=1</c> makes the
/// Parley pairings run (and fail) even when the probe says the Parley driver is unavailable.
/// </remarks>
public static class Pairings
{
    public const string PairingVariable = "PARLEY_INTEROP_PAIRING";
    public const string RequireParleyVariable = "PARLEY_INTEROP_REQUIRE_PARLEY";

    private static readonly Lazy<(IReadOnlyList<Pairing> Pairings, string Note)> Resolved = new(Resolve);

    /// <summary>xUnit member data: one pairing name per row.</summary>
    public static TheoryData<string> Selected
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var pairing in Resolved.Value.Pairings)
            {
                data.Add(pairing.ToString());
            }

            return data;
        }
    }

    /// <summary>The pairings in use.</summary>
    public static IReadOnlyList<Pairing> InUse => Resolved.Value.Pairings;

    /// <summary>Why the set is what it is (printed by every scenario).</summary>
    public static string Note => Resolved.Value.Note;

    private static (IReadOnlyList<Pairing>, string) Resolve()
    {
        var chosen = Environment.GetEnvironmentVariable(PairingVariable);
        if (!string.IsNullOrWhiteSpace(chosen))
        {
            var pairings = chosen.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Pairing.Parse).Distinct().ToList();
            return (pairings, $"{PairingVariable}={chosen}: running only {string.Join(", ", pairings)}.");
        }

        var libsignalOnly = new Pairing(DriverKind.Libsignal, DriverKind.Libsignal);
        var mixed = new[] { new Pairing(DriverKind.Parley, DriverKind.Libsignal), new Pairing(DriverKind.Libsignal, DriverKind.Parley) };
        var parley = Drivers.Parley;
        if (parley.Available)
        {
            return ([libsignalOnly, .. mixed], $"Parley driver available ({parley.Reason}); running all pairings.");
        }

        if (Environment.GetEnvironmentVariable(RequireParleyVariable) == "1")
        {
            return ([libsignalOnly, .. mixed], $"{RequireParleyVariable}=1 although the Parley driver is unavailable: {parley.Reason}");
        }

        return ([libsignalOnly], $"Parley pairings skipped: `parley interop` is not usable yet. {parley.Reason}");
    }
}
