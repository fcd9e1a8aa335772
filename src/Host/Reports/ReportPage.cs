using System.Text;
using System.Text.Json.Nodes;

namespace MetaRL.Host.Reports;

/// <summary>
/// One self-contained HTML page: the runs' data as JSON, the chart script and its style inlined, and a content
/// security policy that lets the page reach nothing (a report) or only the server that sent it (the dashboard's
/// event stream). web/src/report.js draws it.
/// </summary>
internal static class ReportPage
{
    /// <param name="eventsUrl">The dashboard's event stream (relative to the page); null for a report.</param>
    public static string Render(string title, IReadOnlyList<RunReport> runs, string? eventsUrl = null, DateTimeOffset? generated = null)
    {
        var data = new JsonObject
        {
            ["live"] = eventsUrl is null ? null : new JsonObject { ["events"] = eventsUrl },
            ["runs"] = new JsonArray(runs.Select(r => (JsonNode)r.ToJson()).ToArray()),
        };
        return Html(title, data, eventsUrl is not null, generated);
    }

    /// <summary>
    /// The page around <paramref name="data"/> (the JSON web/src/report.js reads; <c>title</c> and <c>generated</c> are
    /// added here); <paramref name="live"/> lets it reach the server that sent it, and nothing else.
    /// </summary>
    public static string Html(string title, JsonObject data, bool live = false, DateTimeOffset? generated = null)
    {
        data["title"] = title;
        data["generated"] = (generated ?? DateTimeOffset.Now).ToString("yyyy-MM-dd HH:mm zzz", System.Globalization.CultureInfo.InvariantCulture);
        if (!data.ContainsKey("runs")) data["runs"] = new JsonArray();
        // The default encoder escapes <, > and &: no "</script>" can end the data element early.
        string json = data.ToJsonString();
        string connect = live ? "'self'" : "'none'";
        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append($"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src {connect}\">\n");
        html.Append("<title>").Append(System.Net.WebUtility.HtmlEncode(title)).Append("</title>\n");
        html.Append("<style>\n").Append(ReportAssets.Style).Append("\n</style>\n</head>\n<body>\n");
        html.Append("<header><h1 id=\"title\"></h1><span id=\"generated\"></span><span id=\"live\"></span></header>\n");
        html.Append("<div id=\"runs\"></div>\n<div id=\"tiles\"></div>\n<div id=\"nodes\"></div>\n<main id=\"charts\"></main>\n");
        html.Append("<script type=\"application/json\" id=\"metarl-data\">").Append(json).Append("</script>\n");
        html.Append("<script>\n").Append(ReportAssets.Script).Append("\n</script>\n</body>\n</html>\n");
        return html.ToString();
    }
}
