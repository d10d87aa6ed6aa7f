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
using Parley.Server.Storage.Sqlite;

namespace Parley.Server;

/// <summary>
/// The Parley relay as a library: <c>parley server</c> calls <see cref="RunAsync"/>; tests call
/// <see cref="StartAsync"/> and talk to <see cref="BaseAddress"/> over real HTTP.
/// </summary>
public sealed class RelayServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private int disposed;

    private RelayServer(WebApplication app, IReadOnlyList<Uri> addresses, string databasePath)
    {
        this.app = app;
        Addresses = addresses;
        DatabasePath = databasePath;
    }

    /// <summary>Where the relay listens (actual ports, after binding).</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The first listening address.</summary>
    public Uri BaseAddress => Addresses[0];

    /// <summary>The SQLite database file.</summary>
    public string DatabasePath { get; }

    /// <summary>The relay's services.</summary>
    public IServiceProvider Services => app.Services;

    /// <summary>Applies migrations, binds and starts serving; returns once the relay answers requests.</summary>
    public static async Task<RelayServer> StartAsync(RelayOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var app = Build(options);
        try
        {
            var database = app.Services.GetRequiredService<SqliteDatabase>();
            var applied = await SqliteSchema.MigrateAsync(database, options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
            var version = await SqliteSchema.VersionAsync(database, cancellationToken).ConfigureAwait(false);
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(OperatorLog.Category);
            var path = database.FilePath;
            RelayLog.StoreReady(logger, path, version, applied);

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
                .Select(a => new Uri(a.Replace("//[::]", "//[::1]", StringComparison.Ordinal).Replace("//0.0.0.0", "//127.0.0.1", StringComparison.Ordinal)))
                .ToList();
            return new RelayServer(app, addresses, database.FilePath);
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

        builder.Services.AddRelay(options, limits);
        var app = builder.Build();
        app.UseRelay(limits);
        return app;
    }
}
