using System.Text.Json;

namespace Custodian.Server.Tests;

/// <summary>
/// The operator's part in a test that is about something else: before a maker's provisioning call goes out, its
/// tenant is given blocks holding the DevEUIs it names (see <see cref="TestServer.MakerClient"/>).
/// </summary>
internal sealed class BlockGrantingHandler(TestServer server, string tenantId) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.IsAbsoluteUri == true ? request.RequestUri.AbsolutePath : request.RequestUri?.OriginalString;
        if (request.Method == HttpMethod.Post && path is "/api/v1/devices" or "/api/v1/devices/batch" && request.Content is { } content)
        {
            var bytes = await content.ReadAsByteArrayAsync(cancellationToken);
            await server.GrantAsync(tenantId, DevEuisIn(bytes), cancellationToken);
            var copy = new ByteArrayContent(bytes);
            foreach (var header in content.Headers)
            {
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            request.Content = copy;
        }
        return await base.SendAsync(request, cancellationToken);
    }

    private static List<ulong> DevEuisIn(byte[] body)
    {
        var found = new List<ulong>();
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var items = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("devices", out var devices) && devices.ValueKind == JsonValueKind.Array
                ? devices.EnumerateArray().ToList()
                : [root];
            foreach (var item in items)
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("devEui", out var eui) && eui.ValueKind == JsonValueKind.String
                    && Custodian.Lorawan.DevEui.TryParse(eui.GetString(), out var devEui, out _))
                {
                    found.Add(devEui.Value);
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // A malformed body (bad JSON, or a string of invalid UTF-16) is the test's point: nothing to grant.
        }
        return found;
    }
}

/// <summary>The fewest prefix blocks (<c>EUI/length</c>) that hold exactly a set of DevEUIs.</summary>
internal static class DevEuiBlockCover
{
    public static List<string> Of(IEnumerable<ulong> sortedDevEuis)
    {
        var blocks = new List<string>();
        ulong? runStart = null, runEnd = null;
        foreach (var eui in sortedDevEuis)
        {
            if (runEnd is { } end && end != ulong.MaxValue && eui == end + 1)
            {
                runEnd = eui;
                continue;
            }
            if (runStart is { } start)
            {
                AddRun(blocks, start, runEnd!.Value);
            }
            (runStart, runEnd) = (eui, eui);
        }
        if (runStart is { } lastStart)
        {
            AddRun(blocks, lastStart, runEnd!.Value);
        }
        return blocks;
    }

    private static void AddRun(List<string> blocks, ulong first, ulong last)
    {
        while (true)
        {
            // The widest aligned block that starts at 'first' and ends by 'last'.
            var size = first == 0 ? 64 : System.Numerics.BitOperations.TrailingZeroCount(first);
            while (size > 0 && (size == 64 ? last != ulong.MaxValue : first + ((1UL << size) - 1) > last))
            {
                size--;
            }
            blocks.Add($"{new Custodian.Lorawan.DevEui(first)}/{64 - size}");
            var blockLast = size == 64 ? ulong.MaxValue : first + ((1UL << size) - 1);
            if (blockLast >= last)
            {
                return;
            }
            first = blockLast + 1;
        }
    }
}
