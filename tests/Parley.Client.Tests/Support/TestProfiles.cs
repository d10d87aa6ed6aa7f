using Parley.Crypto.Passwords;

namespace Parley.Client.Tests.Support;

/// <summary>
/// Profiles for tests: a temp folder each, a cheap Argon2id cost (the real default is exercised in
/// <c>ProfileStoreTests</c>), background maintenance off unless asked for, so tests see exactly what they do.
/// </summary>
internal static class TestProfiles
{
    public const string Passphrase = "correct horse battery staple";

    /// <summary>1 pass over 64 KiB: fast, still Argon2id.</summary>
    public static Argon2idCost CheapCost { get; } = new(1, 64 * 1024);

    public static ParleyClientOptions Options(TimeProvider? time = null, bool background = false, int minOneTimePreKeys = 100) => new()
    {
        TimeProvider = time ?? TimeProvider.System,
        BackgroundMaintenance = background,
        MinOneTimePreKeys = minOneTimePreKeys,
        ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        RequestTimeout = TimeSpan.FromSeconds(20),
    };

    public static Task<ParleyClient> CreateAsync(
        string username, Uri? relay, string? directory = null, ParleyClientOptions? options = null, string passphrase = Passphrase) =>
        ParleyClient.CreateProfileAsync(
            new ProfileOptions
            {
                Directory = directory ?? TestFiles.NewDirectory(username),
                Passphrase = passphrase,
                Username = username,
                RelayUrl = relay,
                PassphraseCost = CheapCost,
            },
            options ?? Options());

    public static Task<ParleyClient> OpenAsync(string directory, ParleyClientOptions? options = null, string passphrase = Passphrase) =>
        ParleyClient.OpenAsync(directory, passphrase, options ?? Options());
}
