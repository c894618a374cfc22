using System.Net;
using System.Text;
using System.Text.Json;
using Custodian.Server.Tests;
using Tomlyn;
using Tomlyn.Model;
using YamlDotNet.Serialization;

namespace Custodian.Cli.Tests.NetworkServers;

/// <summary>
/// <c>admin networks|application-servers create … --config-for</c>: the printed configuration holds the new token, is
/// read back strictly as The Things Stack (YamlDotNet into <see cref="TtsInteropConfig"/> and siblings, unknown keys
/// failing as with TTS's yaml.UnmarshalStrict) and ChirpStack (<see cref="ChirpStackConfigModel"/>) read it, and the
/// URL and header it makes them send reach the Join Server with that credential.
/// </summary>
public sealed class ConfigForTests : IAsyncLifetime
{
    private const string Kek16 = "000102030405060708090A0B0C0D0E0F";
    private static readonly IDeserializer Strict = new DeserializerBuilder().Build();
    private TestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private Task<CliRun> AdminAsync(params string[] args) => CliRun.AgainstAsync(_server, _server.AdminKey, args);

    [Fact]
    public async Task TTS_network_configuration_parses_strictly_and_its_URL_and_header_reach_the_Join_Server()
    {
        var publicUrl = _server.BaseAddress.GetLeftPart(UriPartial.Authority);
        var run = await AdminAsync(
            "admin", "networks", "create", "--net-id", "000013", "--kek-label", "tts-ns-kek", "--kek", Kek16,
            "--config-for", "tts", "--public-url", publicUrl, "--join-eui-prefix", "70B3D57ED0000000/40", "--join-eui-prefix", "70b3d57ed0010000/48");

        run.ExitCode.Should().Be(0, run.Error);
        var token = Token(run.Out);
        var files = Files(run.Out);
        files.Keys.Should().Equal("config.yml", "custodian-ns.yml", "ttn-lw-stack.yml");
        var config = Strict.Deserialize<TtsInteropConfig>(files["config.yml"]);
        var entry = config.JoinServers.Should().ContainSingle().Subject;
        entry.File.Should().Be("custodian-ns.yml");
        entry.Components.Should().Equal("ns");
        entry.JoinEuis.Should().Equal("70B3D57ED0000000/40", "70B3D57ED0010000/48");
        var js = Strict.Deserialize<TtsJoinServerFile>(files["custodian-ns.yml"]);
        js.Protocol.Should().Be("BI1.0");
        js.Paths.Join.Should().Be("backend-interfaces", "TTS puts the '/' in front itself");
        js.Headers.Should().Equal(new Dictionary<string, string> { ["Authorization"] = "Bearer " + token });
        js.Dns.Should().BeEmpty("TTS refuses dns (dns_lookup_not_supported)");
        var stack = Strict.Deserialize<TtsStackOptions>(files["ttn-lw-stack.yml"]);
        stack.Ns!.NetId.Should().Be("000013");
        stack.Ns.Interop.ConfigSource.Should().Be("directory");
        stack.KeyVault!.Static.Should().Equal(new Dictionary<string, string> { ["tts-ns-kek"] = Kek16 });

        // pkg/interop/client.go serverURL(scheme, fqdn, path, port): scheme://fqdn:port/ + paths.join.
        var url = $"{js.Scheme}://{js.Fqdn}:{js.Port}/{js.Paths.Join}";
        (await JoinReqAsync(url, js.Headers["Authorization"])).Should().Be("UnknownDevEUI", "the token is accepted; only the device is unknown");
        (await JoinReqAsync(url, "Bearer cbi_wrong")).Should().Be("UnknownSender");
    }

    [Fact]
    public async Task TTS_network_with_an_NSID_speaks_BI_1_1_with_its_sender_ns_id()
    {
        var run = await AdminAsync(
            "admin", "networks", "create", "--net-id", "000013", "--ns-id", "70B3D57ED0000001",
            "--config-for", "tts", "--public-url", "https://custodian.example.com/lorawan/", "--join-eui-prefix", "70B3D57ED0000000/40");

        run.ExitCode.Should().Be(0, run.Error);
        var files = Files(run.Out);
        var js = Strict.Deserialize<TtsJoinServerFile>(files["custodian-ns.yml"]);
        js.Protocol.Should().Be("BI1.1");
        js.SenderNsId.Should().Be("70B3D57ED0000001");
        (js.Scheme, js.Fqdn, js.Port).Should().Be(("https", "custodian.example.com", 443u));
        js.Paths.Join.Should().Be("lorawan/backend-interfaces");
        Strict.Deserialize<TtsStackOptions>(files["ttn-lw-stack.yml"]).Ns!.Interop.Id.Should().Be("70B3D57ED0000001");
    }

    [Fact]
    public async Task TTS_application_server_configuration_is_its_own_file_with_its_own_token()
    {
        var run = await AdminAsync(
            "admin", "application-servers", "create", "--as-id", "tts-as.local", "--kek-label", "tts-as-kek", "--kek", Kek16,
            "--config-for", "tts", "--public-url", "https://custodian.example.com:8443", "--join-eui-prefix", "70B3D57ED0000000/40");

        run.ExitCode.Should().Be(0, run.Error);
        var files = Files(run.Out);
        Strict.Deserialize<TtsInteropConfig>(files["config.yml"]).JoinServers.Single().Components.Should().Equal("as");
        var js = Strict.Deserialize<TtsJoinServerFile>(files["custodian-as.yml"]);
        js.Paths.AppSKey.Should().Be("backend-interfaces");
        js.Paths.Join.Should().BeEmpty();
        js.Port.Should().Be(8443);
        js.Headers["Authorization"].Should().Be("Bearer " + Token(run.Out));
        var stack = Strict.Deserialize<TtsStackOptions>(files["ttn-lw-stack.yml"]);
        stack.As!.Interop.Id.Should().Be("tts-as.local", "as.interop.id must equal the claims' AS-ID");
        stack.Ns.Should().BeNull();
    }

