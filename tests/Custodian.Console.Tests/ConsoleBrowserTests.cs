namespace Custodian.Console.Tests;

/// <summary>The watch on the page's errors, which every console test ends with, does see errors.</summary>
public sealed class ConsoleBrowserTests
{
    [Fact]
    public async Task Script_errors_and_logged_errors_are_collected_but_refused_requests_are_not()
    {
        await using var world = await ConsoleWorld.StartAsync();
        await using var browser = await ConsoleBrowser.OpenAsync(world.Server.BaseAddress, ConsoleBrowser.Desktop);
        var page = browser.Page;
        await page.GotoAsync("/");

        await page.EvaluateAsync("fetch('/api/v1/claims')"); // a 401: the server's refusal, not a fault of the page
        await page.EvaluateAsync("console.error('logged')");
        await page.EvaluateAsync("setTimeout(() => { throw new Error('thrown'); })");

        await page.WaitForTimeoutAsync(500);
        browser.Errors.Should().HaveCount(2).And.Contain(e => e.Contains("logged")).And.Contain(e => e.Contains("thrown"));
    }
}
