using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Custodian.Server.Tests.Durability;

namespace Custodian.Server.Tests.Makers;

/// <summary>
/// Security review 2, finding 7 (the server): a 16 MB CSV line raised the real server's peak memory by ~640 MB, and
/// 256 MB uploads, many at once, were allowed. Measured on the built server running as its own process.
/// </summary>
public sealed class ClaimImportLimitTests
{
    private const string NetId = "0000C7";
    private const string Header = "dev_eui,join_eui,claim_authentication_code\n";
    private const long MaxGrowth = 100L * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_16_MB_line_and_an_endless_line_are_refused_with_the_server_growing_under_100_MB()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("custodian-import-memory-").FullName;
        var adminKey = "cust_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        try
        {
            await using var server = await ServerProcess.StartAsync(dataDirectory, adminKey, Ct);
            using var http = server.CreateClient(2);
            using var owner = await OwnerAsync(http, adminKey);
            var path = $"/api/v1/claims/import?homeNetId={NetId}&name=claims.csv";
            using (var warmUp = await owner.PostAsync(path, new StringContent(Header + "0004A30B001C0530,70B3D57ED0000000,CODE1234\n"), Ct))
            {
                warmUp.StatusCode.Should().Be(HttpStatusCode.OK, "an ordinary file is imported");
            }
            var before = PeakResidentBytes(server.ProcessId);

            using var longLine = await owner.PostAsync(path, new StringContent(Header + new string(',', 16 * 1024 * 1024) + "\n"), Ct);

            var problem = await longLine.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
            problem.Detail().Should().Be("claims.csv, line 2: a record is longer than 65536 characters");
            var afterLongLine = PeakResidentBytes(server.ProcessId);
            (afterLongLine - before).Should().BeLessThan(MaxGrowth, $"peak RSS {before / 1048576} MB before, {afterLongLine / 1048576} MB after the 16 MB line");

            using var oneLineFile = await owner.PostAsync(path, new StringContent(Header + new string('a', 31 * 1024 * 1024)), Ct);
            (await oneLineFile.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_request")).Detail().Should().Be("claims.csv, line 2: a record is longer than 65536 characters");
            await PostEndlessAsync(owner, path);
            using (var healthy = await http.GetAsync(new Uri("/healthz", UriKind.Relative), Ct))
            {
                healthy.StatusCode.Should().Be(HttpStatusCode.OK, "the server is still serving");
            }
            var afterEndless = PeakResidentBytes(server.ProcessId);
            (afterEndless - before).Should().BeLessThan(MaxGrowth, $"peak RSS {before / 1048576} MB before, {afterEndless / 1048576} MB after the endless line");
            Directory.EnumerateFiles(Path.Combine(dataDirectory, "imports")).Should().BeEmpty("every spool file is removed");
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"peak RSS: {before / 1048576} MB before, {afterLongLine / 1048576} MB after the 16 MB line, {afterEndless / 1048576} MB after the 31 MB line and the endless body");
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task One_import_runs_at_a_time_per_key_and_its_spool_file_is_owner_only_in_the_data_directory()
    {
        await using var server = await TestServer.StartAsync();
        await server.NetworkAsync(NetId);
        var owner = await server.TenantAsync("importer", "devices:claim");
        var otherKey = server.Client(await server.ApiKeyAsync("importer", "devices:claim"));
        var path = $"/api/v1/claims/import?homeNetId={NetId}";
        var stalled = new StalledContent(Encoding.UTF8.GetBytes(Header + "0004A30B001C0530,70B3D57ED0000000,CODE1234\n"));
        var first = owner.PostAsync(path, stalled, Ct);
        var spoolDirectory = Path.Combine(server.DataDirectory, "imports");
        var spool = await SpoolFileAsync(spoolDirectory);

        using var second = await owner.PostAsync(path, new StringContent(Header), Ct);
        using var otherKeys = await otherKey.PostAsync(path, new StringContent(Header + "0004A30B001C0531,70B3D57ED0000000,CODE1234\n"), Ct);

        File.GetUnixFileMode(spool).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(spoolDirectory).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        (await second.ShouldBeProblemAsync(HttpStatusCode.Conflict, "import_running")).Detail().Should().Contain("still running");
        otherKeys.StatusCode.Should().Be(HttpStatusCode.OK, "the limit is per key");
        stalled.Release();
        using (var firstAnswer = await first)
        {
            firstAnswer.StatusCode.Should().Be(HttpStatusCode.OK);
            (await firstAnswer.Content.ReadAsStringAsync(Ct)).Should().Contain("\"summary\"");
        }
        using var afterwards = await owner.PostAsync(path, new StringContent(Header), Ct);
        afterwards.StatusCode.Should().Be(HttpStatusCode.OK, "the key may import again once its import ended");
        File.Exists(spool).Should().BeFalse();
    }

    /// <summary>
    /// Sends a body that never ends (a header, then one endless line): the server stops reading it at the body limit
    /// and answers 400, or closes the connection while the client is still sending; either way it is refused.
    /// </summary>
    private static async Task PostEndlessAsync(HttpClient owner, string path)
    {
        try
        {
            using var endless = await owner.PostAsync(path, new StreamContent(new EndlessStream(Encoding.UTF8.GetBytes(Header))), Ct);
            (await endless.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_request")).Detail().Should().Contain("larger than 32 MB");
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
            // The server closed the connection past the limit, before the client read its answer.
        }
    }

    private static async Task<string> SpoolFileAsync(string directory)
    {
        for (var i = 0; i < 600; i++)
        {
            if (Directory.Exists(directory) && Directory.EnumerateFiles(directory).FirstOrDefault() is { } file)
            {
                return file;
            }
            await Task.Delay(50, Ct);
        }
        throw new TimeoutException("No spool file appeared in " + directory);
    }

    private static async Task<HttpClient> OwnerAsync(HttpClient http, string adminKey)
    {
        await SendAsync(http, adminKey, "/api/v1/networks", new { netId = NetId });
        await SendAsync(http, adminKey, "/api/v1/tenants", new { id = "importer", name = "importer" });
        var key = (await SendAsync(http, adminKey, "/api/v1/tenants/importer/api-keys", new { name = "import", rights = new[] { "devices:claim" } })).GetProperty("key").GetString()!;
        var owner = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return owner;
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, string bearer, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The process's peak resident set (VmHWM), in bytes.</summary>
    private static long PeakResidentBytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>A body that starts with <paramref name="start"/> and then never ends: 'a' after 'a', no line break.</summary>
    private sealed class EndlessStream(byte[] start) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            for (var i = 0; i < count; i++, _position++)
            {
                buffer[offset + i] = _position < start.Length ? start[_position] : (byte)'a';
            }
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A body that sends its bytes (flushed, so the server has the request), then waits for <see cref="Release"/> before it ends.</summary>
    private sealed class StalledContent(byte[] content) : HttpContent
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(content);
            await stream.FlushAsync();
            await _released.Task;
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
