using System.Buffers;
using System.Net;
using System.Text.Json;
using Custodian.Cli.Api;
using Custodian.Cli.Batches;

namespace Custodian.Cli.Commands.Devices;

/// <summary>
/// Consecutive device rows and what became of each. The sendable rows go to <c>POST /api/v1/devices/batch</c>
/// together. A device the server already has (<c>device_exists</c>) counts as provisioned only when it is this
/// maker's and its claim code is the row's (or the row gave none): that is how a rerun recognises its own earlier work.
/// </summary>
internal sealed class ProvisionBatch(DeviceRow[] rows)
{
    public const string BatchPath = "api/v1/devices/batch";
    private const string DeviceExists = "device_exists";
    private const int ParallelLookups = 8;

    public DeviceRow[] Rows { get; } = rows;

    public ProvisionOutcome[] Outcomes { get; } = [.. rows.Select(row => row.IsSendable ? default : ProvisionOutcome.Failed(row.Problem!))];

    /// <summary>Set when this batch showed the run cannot go on (the server is gone, the key is refused).</summary>
    public string? StopReason { get; private set; }

    public async Task<ProvisionBatch> SendAsync(CustodianClient client, CancellationToken cancellationToken)
    {
        var sent = Enumerable.Range(0, Rows.Length).Where(i => Rows[i].IsSendable).ToArray();
        if (sent.Length == 0)
        {
            return this;
        }
        var answer = await BatchAnswer.PostAsync(client, BatchPath, Body(sent), cancellationToken);
        if (answer.Failure is { } failure)
        {
            Fail(sent, failure);
            StopReason = answer.StopReason;
            return this;
        }
        var existing = Record(sent, answer.Body);
        try
        {
            await Parallel.ForEachAsync(existing, new ParallelOptions { MaxDegreeOfParallelism = ParallelLookups, CancellationToken = cancellationToken },
                async (index, token) => Outcomes[index] = await RecogniseAsync(client, Rows[index], token));
        }
        catch (Exception e) when (BatchAnswer.Refusal(client, e) is ({ } lookupFailure, var stop))
        {
            Fail([.. existing.Where(index => Outcomes[index].Status is null)], lookupFailure);
            StopReason = stop;
        }
        return this;
    }

