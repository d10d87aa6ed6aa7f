using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Server.Hosting;

namespace Parley.Server;

/// <summary>How to run a relay: where its data lives, where it listens, what it logs, its limits.</summary>
public sealed class RelayOptions
{
    /// <summary>The folder for the SQLite database (created when absent). Default <c>./parley-data</c>.</summary>
    public string DataDirectory { get; set; } = "./parley-data";

    /// <summary>
    /// Addresses to listen on. Default <c>http://127.0.0.1:8080</c>. Port 0 picks a free port
    /// (see <see cref="RelayServer.BaseAddress"/>). <c>Kestrel:Endpoints</c> configuration, when present, wins.
    /// </summary>
    public IList<string> Urls { get; } = ["http://127.0.0.1:8080"];

    /// <summary>Add the first bytes of each ciphertext (base64) to the operator log.</summary>
    public bool ShowCiphertext { get; set; }

    /// <summary>Limits, quotas, timeouts and rate limits. Overridden by the <c>Parley:Limits</c> configuration section.</summary>
    public RelayLimits Limits { get; set; } = new();

    /// <summary>
    /// The storage backend. When null, the configuration key <c>Parley:Store</c> picks one by name from
    /// <see cref="StoreFactories"/> (default <c>sqlite</c>: <see cref="SqliteRelayStore"/> in <see cref="DataDirectory"/>).
    /// </summary>
    public RelayStore? Store { get; set; }

    /// <summary>
    /// Backends <c>Parley:Store</c> may name besides <c>sqlite</c>, each built from the relay's configuration
    /// (e.g. <c>postgres</c>, which reads <c>ConnectionStrings:Parley</c>).
    /// </summary>
    public IDictionary<string, Func<IConfiguration, RelayStore>> StoreFactories { get; } =
        new Dictionary<string, Func<IConfiguration, RelayStore>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The clock (tests pass a manual one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Extra logging setup, after the defaults (tests add a capturing provider).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }

    /// <summary>Service replacements after the defaults (tests: a lossy notifier; later: other store projects).</summary>
    internal Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>Command-line style configuration overrides (<c>--Key=Value</c>), applied last.</summary>
    public IList<string> ConfigurationArgs { get; } = [];
}
