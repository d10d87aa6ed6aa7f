using Parley.Server;
using Parley.Server.Postgres;

namespace Parley.Cli.Server;

/// <summary><c>parley server [--data DIR] [--urls URL] [--show-ciphertext] [--help]</c>: runs the relay in the foreground.</summary>
internal static class ServerCommand
{
    public const string Usage = """
        Usage: parley server [--data DIR] [--urls URL] [--store sqlite|postgres] [--postgres CONNSTRING] [--show-ciphertext] [--help]

        Runs the Parley relay: it stores and forwards ciphertext only.

          --data DIR          where the SQLite database lives (default ./parley-data)
          --urls URL          where to listen, ';'-separated (default http://127.0.0.1:8080;
                              use http://0.0.0.0:8080 to serve other machines, https://… with a certificate)
          --store NAME        sqlite (default; one node) or postgres (many nodes on one database)
          --postgres CONN     the PostgreSQL connection string, e.g. "Host=db;Database=parley;Username=parley"
                              (or ConnectionStrings__Parley; keep passwords out of argv: PGPASSWORD or a passfile)
          --show-ciphertext   add the first bytes of each envelope (base64) to the log
          --help              show this help

        Limits are set with Parley__Limits__* environment variables; TLS with Kestrel's standard
        Kestrel__Endpoints__* settings. See docs/server-api.md.

        Examples:
          parley server
              a relay on http://127.0.0.1:8080, its SQLite database in ./parley-data
          parley server --data /var/lib/parley --urls http://0.0.0.0:8080
              serve other machines (put TLS in front of it in production)
          parley server --store postgres --postgres "Host=db;Database=parley;Username=parley"
              one of several relay nodes sharing one PostgreSQL database (docs/operations.md)
          parley server --show-ciphertext
              also log each envelope's first 24 bytes in base64 (ciphertext, never content)
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var options = new RelayOptions();
        options.StoreFactories[PostgresRelayStore.StoreName] = PostgresRelayStore.FromConfiguration;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--help" or "-h":
                    await output.WriteLineAsync(Usage).ConfigureAwait(false);
                    return 0;
                case "--show-ciphertext":
                    options.ShowCiphertext = true;
                    break;
                case "--store" when i + 1 < args.Length:
                    options.ConfigurationArgs.Add("--Parley:Store=" + args[++i]);
                    break;
                case "--postgres" when i + 1 < args.Length:
                    options.ConfigurationArgs.Add("--ConnectionStrings:" + PostgresRelayStore.ConnectionStringName + "=" + args[++i]);
                    break;
                case "--data" when i + 1 < args.Length:
                    options.DataDirectory = args[++i];
                    break;
                case "--urls" when i + 1 < args.Length:
                    options.Urls.Clear();
                    foreach (var url in args[++i].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        options.Urls.Add(url);
                    }

                    break;
                default:
                    await error.WriteLineAsync($"parley server: unexpected argument '{args[i]}' (see parley server --help)").ConfigureAwait(false);
                    return 2;
            }
        }

        if (options.Urls.Count == 0)
        {
            await error.WriteLineAsync("parley server: --urls needs at least one URL").ConfigureAwait(false);
            return 2;
        }

        try
        {
            await RelayServer.RunAsync(options, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            await error.WriteLineAsync($"parley server: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
