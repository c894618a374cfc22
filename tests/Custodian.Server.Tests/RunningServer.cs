using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Custodian.Server.Tests;

/// <summary>The real server (Kestrel) on a free loopback port, shared by the tests of a class.</summary>
public sealed class RunningServer : IAsyncLifetime
{
    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _app = CustodianApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production"]);
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var addresses = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        Client = new HttpClient { BaseAddress = new Uri(addresses.Addresses.Single()) };
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
