using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Custodian.Server.Tests;

namespace Custodian.Cli.Tests;

/// <summary>
/// <c>custodian admin … create</c> and <c>keys revoke</c> against a real server: what is created works (a key
/// authenticates, a network's token is accepted on Backend Interfaces), and secrets are printed once, on stdout.
/// </summary>
public sealed class AdminCreateCommandTests : IAsyncLifetime
{
    private const string Kek = "000102030405060708090A0B0C0D0E0F";
    private TestServer _server = null!;
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("custodian-admin-");

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private Task<CliRun> AdminAsync(params string[] args) => CliRun.AgainstAsync(_server, _server.AdminKey, args);

    [Fact]
    public async Task A_tenant_is_created_with_its_name_or_its_id()
    {
        var named = await AdminAsync("admin", "tenants", "create", "acme", "--name", "Acme Sensors");
        var unnamed = await AdminAsync("admin", "tenants", "create", "beta", "--json");
        var again = await AdminAsync("admin", "tenants", "create", "acme");

        named.ExitCode.Should().Be(0, named.Error);
        named.Out.Should().Be("Created tenant acme (Acme Sensors)." + Environment.NewLine);
        unnamed.ExitCode.Should().Be(0, unnamed.Error);
        using var json = JsonDocument.Parse(unnamed.Out);
        json.RootElement.GetProperty("id").GetString().Should().Be("beta");
        json.RootElement.GetProperty("name").GetString().Should().Be("beta");
        again.ExitCode.Should().Be(1);
        again.Error.Should().StartWith("tenant_exists: ");
    }

    [Fact]
    public async Task An_api_key_is_printed_once_and_works_with_its_rights()
    {
        await AdminAsync("admin", "tenants", "create", "acme");

        var run = await AdminAsync("admin", "keys", "create", "acme", "--name", "owner app", "--rights", "devices:read, devices:claim");

        run.ExitCode.Should().Be(0, run.Error);
        run.Error.Should().BeEmpty();
        var lines = run.Out.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().MatchRegex("^Created API key key_\\S+ \\(owner app\\) for tenant acme with rights devices:read,devices:claim\\.$");
        lines[1].Should().StartWith("API key: cust_");
        lines[2].Should().Be("Keep this api key now: it is shown once, and the server keeps only its hash.");
        var key = lines[1]["API key: ".Length..];
        // The server takes the key (the device is simply not this tenant's), and the rights are those asked for.
        var status = await CliRun.AgainstAsync(_server, key, "status", "0018B20000000A01");
        status.ExitCode.Should().Be(1, status.Error);
        status.Error.Should().StartWith("device_not_found: ");
        var unclaim = await CliRun.AgainstAsync(_server, key, "unclaim", "0018B20000000A01");
        unclaim.Error.Should().StartWith("missing_right: ");
    }

    [Fact]
    public async Task An_api_key_with_a_client_certificate_shows_its_thumbprint_and_json_is_the_servers_answer()
    {
        await AdminAsync("admin", "tenants", "create", "acme");
        var (pemFile, thumbprint) = WriteCertificate("CN=acme-factory");

        var run = await AdminAsync("admin", "keys", "create", "acme", "--name", "factory", "--rights", "devices:provision", "--client-certificate", pemFile);
        var json = await AdminAsync("admin", "keys", "create", "acme", "--name", "ci", "--rights", "devices:read", "--json");

        run.ExitCode.Should().Be(0, run.Error);
        run.Out.Should().Contain($"Its client certificate has SHA-256 {thumbprint}.");
        json.ExitCode.Should().Be(0, json.Error);
        using var answer = JsonDocument.Parse(json.Out);
        answer.RootElement.GetProperty("tenantId").GetString().Should().Be("acme");
        answer.RootElement.GetProperty("rights").EnumerateArray().Select(r => r.GetString()).Should().Equal("devices:read");
        answer.RootElement.GetProperty("key").GetString().Should().StartWith("cust_");
    }

