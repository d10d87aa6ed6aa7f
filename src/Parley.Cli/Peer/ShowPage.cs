using System.Net;
using System.Text;
using Parley.Cli.Chat;

namespace Parley.Cli.Peer;

/// <summary>
/// The <c>GET /show</c> page of a peer: our public identity key, the peer's, and the safety number.
/// It is built from an <see cref="IdentitySummary"/>, which holds public values only, so no private key or
/// shared secret can reach it.
/// </summary>
internal static class ShowPage
{
    public static string Render(IdentitySummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var page = new StringBuilder();
        page.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Parley peer ")
            .Append(Html(summary.OwnName))
            .Append("</title></head><body>\n<h1>Parley peer: ").Append(Html(summary.OwnName)).Append("</h1>\n<dl>\n")
            .Append("<dt>Own public identity key (").Append(Html(summary.OwnName)).Append(")</dt><dd><code id=\"own-identity-key\">")
            .Append(Html(summary.OwnIdentityKey)).Append("</code></dd>\n")
            .Append("<dt>Peer public identity key (").Append(Html(summary.PeerName)).Append(")</dt><dd><code id=\"peer-identity-key\">")
            .Append(Html(summary.PeerIdentityKey ?? "(no peer yet)")).Append("</code></dd>\n")
            .Append("<dt>Safety number</dt><dd><code id=\"safety-number\">")
            .Append(Html(summary.SafetyNumber is null ? "(no peer yet)" : ChatText.GroupDigits(summary.SafetyNumber))).Append("</code></dd>\n")
            .Append("<dt>Verified</dt><dd id=\"verified\">").Append(summary.Verified ? "yes" : "no").Append("</dd>\n")
            .Append("</dl>\n<p>Compare the safety number with your peer over a channel you trust. ")
            .Append("Private keys and session secrets never leave this process's encrypted profile.</p>\n</body></html>\n");
        return page.ToString();
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