    [Fact]
    public async Task ChirpStack_configuration_matches_its_config_rs_and_reaches_the_Join_Server()
    {
        var publicUrl = _server.BaseAddress.GetLeftPart(UriPartial.Authority);
        var run = await AdminAsync(
            "admin", "networks", "create", "--net-id", "C00053", "--kek-label", "cs-kek", "--kek", Kek16, "--app-s-key-mode", "network-clear",
            "--config-for", "chirpstack", "--public-url", publicUrl, "--join-eui-prefix", "70B3D57ED0000000/40");

        run.ExitCode.Should().Be(0, run.Error);
        run.Error.Should().BeEmpty();
        var files = Files(run.Out);
        var toml = TomlSerializer.Deserialize<TomlTable>(files["chirpstack.toml"])!;
        ChirpStackConfigModel.Check(toml).Should().BeEmpty();
        ((TomlTable)toml["network"])["net_id"].Should().Be("c00053");
        var server = ((TomlTableArray)((TomlTable)toml["join_server"])["servers"]).Should().ContainSingle().Subject;
        server["authorization_header"].Should().Be("Bearer " + Token(run.Out));
        var kek = ((TomlTableArray)toml["keks"]).Should().ContainSingle().Subject;
        (kek["label"], kek["kek"]).Should().Be(("cs-kek", Kek16.ToLowerInvariant()));
        (await JoinReqAsync((string)server["server"], (string)server["authorization_header"], "c00053")).Should().Be("UnknownDevEUI");
    }

    [Fact]
    public async Task ChirpStack_configuration_warns_of_a_KEK_it_cannot_load_and_of_end_to_end_mode()
    {
        var run = await AdminAsync(
            "admin", "networks", "create", "--net-id", "C00054", "--kek-label", "cs-kek", "--kek", Kek16 + "0001020304050607",
            "--config-for", "chirpstack", "--public-url", "https://custodian.example.com", "--join-eui-prefix", "70B3D57ED0000000/40");

        run.ExitCode.Should().Be(0, run.Error);
        run.Error.Should().Contain("ChirpStack loads only 16-byte (AES-128) KEKs").And.Contain("--app-s-key-mode network-clear");
        var toml = TomlSerializer.Deserialize<TomlTable>(Files(run.Out)["chirpstack.toml"])!;
        ChirpStackConfigModel.Check(toml).Should().BeEmpty();
        toml.ContainsKey("keks").Should().BeFalse();
    }

    [Fact]
    public async Task The_strict_readers_refuse_what_TTS_and_ChirpStack_would_not_read_as_meant()
    {
        var yaml = () => Strict.Deserialize<TtsJoinServerFile>("fqdn: x\nurl: https://x\n");
        yaml.Should().Throw<YamlDotNet.Core.YamlException>("TTS's per-JS file has no url");
        var toml = TomlSerializer.Deserialize<TomlTable>("[[join_server.servers]]\njoin_eui_prefix = \"70b3d57ed0000000/40\"\nasync_interface = true\n\n[[keks]]\nlabel = \"x\"\nkek = \"00112233445566778899aabbccddeeff0011223344556677\"\n")!;
        ChirpStackConfigModel.Check(toml).Should().HaveCount(2);
        var missing = await AdminAsync("admin", "networks", "create", "--net-id", "000013", "--config-for", "tts");
        missing.ExitCode.Should().NotBe(0);
        missing.Error.Should().Contain("--config-for needs --public-url and at least one --join-eui-prefix.");
    }

    /// <summary>A JoinReq for a device nobody registered, as a network server would send it: the ResultCode.</summary>
    private static async Task<string> JoinReqAsync(string url, string authorization, string netId = "000013")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(
                """{"ProtocolVersion":"1.0","TransactionID":0,"MessageType":"JoinReq","SenderID":"NETID","ReceiverID":"70B3D57ED0000001","MACVersion":"1.0.3","PHYPayload":"00010000D07ED5B370FFFFFFFFFFFFFFFF0100AABBCCDD","DevEUI":"FFFFFFFFFFFFFFFF","DevAddr":"26011F22","DLSettings":"03","RxDelay":1}""".Replace("NETID", netId, StringComparison.Ordinal),
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", authorization).Should().BeTrue();
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return json.RootElement.GetProperty("Result").GetProperty("ResultCode").GetString()!;
    }

    private static string Token(string output) =>
        output.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.StartsWith("Token: ", StringComparison.Ordinal))["Token: ".Length..];

    /// <summary>The printed files, each after its "# ---- name ----" line.</summary>
    private static Dictionary<string, string> Files(string output)
    {
        var files = new Dictionary<string, string>();
        string? current = null;
        var text = new StringBuilder();
        foreach (var line in output.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("# ---- ", StringComparison.Ordinal))
            {
                Flush();
                current = line["# ---- ".Length..].Split(' ')[0];
                continue;
            }
            if (current is not null)
            {
                text.AppendLine(line);
            }
        }
        Flush();
        return files;

        void Flush()
        {
            if (current is not null)
            {
                files[current] = text.ToString();
            }
            text.Clear();
        }
    }
}
