using System.Buffers;
using System.Text.Json;
using Custodian.Cli.Api;
using Custodian.Cli.Batches;

namespace Custodian.Cli.Commands.Claims;

/// <summary>
/// Consecutive rows of a claim file and what became of each: the rows that can be sent go to
/// <c>POST /api/v1/claims/batch</c> together; the others are failed already, with their line.
/// </summary>
internal sealed class ClaimBatch(ClaimRow[] rows)
{
    public const string BatchPath = "api/v1/claims/batch";

    public ClaimRow[] Rows { get; } = rows;

    public RowOutcome[] Outcomes { get; } = [.. rows.Select(row => row.IsSendable ? default : RowOutcome.Failed($"line {row.Line}: {row.Problem}"))];

    /// <summary>Set when this batch showed the import cannot go on (the server is gone, the key is refused).</summary>
    public string? StopReason { get; private set; }

    /// <summary>Sends the sendable rows and records each one's result; a batch the server finally refuses fails all of them with its reason.</summary>
    public async Task<ClaimBatch> SendAsync(CustodianClient client, ClaimHome home, CancellationToken cancellationToken)
    {
        var sent = Enumerable.Range(0, Rows.Length).Where(i => Rows[i].IsSendable).ToArray();
        if (sent.Length == 0)
        {
            return this;
        }
        var answer = await BatchAnswer.PostAsync(client, BatchPath, Body(sent, home), cancellationToken);
        if (answer.Failure is { } failure)
        {
            Fail(sent, failure);
            StopReason = answer.StopReason;
        }
        else
        {
            Record(sent, answer.Body);
        }
        return this;
    }

    private byte[] Body(int[] sent, ClaimHome home)
    {
        var buffer = new ArrayBufferWriter<byte>(sent.Length * 160);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("claims");
            foreach (var index in sent)
            {
                WriteClaim(json, Rows[index], home);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteClaim(Utf8JsonWriter json, ClaimRow row, ClaimHome home)
    {
        json.WriteStartObject();
        if (row.Qr is not null)
        {
            json.WriteString("qr", row.Qr);
        }
        else
        {
            json.WriteString("devEui", row.DevEui);
        }
        if (row.JoinEui is not null)
        {
            json.WriteString("joinEui", row.JoinEui);
        }
        if (row.Code is not null)
        {
            json.WriteString("claimCode", row.Code);
        }
        home.WriteTo(json);
        json.WriteEndObject();
    }

    private void Record(int[] sent, JsonElement? answer)
    {
        var answered = new bool[sent.Length];
        if (answer is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
        {
            foreach (var result in results.EnumerateArray())
            {
                if (result.TryGetProperty("index", out var value) && value.TryGetInt32(out var index) && index >= 0 && index < sent.Length)
                {
                    Outcomes[sent[index]] = RowOutcome.From(result);
                    answered[index] = true;
                }
            }
        }
        for (var i = 0; i < sent.Length; i++)
        {
            if (!answered[i])
            {
                Outcomes[sent[i]] = RowOutcome.Failed("The server's answer has no result for this row.");
            }
        }
    }

    private void Fail(int[] sent, string reason)
    {
        foreach (var index in sent)
        {
            Outcomes[index] = RowOutcome.Failed(reason);
        }
    }
}

/// <summary>What became of one row: <see cref="ClaimStatuses"/>, and for a failure the reason (<c>code: message</c>).</summary>
internal readonly record struct RowOutcome(string Status, string? Error, string? DevEui = null)
{
    public static RowOutcome Failed(string error) => new(ClaimStatuses.Failed, error);

    public static RowOutcome From(JsonElement result)
    {
        var status = result.TryGetProperty("status", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : ClaimStatuses.Failed;
        var devEui = result.TryGetProperty("devEui", out var eui) && eui.ValueKind == JsonValueKind.String ? eui.GetString() : null;
        return status switch
        {
            ClaimStatuses.Claimed or ClaimStatuses.AlreadyClaimed => new RowOutcome(status, null, devEui),
            _ => new RowOutcome(ClaimStatuses.Failed,
                result.TryGetProperty("error", out var error) ? ApiProblem.FromItem(error).ToString() : $"The server answered '{status}'.", devEui),
        };
    }
}

/// <summary>The statuses of a claimed row, as the API and the report spell them.</summary>
internal static class ClaimStatuses
{
    public const string Claimed = "claimed";
    public const string AlreadyClaimed = "already-claimed";
    public const string Failed = "failed";
}
