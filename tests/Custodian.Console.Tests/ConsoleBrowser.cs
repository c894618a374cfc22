using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Custodian.Console.Tests;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, installed by test.sh; Playwright never downloads a browser here),
/// headless, driven by Playwright, with one page on the console. A fake camera shows <c>cameraFile</c> (a Y4M video,
/// see <see cref="FakeCamera"/>) when given. Every script error and console error of the page is collected, so a test
/// can assert there was none.
/// </summary>
internal sealed partial class ConsoleBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<string> _errors = [];

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Context = context;
        Page = page;
        page.PageError += (_, error) => Add("page error: " + error);
        page.Console += (_, message) =>
        {
            // The browser reports each 4xx answer to fetch as a console error; those are the server's refusals,
            // which the page turns into sentences (and the tests check them). Anything else is a fault.
            if (message.Type == "error" && !RefusedResource().IsMatch(message.Text))
            {
                Add($"console error: {message.Text} ({message.Location})");
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public static async Task<ConsoleBrowser> OpenAsync(Uri server, ViewportSize viewport, string? cameraFile = null)
    {
        File.Exists(ChromiumPath).Should().BeTrue($"the browser tests need Debian's Chromium at {ChromiumPath} (test.sh installs it)");
        var playwright = await Playwright.CreateAsync();
        List<string> args =
        [
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        ];
        if (cameraFile is not null)
        {
            args.Add("--use-file-for-fake-video-capture=" + cameraFile);
        }
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = args });
        var phone = viewport.Width < 600;
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = server.ToString(),
            ViewportSize = viewport,
            IsMobile = phone,
            HasTouch = phone,
            Locale = "en-GB",
            TimezoneId = "UTC",
            Permissions = ["camera"],
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        return new ConsoleBrowser(playwright, browser, context, page);
    }

    /// <summary>The page had no script error and logged no error.</summary>
    public void ShouldHaveNoErrors() => Errors.Should().BeEmpty();

    private void Add(string error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        await _browser.CloseAsync();
        _playwright.Dispose();
    }

    [GeneratedRegex(@"^Failed to load resource: the server responded with a status of 4\d\d")]
    private static partial Regex RefusedResource();
}
