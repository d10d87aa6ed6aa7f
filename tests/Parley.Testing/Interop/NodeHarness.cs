using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace Parley.Testing.Interop;

/// <summary>
/// The Node harness in <c>interop/</c>: makes sure its packages are installed (<c>npm ci</c>, once per test
/// process) before a libsignal driver starts. CI runs <c>npm ci</c> itself; this covers a fresh checkout.
/// </summary>
public static class NodeHarness
{
    /// <summary>The pinned libsignal-client release (interop/package.json).</summary>
    public const string LibsignalVersion = "0.90.0";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<string> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The <c>interop/</c> folder.</summary>
    public static string Directory => Path.Combine(RepositoryPaths.RepositoryRoot, "interop");

    /// <summary>The driver script.</summary>
    public static string DriverScript => Path.Combine(Directory, "driver.mjs");

    /// <summary>Runs <c>npm ci</c> unless the pinned libsignal-client is already installed; returns <see cref="Directory"/>.</summary>
    public static string EnsureInstalled() => Installed.Value;

    private static string Install()
    {
        if (InstalledVersion() == LibsignalVersion)
        {
            return Directory;
        }

        var info = new ProcessStartInfo("npm")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            info.ArgumentList.Add(argument);
        }

        Process npm;
        try
        {
            npm = Process.Start(info) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"npm was not found on PATH, so the libsignal interop harness cannot be installed. Install Node.js 20+ with npm, or run `npm ci` in {Directory}. ({e.Message})",
                e);
        }

        using (npm)
        {
            var stdout = npm.StandardOutput.ReadToEndAsync();
            var stderr = npm.StandardError.ReadToEndAsync();
            if (!npm.WaitForExit(InstallTimeout))
            {
                npm.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"`npm ci` in {Directory} did not finish within {InstallTimeout.TotalMinutes} minutes.");
            }

            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"`npm ci` in {Directory} failed with exit code {npm.ExitCode}:{Environment.NewLine}{stderr.Result}{stdout.Result}");
            }
        }

        var version = InstalledVersion();
        if (version != LibsignalVersion)
        {
            throw new InvalidOperationException(
                $"After `npm ci`, {Directory}/node_modules holds @signalapp/libsignal-client {version ?? "nothing"}, not {LibsignalVersion}.");
        }

        return Directory;
    }

    private static string? InstalledVersion()
    {
        var manifest = Path.Combine(Directory, "node_modules", "@signalapp", "libsignal-client", "package.json");
        if (!File.Exists(manifest))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        return document.RootElement.TryGetProperty("version", out var version) ? version.GetString() : null;
    }
}
