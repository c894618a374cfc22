using Microsoft.Playwright;

namespace Custodian.Console.Tests;

/// <summary>What a user does on the console, found by role and accessible name as assistive technology finds it.</summary>
internal static class ConsolePage
{
    public static ILocator Button(this IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public static ILocator Field(this IPage page, string label) => page.GetByLabel(label, new() { Exact = true });

    /// <summary>The live region of the view shown that says what went well.</summary>
    public static ILocator Status(this IPage page) => page.GetByRole(AriaRole.Status);

    /// <summary>The live region of the view shown that says what went wrong.</summary>
    public static ILocator Alert(this IPage page) => page.GetByRole(AriaRole.Alert);

    public static async Task SignInAsync(this IPage page, string apiKey)
    {
        await page.GotoAsync("/");
        await page.Field("API key").FillAsync(apiKey);
        await page.Button("Sign in").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Claim a device" })).ToBeVisibleAsync();
    }

    public static async Task FillClaimAsync(this IPage page, string joinEui, string devEui, string claimCode, string homeNetId)
    {
        await page.Field("JoinEUI").FillAsync(joinEui);
        await page.Field("DevEUI").FillAsync(devEui);
        await page.Field("Claim code").FillAsync(claimCode);
        await page.Field("Home network (NetID)").FillAsync(homeNetId);
    }
}