    [Fact]
    public async Task Key_creation_refusals_and_usage_errors()
    {
        await AdminAsync("admin", "tenants", "create", "acme");

        var badRight = await AdminAsync("admin", "keys", "create", "acme", "--name", "x", "--rights", "devices:everything");
        var noTenant = await AdminAsync("admin", "keys", "create", "nobody", "--name", "x", "--rights", "devices:read");
        var noRights = await AdminAsync("admin", "keys", "create", "acme", "--name", "x");
        var noFile = await AdminAsync("admin", "keys", "create", "acme", "--name", "x", "--rights", "devices:read", "--client-certificate", Path.Combine(_directory.FullName, "missing.pem"));
        var notPem = await AdminAsync("admin", "keys", "create", "acme", "--name", "x", "--rights", "devices:read", "--client-certificate", WriteFile("key.txt", "not a certificate"));

        badRight.ExitCode.Should().Be(1);
        badRight.Error.Should().StartWith("invalid_field: rights:");
        noTenant.ExitCode.Should().Be(1);
        noTenant.Error.Should().StartWith("tenant_not_found: ");
        noRights.ExitCode.Should().Be(2);
        noRights.Error.Should().Contain("--rights");
        noFile.ExitCode.Should().Be(2);
        noFile.Error.Should().Contain("missing.pem");
        notPem.ExitCode.Should().Be(1);
        notPem.Error.Should().StartWith("invalid_field: clientCertificate:");
    }

    [Fact]
    public async Task Admin_commands_need_an_admin_key()
    {
        var key = await _server.KeyAsync("maker", ClaimWorld.MakerRights);

        var run = await CliRun.AgainstAsync(_server, key, "admin", "tenants", "create", "acme");

        run.ExitCode.Should().Be(1);
        run.Error.Should().StartWith("missing_right: ");
    }

    [Fact]
    public async Task A_revoked_key_stops_working()
    {
        await AdminAsync("admin", "tenants", "create", "acme");
        var created = await AdminAsync("admin", "keys", "create", "acme", "--name", "app", "--rights", "devices:read", "--json");
        using var answer = JsonDocument.Parse(created.Out);
        var (keyId, key) = (answer.RootElement.GetProperty("id").GetString()!, answer.RootElement.GetProperty("key").GetString()!);
        (await CliRun.AgainstAsync(_server, key, "status", "0018B20000000A01")).ExitCode.Should().Be(1, "the key works before it is revoked");

        var run = await AdminAsync("admin", "keys", "revoke", "acme", keyId);
        var again = await AdminAsync("admin", "keys", "revoke", "acme", keyId);

        run.ExitCode.Should().Be(0, run.Error);
        run.Out.Should().Be($"Revoked API key {keyId} of tenant acme." + Environment.NewLine);
        var refused = await CliRun.AgainstAsync(_server, key, "status", "0018B20000000A01");
        refused.ExitCode.Should().Be(2);
        refused.Error.Should().Contain("refused the API key");
        again.ExitCode.Should().Be(1);
        again.Error.Should().StartWith("api_key_not_found: ");
    }

    [Fact]
    public async Task The_last_admin_key_cannot_be_revoked()
    {
        var keys = await AdminAsync("admin", "keys", "list", "operator", "--json");
        using var json = JsonDocument.Parse(keys.Out);
        var adminKeyId = json.RootElement.EnumerateArray().Single().GetProperty("id").GetString()!;

        var run = await AdminAsync("admin", "keys", "revoke", "operator", adminKeyId);

        run.ExitCode.Should().Be(1);
        run.Error.Should().StartWith("last_admin_key: ");
        (await AdminAsync("admin", "tenants", "list")).ExitCode.Should().Be(0, "the admin key still works");
    }

    [Fact]
    public async Task A_network_is_registered_and_its_token_printed_once_works_on_backend_interfaces()
    {
        var run = await AdminAsync("admin", "networks", "create", "--net-id", "00000b", "--name", "Field network", "--kek-label", "ns.example.com", "--kek", Kek);

        run.ExitCode.Should().Be(0, run.Error);
        var lines = run.Out.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("Registered network 00000B with KEK 'ns.example.com'.");
        lines[1].Should().StartWith("Token: cbi_");
        lines[2].Should().Be("Keep this token now: it is shown once, and the server keeps only its hash.");
        run.Out.Should().NotContain(Kek);
        var token = lines[1]["Token: ".Length..];
        (await HomeNsResultAsync("00000B", token)).Should().NotBe("UnknownSender");
        (await HomeNsResultAsync("00000B", "cbi_not-the-token")).Should().Be("UnknownSender");
    }

