using Parley.Interop.Tests.Infrastructure;
using Parley.Testing.Interop;
using Xunit.Abstractions;

namespace Parley.Interop.Tests.Harness;

/// <summary>Which pairings run, and why: Parley pairings join as soon as <c>parley interop</c> answers init.</summary>
public sealed class PairingTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("Parley-to-Libsignal", DriverKind.Parley, DriverKind.Libsignal)]
    [InlineData("libsignal>parley", DriverKind.Libsignal, DriverKind.Parley)]
    [InlineData("parley->parley", DriverKind.Parley, DriverKind.Parley)]
    [InlineData(" Libsignal-Libsignal ", DriverKind.Libsignal, DriverKind.Libsignal)]
    public void Pairing_names_parse_in_every_accepted_spelling(string text, DriverKind initiator, DriverKind responder)
    {
        var pairing = Pairing.Parse(text);
        Assert.Equal(new Pairing(initiator, responder), pairing);
        Assert.Equal(pairing, Pairing.Parse(pairing.ToString()));
    }

    [Theory]
    [InlineData("parley")]
    [InlineData("parley-to-signal")]
    [InlineData("a>b>c")]
    public void Malformed_pairing_names_are_refused(string text) => Assert.Throws<FormatException>(() => Pairing.Parse(text));

    [Fact]
    public void Parley_pairings_run_exactly_when_parley_interop_answers_init()
    {
        output.WriteLine(Pairings.Note);
        output.WriteLine($"pairings in use: {string.Join(", ", Pairings.InUse)}");
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Pairings.PairingVariable)))
        {
            Assert.NotEmpty(Pairings.InUse);
            return;
        }

        var parley = Drivers.Parley;
        output.WriteLine($"parley interop available: {parley.Available}. {parley.Reason}");
        Assert.Contains(new Pairing(DriverKind.Libsignal, DriverKind.Libsignal), Pairings.InUse);
        var mixed = Pairings.InUse.Where(p => p.Initiator != p.Responder).ToList();
        if (parley.Available || Environment.GetEnvironmentVariable(Pairings.RequireParleyVariable) == "1")
        {
            Assert.Equal([new Pairing(DriverKind.Parley, DriverKind.Libsignal), new Pairing(DriverKind.Libsignal, DriverKind.Parley)], mixed);
        }
        else
        {
            Assert.Empty(mixed);
            Assert.False(string.IsNullOrWhiteSpace(parley.Reason));
        }
    }
}
