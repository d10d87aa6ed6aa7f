using System.Text;

namespace Parley.Client;

/// <summary>snake_case names of <see cref="ParleyErrorCode"/> values for machine-readable output.</summary>
internal static class CodeNames
{
    public static string Of(ParleyErrorCode code)
    {
        var name = code.ToString();
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
