using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Server.Hosting;
using Parley.Server.Operations;

namespace Parley.Server;

/// <summary>
/// The Parley relay as a library: <c>parley server</c> calls <see cref="RunAsync"/>; tests call
/// <see cref="StartAsync"/> and talk to <see cref="BaseAddress"/> over real HTTP.
/// </summary>
public sealed class RelayServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private int disposed;

    private RelayServer(WebApplication app, IReadOnlyList<Uri> addresses, RelayStore store)
    {
        this.app = app;
        Addresses = addresses;
        Store = store;
    }

    /// <summary>Where the relay listens (actual ports, after binding).</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The first listening address.</summary>
    public Uri BaseAddress => Addresses[0];

    /// <summary>The storage backend in use.</summary>
    public RelayStore Store { get; }

    /// <summary>The SQLite database file (empty with another store).</summary>
    public string DatabasePath => (Store as SqliteRelayStore)?.DatabasePath ?? "";

    /// <summary>The relay's services.</summary>
    public IServiceProvider Services => app.Services;

    /// <summary>Applies migrations, binds and starts serving; returns once the relay answers requests.</summary>
    public static async Task<RelayServer> StartAsync(RelayOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var app = Build(options);
        try
        {
            var store = app.Services.GetRequiredService<RelayStore>();
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(OperatorLog.Category);
            await store.PrepareAsync(app.Services, logger, options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
                .Select(a => new Uri(a.Replace("//[::]", "//[::1]", StringComparison.Ordinal).Replace("//0.0.0.0", "//127.0.0.1", StringComparison.Ordinal)))
                .ToList();
            return new RelayServer(app, addresses, store);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs the relay until the process is told to stop (Ctrl+C, SIGTERM) or <paramref name="cancellationToken"/> fires.</summary>
    public static async Task RunAsync(RelayOptions options, CancellationToken cancellationToken = default)
    {
        var server = await StartAsync(options, cancellationToken).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            await server.app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops gracefully: no new connections, in-flight requests (and their commits) finish, streams close with 1001.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private static WebApplication Build(RelayOptions options)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. options.ConfigurationArgs],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });

        var limits = options.Limits;
        builder.Configuration.GetSection("Parley:Limits").Bind(limits);

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.IncludeScopes = false;
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("System", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        builder.Logging.AddFilter("Parley.Server", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        // Hosting's per-request diagnostics (request start/finish) log nothing at these levels, but while their
        // logger is enabled at all, every request gets an Activity and a log scope, which a stream then holds
        // for its whole life.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter(OperatorLog.Category, LogLevel.Information);
        options.ConfigureLogging?.Invoke(builder.Logging);

        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = Math.Max(limits.MaxSendBodyBytes, limits.MaxKeysBodyBytes);
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalBytes;
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConcurrentConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = limits.MaxConcurrentConnections;
        });

        builder.Services.AddRelay(options, limits, options.Store ?? SelectStore(options, builder.Configuration));
        options.ConfigureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseRelay(limits);
        return app;
    }

    /// <summary>The store <c>Parley:Store</c> names (default <c>sqlite</c>).</summary>
    private static RelayStore SelectStore(RelayOptions options, ConfigurationManager configuration)
    {
        var name = configuration["Parley:Store"];
        if (string.IsNullOrWhiteSpace(name) || string.Equals(name, SqliteRelayStore.StoreName, StringComparison.OrdinalIgnoreCase))
        {
            return new SqliteRelayStore(options.DataDirectory);
        }

        return options.StoreFactories.TryGetValue(name, out var factory)
            ? factory(configuration)
            : throw new InvalidOperationException(
                $"Unknown store '{name}' (Parley:Store); known: {string.Join(", ", options.StoreFactories.Keys.Prepend(SqliteRelayStore.StoreName))}.");
    }
}
