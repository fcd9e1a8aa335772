using System.CommandLine;
using MetaRL.Actors.Cluster;

namespace MetaRL.Host.Cluster;

/// <summary>The options <c>metarl train</c> (the seed) and <c>metarl node</c> share: where this node listens, and TLS.</summary>
internal static class ClusterCli
{
    /// <summary>The environment variable that holds the TLS certificate's password.</summary>
    public const string TlsPasswordVariable = "METARL_TLS_PASSWORD";

    public static Option<string?> TlsCertificate() => new("--tls-cert")
    {
        Description = $"Akka.Remote over TLS with this PKCS#12 (.pfx) certificate, the same on every node (its password in {TlsPasswordVariable}).",
        HelpName = "file",
    };

    /// <summary>TLS settings from <c>--tls-cert</c>, or null; a missing file is a usage error.</summary>
    public static TlsOptions? Tls(string? certificate)
    {
        if (certificate is null) return null;
        if (!File.Exists(certificate)) throw new ArgumentException($"--tls-cert: '{certificate}' does not exist");
        return new TlsOptions(Path.GetFullPath(certificate), Environment.GetEnvironmentVariable(TlsPasswordVariable));
    }

    /// <summary>
    /// Refuses, before anything of the run is written, a port this machine cannot listen on (in use, or a host that
    /// is not this machine's): Akka would fail later, in the middle of starting.
    /// </summary>
    public static void EnsureCanListen(string option, string host, int port)
    {
        try
        {
            var address = System.Net.IPAddress.TryParse(host, out var ip) ? ip : System.Net.Dns.GetHostAddresses(host).First();
            var listener = new System.Net.Sockets.TcpListener(address, port);
            listener.Start();
            listener.Stop();
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or InvalidOperationException)
        {
            throw new ArgumentException($"{option}: cannot listen on {host}:{port} ({e.Message})");
        }
    }

    /// <summary>A port from the command line: 1–65535 (or 0 where <paramref name="allowAny"/>: any free one).</summary>
    public static int Port(string option, int port, bool allowAny)
    {
        if (port < (allowAny ? 0 : 1) || port > 65535)
            throw new ArgumentException($"{option} {port}: expected a port from {(allowAny ? 0 : 1)} to 65535");
        return port;
    }
}
