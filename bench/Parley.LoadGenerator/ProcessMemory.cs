using System.Globalization;

namespace Parley.LoadGenerator;

/// <summary>
/// A process's resident memory from <c>/proc/PID/status</c>: <c>VmRSS</c> (all resident pages) and
/// <c>RssAnon</c> (anonymous pages only: GC heap, native allocations, JIT code; not mapped files).
/// </summary>
internal readonly record struct ProcessMemory(long RssBytes, long RssAnonBytes)
{
    public static ProcessMemory Read(int pid)
    {
        long rss = 0, anon = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anon = Kilobytes(line);
            }
        }

        return new ProcessMemory(rss, anon);
    }

    public static ProcessMemory operator -(ProcessMemory a, ProcessMemory b) => new(a.RssBytes - b.RssBytes, a.RssAnonBytes - b.RssAnonBytes);

    // "VmRSS:	  123456 kB"
    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', '\t').Where(p => p.Length > 0).ElementAt(1), CultureInfo.InvariantCulture) * 1024;
}
