using Microsoft.Extensions.Configuration.Memory;

namespace Custodian.Server.Startup;

/// <summary>
/// The log levels the server falls back on when its configuration says nothing, e.g. when it runs with a content root
/// that has no <c>appsettings.json</c> (started from another directory). ASP.NET Core logs every request at
/// Information (hosting, routing, Kestrel), which costs each request far more than the route itself does: those
/// categories stay at Warning unless the operator's configuration asks for more.
/// <para>
/// <c>Microsoft.AspNetCore.Hosting.Diagnostics</c> is off (None), here and in <c>appsettings.json</c>: while that
/// logger is enabled at any level, hosting starts an <c>Activity</c> and a log scope (RequestId, RequestPath) for
/// every request, about a tenth of what <c>GET /healthz</c> costs (BENCHMARKS.md, "Middleware"). That category only
/// logs requests (Information) and startup failures, whose exception also reaches the host, which logs it under
/// <c>Microsoft.Extensions.Hosting</c> and stops; tracing listeners (OpenTelemetry, dotnet-trace) still get their Activity. An
/// operator who wants the request scope in the console logs sets the category back to Warning.
/// </para>
/// </summary>
internal static class LoggingDefaults
{
    private static readonly Dictionary<string, string?> Levels = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None",
    };

    /// <summary>Adds <see cref="Levels"/> as the first configuration source, so every other source overrides it.</summary>
    public static void Apply(ConfigurationManager configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Levels });
}
