namespace Custodian.Server.Tests;

/// <summary>The real server (Kestrel) on a free loopback port, shared by the tests of a class.</summary>
public sealed class RunningServer : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    /// <summary>A client without an API key.</summary>
    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        Client = Server.Client();
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
