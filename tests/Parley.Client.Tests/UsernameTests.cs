namespace Parley.Client.Tests;

/// <summary>The client applies the relay's username rules before it asks the relay anything.</summary>
public sealed class UsernameTests
{
    [Theory]
    [InlineData("  Alice ", "alice")]
    [InlineData("BOB_2", "bob_2")]
    public void Names_are_trimmed_and_lower_cased(string raw, string expected) => Assert.Equal(expected, Usernames.Normalize(raw));

    [Theory]
    [InlineData("\u212Aate")]
    [InlineData("álice")]
    [InlineData("al.ice")]
    [InlineData("1alice")]
    [InlineData("ab")]
    public void Non_ascii_look_alikes_and_broken_rules_are_refused(string raw) => Assert.Null(Usernames.Normalize(raw));
}
