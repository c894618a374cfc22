using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Custodian.Server.Tests;

namespace Custodian.Cli.Tests;

/// <summary><c>custodian admin networks|application-servers rotate-token|set-certificate|remove</c> against a real server.</summary>
public sealed class AdminPeerCredentialCommandTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("custodian-peer-cli-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private Task<CliRun> AdminAsync(params string[] args) => CliRun.AgainstAsync(_server, _server.AdminKey, args);

    [Fact]
    public async Task A_network_token_is_rotated_printed_once_and_the_old_one_is_refused()
    {
        var old = await _server.NetworkAsync("0000E1", "0011223344556677");

        var run = await AdminAsync("admin", "networks", "rotate-token", "--net-id", "0000E1", "--ns-id", "0011223344556677");

        run.ExitCode.Should().Be(0, run.Error);
        var lines = run.Out.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("New token for network 0000E1 (NSID 0011223344556677); the previous one is refused (by every instance within seconds).");
        lines[1].Should().StartWith("Token: cbi_");
        var fresh = lines[1]["Token: ".Length..];
        (await JoinResultAsync("0000E1", "0011223344556677", old)).Should().Be("UnknownSender");
        (await JoinResultAsync("0000E1", "0011223344556677", fresh)).Should().Be("UnknownDevEUI");
    }

    [Fact]
    public async Task A_certificate_is_set_and_dropped_and_a_network_and_an_application_server_are_removed()
    {
        await _server.NetworkAsync("0000E2");
        var certificate = WriteCertificate(out var thumbprint);

        var set = await AdminAsync("admin", "networks", "set-certificate", "--net-id", "0000E2", "--client-certificate", certificate);
        var dropped = await AdminAsync("admin", "networks", "set-certificate", "--net-id", "0000E2", "--none", "--json");
        var neither = await AdminAsync("admin", "networks", "set-certificate", "--net-id", "0000E2");
        var removed = await AdminAsync("admin", "networks", "remove", "--net-id", "0000E2");
        var again = await AdminAsync("admin", "networks", "remove", "--net-id", "0000E2");

        set.ExitCode.Should().Be(0, set.Error);
        set.Out.Should().Be($"The network 0000E2 now authenticates with the certificate SHA-256 {thumbprint}." + Environment.NewLine);
        dropped.ExitCode.Should().Be(0, dropped.Error);
        using (var json = JsonDocument.Parse(dropped.Out))
        {
            json.RootElement.TryGetProperty("certificateThumbprint", out _).Should().BeFalse();
        }
        neither.ExitCode.Should().NotBe(0);
        neither.Error.Should().Contain("Give --client-certificate FILE or --none.");
        removed.ExitCode.Should().Be(0, removed.Error);
        removed.Out.Should().Be("Removed network 0000E2." + Environment.NewLine);
        again.ExitCode.Should().Be(1);
        again.Error.Should().StartWith("network_not_found: ");

        (await AdminAsync("admin", "application-servers", "create", "--as-id", "as-e.example")).ExitCode.Should().Be(0);
        var rotated = await AdminAsync("admin", "application-servers", "rotate-token", "--as-id", "as-e.example", "--json");
        rotated.ExitCode.Should().Be(0, rotated.Error);
        using (var json = JsonDocument.Parse(rotated.Out))
        {
            json.RootElement.GetProperty("token").GetString().Should().StartWith("cbi_");
        }
        var removedServer = await AdminAsync("admin", "application-servers", "remove", "--as-id", "as-e.example");
        removedServer.Out.Should().Be("Removed application server as-e.example." + Environment.NewLine);
        (await AdminAsync("admin", "application-servers", "list", "--json")).Out.Should().NotContain("as-e.example");
    }

    /// <summary>The ResultCode of a JoinReq for a DevEUI nobody has: UnknownDevEUI past the credential check, UnknownSender before.</summary>
    private async Task<string> JoinResultAsync(string netId, string nsId, string token)
    {
        const string payload = "00" + "0000000000B0D370" + "0100FF00FF00FF00" + "0100" + "00000000";
        var request = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ProtocolVersion"] = "1.1",
            ["SenderID"] = netId,
            ["SenderNSID"] = nsId,
            ["ReceiverID"] = "70B3D57ED0000000",
            ["TransactionID"] = 1,
            ["MessageType"] = "JoinReq",
            ["MACVersion"] = "1.0.3",
            ["PHYPayload"] = payload,
            ["DevEUI"] = "00FF00FF00FF0001",
            ["DevAddr"] = "26011234",
            ["DLSettings"] = "00",
            ["RxDelay"] = 1,
        });
        using var client = _server.Client();
        using var message = new HttpRequestMessage(HttpMethod.Post, "/backend-interfaces") { Content = new StringContent(request, Encoding.UTF8, "application/json") };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(message, Ct);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return answer.RootElement.GetProperty("Result").GetProperty("ResultCode").GetString()!;
    }

    private string WriteCertificate(out string thumbprint)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ns-e.example", ecdsa, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        thumbprint = Convert.ToHexString(SHA256.HashData(certificate.RawData));
        var file = Path.Combine(_directory.FullName, "peer.pem");
        File.WriteAllText(file, certificate.ExportCertificatePem());
        return file;
    }
}
