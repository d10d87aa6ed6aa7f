using System.Security.Cryptography;

namespace Parley.LoadGenerator;

/// <summary>Accounts for <c>parley server</c>: read from <c>--accounts FILE</c> when it holds enough, else registered (and written there).</summary>
internal static class Accounts
{
    public static async Task<List<ParleyAccount>> ProvideAsync(LoadOptions options)
    {
        if (options.AccountsFile is { } file && File.Exists(file))
        {
            var known = File.ReadLines(file).Where(l => l.Length > 0).Take(options.Clients).Select(ParleyAccount.Parse).ToList();
            if (known.Count == options.Clients)
            {
                return known;
            }
        }

        // Its own client, disposed afterwards: no pooled registration connection stays open to count against the
        // relay's connection limit while the streams are measured.
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Parallel }) { Timeout = TimeSpan.FromSeconds(60) };
        var prefix = "lg" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var accounts = new ParleyAccount[options.Clients];
        var done = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, options.Clients),
            new ParallelOptions { MaxDegreeOfParallelism = options.Parallel },
            async (i, _) =>
            {
                accounts[i] = await ParleyAccount.RegisterAsync(http, options.Urls[i % options.Urls.Count], $"{prefix}_{i}");
                if (Interlocked.Increment(ref done) % 1000 == 0)
                {
                    await Console.Error.WriteLineAsync($"parley-loadgen: registered {done}/{options.Clients}");
                }
            });

        if (options.AccountsFile is { } target)
        {
            await File.WriteAllLinesAsync(target, accounts.Select(a => a.ToString()));
        }

        return [.. accounts];
    }
}
