using System.Globalization;

namespace Parley.LoadGenerator;

/// <summary>
/// CPU time of processes from <c>/proc/PID/stat</c> (utime + stime, fields 14 and 15, in clock ticks of
/// 1/100 s: Linux's USER_HZ). Two samples give the share of one core used in between (100% = one core busy).
/// </summary>
internal static class CpuSampler
{
    private const double TicksPerSecond = 100;

    /// <summary>CPU seconds used so far by <paramref name="pid"/>, or NaN when it is gone.</summary>
    public static double Seconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");

            // The command name (field 2) is in parentheses and may contain spaces: count fields after its ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }

    /// <summary>CPU seconds used so far by every process whose <c>comm</c> is <paramref name="name"/> (per pid, to diff later).</summary>
    public static Dictionary<int, double> SecondsByName(string name)
    {
        var result = new Dictionary<int, double>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(directory, "comm")).Trim() == name && Seconds(pid) is var seconds && !double.IsNaN(seconds))
                {
                    result[pid] = seconds;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return result;
    }

    /// <summary>CPU seconds the named processes used between two samples (processes present in the second; new ones count from 0).</summary>
    public static double Between(Dictionary<int, double> before, Dictionary<int, double> after) =>
        after.Sum(p => p.Value - before.GetValueOrDefault(p.Key));
}
