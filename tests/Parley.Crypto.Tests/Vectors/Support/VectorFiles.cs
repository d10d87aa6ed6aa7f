using System.IO.Compression;
using System.Text.Json;
using Parley.Testing;

namespace Parley.Crypto.Tests.Vectors.Support;

/// <summary>Readers for the shared vector files: JSON (Wycheproof, ACVP, RFC transcriptions) and "key = value" text.</summary>
internal static class VectorFiles
{
    /// <summary>Parses a JSON vector file.</summary>
    public static JsonElement Json(params string[] path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(RepositoryPaths.Vector(path)));
        return document.RootElement.Clone();
    }

    /// <summary>The lines of a text vector file, transparently gunzipped when the name ends in .gz.</summary>
    public static IEnumerable<string> Lines(params string[] path)
    {
        var file = RepositoryPaths.Vector(path);
        using Stream raw = File.OpenRead(file);
        using var stream = file.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    /// <summary>
    /// Groups "name = value" lines into records; a blank line or a repeated name starts a new record.
    /// Lines starting with '#' are ignored. Names keep their exact spelling (e.g. "ρ", "NTT(s[0])").
    /// </summary>
    public static List<Dictionary<string, string>> KeyValueRecords(params string[] path)
    {
        var records = new List<Dictionary<string, string>>();
        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Lines(path))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var separator = line.IndexOf(" = ", StringComparison.Ordinal);
            if (separator < 0)
            {
                if (line.Trim().Length == 0 && current.Count > 0)
                {
                    records.Add(current);
                    current = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                continue;
            }

            var key = line[..separator].Trim();
            if (current.ContainsKey(key))
            {
                records.Add(current);
                current = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            current[key] = line[(separator + 3)..].Trim();
        }

        if (current.Count > 0)
        {
            records.Add(current);
        }

        return records;
    }
}
