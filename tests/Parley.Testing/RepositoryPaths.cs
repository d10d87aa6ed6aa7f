namespace Parley.Testing;

/// <summary>Locates the repository root and the shared test vectors.</summary>
/// <remarks>
/// Vectors live outside the repository in <c>../shared/vectors</c> (relative to the repository root).
/// <c>PARLEY_VECTORS</c> overrides that path. A missing vectors folder is a hard failure, never a skip:
/// every vector must run.
/// </remarks>
public static class RepositoryPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The folder that holds <c>Parley.slnx</c>.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The shared vectors folder (<c>../shared/vectors</c> or <c>$PARLEY_VECTORS</c>).</summary>
    public static string VectorsRoot
    {
        get
        {
            var overridden = Environment.GetEnvironmentVariable("PARLEY_VECTORS");
            var path = string.IsNullOrEmpty(overridden)
                ? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "vectors"))
                : Path.GetFullPath(overridden);
            if (!Directory.Exists(path))
            {
                throw new DirectoryNotFoundException(
                    $"Test vectors not found at {path}. Put the shared folder next to the repository (../shared/vectors) or set PARLEY_VECTORS.");
            }

            return path;
        }
    }

    /// <summary>A file under the vectors folder; fails clearly when absent.</summary>
    public static string Vector(params string[] parts)
    {
        var path = Path.Combine([VectorsRoot, .. parts]);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Test vector file missing: {path}", path);
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Parley.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Parley.slnx not found above {AppContext.BaseDirectory}.");
    }
}
