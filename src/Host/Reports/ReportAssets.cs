namespace MetaRL.Host.Reports;

/// <summary>
/// The report's script and style: uPlot and web/src bundled by web/build.mjs at build time and embedded in this
/// assembly (MetaRL.Host.csproj), so that a report opens without the network and the executable needs no web/ folder.
/// </summary>
internal static class ReportAssets
{
    private static readonly Lazy<string> ScriptText = new(() => Read("MetaRL.Report.js"));
    private static readonly Lazy<string> StyleText = new(() => Read("MetaRL.Report.css"));

    public static string Script => ScriptText.Value;

    public static string Style => StyleText.Value;

    private static string Read(string name)
    {
        using var stream = typeof(ReportAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the report's {name} is not embedded in this build (web/dist was missing when it was built)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
