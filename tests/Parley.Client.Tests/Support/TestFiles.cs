namespace Parley.Client.Tests.Support;

/// <summary>Temporary folders for profiles and relays.</summary>
internal static class TestFiles
{
    public static string NewDirectory(string prefix) =>
        Path.Combine(Path.GetTempPath(), "parley-client-tests", prefix + "-" + Guid.NewGuid().ToString("N"));

    public static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
