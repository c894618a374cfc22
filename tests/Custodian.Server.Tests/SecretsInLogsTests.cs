using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace Custodian.Server.Tests;

/// <summary>Keys, tokens, claim codes and KEKs go out only in their show-once fields: never in a log line.</summary>
public sealed class SecretsInLogsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_secret_appears_in_the_logs()
    {
        await using var server = await TestServer.StartAsync();
        var secrets = new List<string> { server.AdminKey };
        secrets.AddRange(File.ReadAllLines(Path.Combine(server.DataDirectory, "kek.txt")).Where(l => l.Contains('=')).Select(l => l.Split('=')[1]));

        var apiKey = await server.ApiKeyAsync("operator", "devices:provision", "devices:read", "devices:claim", "devices:unclaim", "events:read");
        secrets.Add(apiKey);
        var maker = server.Client(apiKey);
        var networkKek = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var (_, network) = await server.Admin.PostAsync("/api/v1/networks", new { netId = "000077", kek = new { label = "nk", key = networkKek } });
        var (_, applicationServer) = await server.Admin.PostAsync("/api/v1/application-servers", new { asId = "as.logs", kek = new { label = "ak", key = networkKek[..32] } });
        secrets.AddRange([networkKek, network.Text("token")!, applicationServer.Text("token")!]);

        const string UploadedKey = "0123456789ABCDEF0123456789ABCDEF";
        const string GivenCode = "GIVENCODE1234";
        var (single, device) = await maker.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui = "0000000000110001", macVersion = "1.0.3", appKey = UploadedKey, claimCode = GivenCode });
        single.Should().Be(HttpStatusCode.Created);
        secrets.AddRange([UploadedKey, GivenCode]);

        var (_, batch) = await maker.PostAsync("/api/v1/devices/batch", new
        {
            devices = new object[]
            {
                new { joinEui = "70B3D57ED0000000", devEui = "0000000000110002", macVersion = "1.1" },
                new { joinEui = "70B3D57ED0000000", devEui = "0000000000110003", macVersion = "1.0.2", homeNetId = "000077", asId = "as.logs" },
                new { joinEui = "70B3D57ED0000000", devEui = "0000000000110004", macVersion = "1.0.2", appKey = "BADBADBADBADBADBADBAD", claimCode = "NOPE!" },
            },
        });
        foreach (var result in batch.GetProperty("results").EnumerateArray().Where(r => r.Text("status") == "created"))
        {
            secrets.AddRange(new[] { "claimCode", "appKey", "nwkKey" }.Select(name => result.Text(name)).OfType<string>());
        }
        secrets.AddRange(["BADBADBADBADBADBADBAD", "NOPE!"]);
        await maker.GetJsonAsync("/api/v1/devices/0000000000110001");
        await maker.PostAsync("/api/v1/devices/0000000000110003/dev-nonces/reset", new { });
        await server.Client("cust_wrong-" + GivenCode).GetJsonAsync("/api/v1/events");

        secrets.Should().HaveCountGreaterThan(12);
        server.Logs.Lines.Should().NotBeEmpty();
        var logs = server.Logs.All;
        foreach (var secret in secrets)
        {
            logs.Should().NotContainEquivalentOf(secret, "a secret must never be logged");
        }
        device.Text("qr").Should().Contain(GivenCode, "the QR text itself is a show-once field of the answer");
        logs.Should().NotContain(device.Text("qr")!);
        JsonSerializer.Serialize(batch).Should().NotContain("BADBADBADBADBADBADBAD");
    }
}