    private byte[] Body(int[] sent)
    {
        var buffer = new ArrayBufferWriter<byte>(sent.Length * 200);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("devices");
            foreach (var index in sent)
            {
                Rows[index].WriteRequest(json);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Records each result; returns the rows whose device existed already, to be recognised or refused.</summary>
    private List<int> Record(int[] sent, JsonElement? answer)
    {
        var existing = new List<int>();
        var answered = new bool[sent.Length];
        if (answer is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
        {
            foreach (var result in results.EnumerateArray())
            {
                if (!result.TryGetProperty("index", out var value) || !value.TryGetInt32(out var index) || index < 0 || index >= sent.Length)
                {
                    continue;
                }
                answered[index] = true;
                var row = Rows[sent[index]];
                if (Text(result, "status") == "created")
                {
                    Outcomes[sent[index]] = ProvisionOutcome.Made(ProvisionStatuses.Created, Manifest(row, result));
                }
                else if (result.TryGetProperty("error", out var error) && Text(error, "code") == DeviceExists)
                {
                    existing.Add(sent[index]);
                }
                else
                {
                    var problem = result.TryGetProperty("error", out error) ? ApiProblem.FromItem(error).ToString() : "The server did not create the device.";
                    Outcomes[sent[index]] = ProvisionOutcome.Failed(WithLine(row, problem));
                }
            }
        }
        for (var i = 0; i < sent.Length; i++)
        {
            if (!answered[i])
            {
                Outcomes[sent[i]] = ProvisionOutcome.Failed(WithLine(Rows[sent[i]], "The server's answer has no result for this row."));
            }
        }
        return existing;
    }

    /// <summary>
    /// A device that exists is this row's when its maker (the caller: another maker's device is a 404) still holds it with
    /// the row's claim code — so a rerun, or a row sent once before its answer was lost, counts as provisioned.
    /// </summary>
    private static async Task<ProvisionOutcome> RecogniseAsync(CustodianClient client, DeviceRow row, CancellationToken cancellationToken)
    {
        JsonElement? device;
        try
        {
            device = await client.GetAsync($"api/v1/devices/{row.DevEui}", cancellationToken);
        }
        catch (ApiProblemException e) when (e.Problem.Status == HttpStatusCode.NotFound)
        {
            return ProvisionOutcome.Failed(WithLine(row, $"{DeviceExists}: DevEUI {row.DevEui} belongs to another maker."));
        }
        catch (ApiProblemException e) when (e.Problem.Status == HttpStatusCode.Forbidden)
        {
            return ProvisionOutcome.Failed(WithLine(row,
                $"{DeviceExists}: device {row.DevEui} exists; to recognise a device made before, the API key needs devices:read too ({e.Problem})."));
        }
        catch (ApiProblemException e) when (e.Problem.Status != HttpStatusCode.Unauthorized)
        {
            return ProvisionOutcome.Failed(WithLine(row, $"{DeviceExists}: device {row.DevEui} exists, and looking it up failed: {e.Problem}"));
        }
        if (device is not { } found || Text(found, "claimCode") is not { } code || Text(found, "qr") is not { } qr)
        {
            return ProvisionOutcome.Failed(WithLine(row, $"{DeviceExists}: device {row.DevEui} exists and is no longer held by you with its first claim code (an owner has claimed it)."));
        }
        if (row.ClaimCode is not null && !string.Equals(row.ClaimCode, code, StringComparison.OrdinalIgnoreCase))
        {
            return ProvisionOutcome.Failed(WithLine(row, $"{DeviceExists}: device {row.DevEui} exists with another claim code: it was provisioned before, not from these rows."));
        }
        var manifest = new ManifestRow(row.DevEui, Text(found, "joinEui") ?? row.JoinEui ?? "", Text(found, "macVersion") ?? row.MacVersion ?? "",
            KeyMadeHere(row, row.AppKey), KeyMadeHere(row, row.NwkKey), code, qr);
        return ProvisionOutcome.Made(ProvisionStatuses.AlreadyProvisioned, manifest);
    }

    /// <summary>
    /// The manifest row of a device just made, with the keys Custodian made: the server (answered once) or this tool.
    /// Keys a maker brought stay out of it: the maker has them, and a copy more is a leak more.
    /// </summary>
    private static ManifestRow Manifest(DeviceRow row, JsonElement result) => new(
        Text(result, "devEui") ?? row.DevEui,
        Text(result, "joinEui") ?? row.JoinEui ?? "",
        Text(result, "macVersion") ?? row.MacVersion ?? "",
        Text(result, "appKey") ?? KeyMadeHere(row, row.AppKey),
        Text(result, "nwkKey") ?? KeyMadeHere(row, row.NwkKey),
        Text(result, "claimCode") ?? row.ClaimCode ?? "",
        Text(result, "qr") ?? "");

    private static string? KeyMadeHere(DeviceRow row, string? key) => row.KeysMadeHere ? key : null;

    private static string WithLine(DeviceRow row, string problem) => row.Line > 0 ? $"line {row.Line}: {problem}" : problem;

    private void Fail(IEnumerable<int> sent, string reason)
    {
        foreach (var index in sent)
        {
            Outcomes[index] = ProvisionOutcome.Failed(reason);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>What became of one row: a status, the manifest row when the device is provisioned, the reason when not.</summary>
internal readonly record struct ProvisionOutcome(string Status, ManifestRow? Device, string? Error)
{
    public static ProvisionOutcome Made(string status, ManifestRow device) => new(status, device, null);

    public static ProvisionOutcome Failed(string error) => new(ProvisionStatuses.Failed, null, error);
}

/// <summary>The statuses of a provisioned row, as the report spells them.</summary>
internal static class ProvisionStatuses
{
    public const string Created = "created";
    public const string AlreadyProvisioned = "already-provisioned";
    public const string Failed = "failed";
}