    [Fact]
    public async Task A_network_with_an_nsid_in_json_is_the_servers_answer()
    {
        var run = await AdminAsync("admin", "networks", "create", "--net-id", "00000C", "--ns-id", "00000000000000C1", "--json");
        var twice = await AdminAsync("admin", "networks", "create", "--net-id", "00000C", "--ns-id", "00000000000000C1");

        run.ExitCode.Should().Be(0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        json.RootElement.GetProperty("netId").GetString().Should().Be("00000C");
        json.RootElement.GetProperty("nsId").GetString().Should().Be("00000000000000C1");
        json.RootElement.GetProperty("token").GetString().Should().StartWith("cbi_");
        twice.ExitCode.Should().Be(1);
        twice.Error.Should().StartWith("network_exists: ");
    }

    [Fact]
    public async Task Peer_options_are_checked_before_anything_is_sent()
    {
        var labelOnly = await AdminAsync("admin", "networks", "create", "--net-id", "00000B", "--kek-label", "x");
        var shortKek = await AdminAsync("admin", "application-servers", "create", "--as-id", "as1", "--kek-label", "x", "--kek", "0011223344SECRET");
        var badNetId = await AdminAsync("admin", "networks", "create", "--net-id", "0000G1");
        var noNetId = await AdminAsync("admin", "networks", "create");

        labelOnly.ExitCode.Should().Be(2);
        labelOnly.Error.Should().Contain("--kek-label and --kek go together");
        shortKek.ExitCode.Should().Be(2);
        shortKek.Error.Should().Contain("--kek must be 32, 48 or 64 hex digits").And.NotContain("SECRET");
        badNetId.ExitCode.Should().Be(2);
        badNetId.Error.Should().Contain("--net-id");
        noNetId.ExitCode.Should().Be(2);
        var registered = await AdminAsync("admin", "networks", "create", "--net-id", "00000B");
        registered.ExitCode.Should().Be(0, "the refused commands registered nothing: " + registered.Error);
    }

    [Fact]
    public async Task An_application_server_is_registered_with_a_kek_and_a_certificate()
    {
        var (pemFile, _) = WriteCertificate("CN=as1");

        var run = await AdminAsync("admin", "application-servers", "create", "--as-id", "as1.example.com", "--kek-label", "as1", "--kek", Kek + "0011223344556677", "--client-certificate", pemFile);
        var json = await AdminAsync("admin", "application-servers", "create", "--as-id", "as2", "--json");

        run.ExitCode.Should().Be(0, run.Error);
        run.Out.Should().StartWith("Registered application server as1.example.com with KEK 'as1'." + Environment.NewLine + "Token: cbi_");
        json.ExitCode.Should().Be(0, json.Error);
        using var answer = JsonDocument.Parse(json.Out);
        answer.RootElement.GetProperty("asId").GetString().Should().Be("as2");
        answer.RootElement.GetProperty("token").GetString().Should().StartWith("cbi_");
    }

    /// <summary>The ResultCode of a HomeNSReq sent as network <paramref name="netId"/> with <paramref name="token"/>.</summary>
    private async Task<string> HomeNsResultAsync(string netId, string token)
    {
        var request = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ProtocolVersion"] = "1.1",
            ["SenderID"] = netId,
            ["ReceiverID"] = "70B3D57ED0000000",
            ["TransactionID"] = 1,
            ["MessageType"] = "HomeNSReq",
            ["DevEUI"] = "0018B20000000A01",
        });
        using var client = _server.Client();
        using var message = new HttpRequestMessage(HttpMethod.Post, "/backend-interfaces") { Content = new StringContent(request, Encoding.UTF8, "application/json") };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(message, TestContext.Current.CancellationToken);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return answer.RootElement.GetProperty("Result").GetProperty("ResultCode").GetString()!;
    }

    private (string File, string Thumbprint) WriteCertificate(string subject)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return (WriteFile(subject[3..] + ".pem", certificate.ExportCertificatePem()), Convert.ToHexString(SHA256.HashData(certificate.RawData)));
    }

    private string WriteFile(string name, string content)
    {
        var file = Path.Combine(_directory.FullName, name);
        File.WriteAllText(file, content);
        return file;
    }
}
