using Microsoft.AspNetCore.Hosting;

namespace Custodian.Server.Tests;

public sealed class ListenAddressTests
{
    [Fact]
    public async Task Listens_on_loopback_8080_by_default()
    {
        await using var app = CustodianApp.Build([]);

        app.Configuration[WebHostDefaults.ServerUrlsKey].Should().Be("http://127.0.0.1:8080");
    }

    [Fact]
    public async Task Urls_argument_overrides_the_default()
    {
        await using var app = CustodianApp.Build(["--urls", "http://127.0.0.1:5123"]);

        app.Configuration[WebHostDefaults.ServerUrlsKey].Should().Be("http://127.0.0.1:5123");
    }
}
