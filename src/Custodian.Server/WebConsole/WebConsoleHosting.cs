using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Custodian.Server.WebConsole;

/// <summary>
/// The web console: plain HTML, CSS and JavaScript modules under <c>wwwroot/</c>, embedded in this assembly so that
/// the server serves them whatever its working directory or content root (<c>dotnet run</c> from anywhere, tests,
/// a published build). <c>/</c> is <c>index.html</c>; the console routes by URL fragment, so no other fallback.
/// </summary>
internal static class WebConsoleHosting
{
    // Only our own origin: no inline script or style, no other host. blob: for images because html5-qrcode draws an
    // uploaded photo through an object URL; mediastream:/blob: for the camera's <video>.
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; media-src 'self' blob: mediastream:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private const string ResourcePrefix = "Custodian.Server.wwwroot";

    public static void UseWebConsole(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(WebConsoleHosting).Assembly, ResourcePrefix);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context => Secure(context.Context.Response),
        });
        app.MapGet("/", (HttpContext context) =>
        {
            var index = files.GetFileInfo("index.html");
            Secure(context.Response);
            // Never cached: a new server version brings new module URLs with it.
            context.Response.Headers.CacheControl = "no-cache";
            return TypedResults.Stream(index.CreateReadStream(), "text/html; charset=utf-8");
        }).ExcludeFromDescription();
    }

    private static void Secure(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
