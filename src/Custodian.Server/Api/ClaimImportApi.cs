using System.Text.Json;
using Custodian.ClaimFiles;
using Custodian.Core.Claims;
using Custodian.Core.Errors;
using Custodian.Server.Auth;
using Custodian.Server.Claims;
using Custodian.Server.Configuration;
using Custodian.Server.Logging;
using Custodian.Server.Makers;
using Custodian.Server.Problems;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Custodian.Server.Api;

/// <summary>
/// <c>POST /api/v1/claims/import?homeNetId=&amp;homeNsId=&amp;asId=&amp;name=</c>: an owner's claim file, the body as it is
/// (CSV or JSON, read by the same readers as <c>custodian claim --file</c>), claimed in batches through the claim service
/// as <c>/claims/batch</c> claims them. The answer is NDJSON, written while the import runs: <c>{"progress":{done,total}}</c>
/// before the first batch and after each, one <c>{line,devEui,status,error?}</c> per row in file order, and a last
/// <c>{"summary":{…}}</c>. A file that cannot be used at all (no usable header, broken JSON) is a 400 before any claim.
/// </summary>
internal static class ClaimImportApi
{
    public const string ContentType = "application/x-ndjson";
    /// <summary>100,000 rows of a few hundred bytes fit; a larger file is split (the CLI's imports send batches anyway).</summary>
    public const long MaxFileBytes = 32L * 1024 * 1024;

    /// <summary>Where uploads wait while imported, under the data directory: owner-only, as they hold claim codes.</summary>
    public const string SpoolDirectoryName = "imports";
    public const int BatchSize = 500;

    public sealed record ImportProgress(long Done, long Total);

    public sealed record ProgressLine(ImportProgress Progress);

    public sealed record RowLine(int Line, string? DevEui, string Status, ProblemDetails? Error);

    public sealed record ImportSummary(long Total, long Claimed, long AlreadyClaimed, long Failed);

    public sealed record SummaryLine(ImportSummary Summary);

    /// <summary>The file turned out broken after claims were made (it changed while read): the import stops here.</summary>
    public sealed record ErrorLine(ProblemDetails Error);

    public static async Task<IResult> ImportAsync(
        HttpContext context, string? homeNetId, string? homeNsId, string? asId, string? name,
        CallerContext caller, IClaimService claims, ClaimObservations observations, IOptions<HttpJsonOptions> json,
        ImportGate gate, IOptions<CustodianOptions> options, ILogger<RestApi> logger)
    {
        if (!ClaimReading.TryReadHome(homeNetId, homeNsId, asId, out _, out var failure))
        {
            return CustodianProblems.Result(failure);
        }
        // One import at a time per key: each holds a spooled file and a claim run; more at once would only multiply them.
        using var pass = gate.TryEnter(caller.KeyId);
        if (pass is null)
        {
            MakerLog.ImportRunning(logger, caller.KeyId);
            return CustodianProblems.Result(CustodianErrors.ImportRunning, "Another import with this API key is still running: wait for its summary, then send the next file.");
        }
        var fileName = string.IsNullOrWhiteSpace(name) ? "the file" : Path.GetFileName(name.Trim());
        var spool = SpoolPath(options.Value.DataDirectory);
        try
        {
            if (await SpoolAsync(context, spool) is { } tooLarge)
            {
                return CustodianProblems.Result(tooLarge);
            }
            ClaimFile file;
            long total;
            try
            {
                // Opening checks the format and header, counting checks the whole structure: a file that cannot be
                // used fails here, before a single claim.
                file = ClaimFile.Open(spool, fileName);
                total = file.CountRows();
            }
            catch (ClaimFileException e)
            {
                return CustodianProblems.Result(CustodianErrors.InvalidRequest, Describe(e, fileName));
            }
            var import = new Import(context, caller, claims, observations, json.Value.SerializerOptions, new ClaimHomeFields(homeNetId, homeNsId, asId));
            await import.RunAsync(file, total);
            return Results.Empty;
        }
        finally
        {
            File.Delete(spool);
        }
    }

    // Some problems name the file, others only a line ("line 7: …"): every answer names the upload, never the spool file.
    private static string Describe(ClaimFileException e, string fileName) =>
        e.Message.StartsWith(fileName, StringComparison.Ordinal) ? e.Message : $"{fileName}, {e.Message}";

    /// <summary>The body to a temporary file, so it can be counted (the progress bar's total) and then read row by row.</summary>
    private static async Task<CustodianFailure?> SpoolAsync(HttpContext context, string path)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxFileBytes;
        }
        var tooLarge = CustodianErrors.InvalidRequest.With($"The file is larger than {MaxFileBytes / (1024 * 1024)} MB: split it.");
        if (context.Request.ContentLength > MaxFileBytes)
        {
            return tooLarge;
        }
        await using var file = new FileStream(path, SpoolFile);
        try
        {
            await context.Request.Body.CopyToAsync(file, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return tooLarge;
        }
        return null;
    }

    private static FileStreamOptions SpoolFile
    {
        get
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.Read,
                BufferSize = 64 * 1024,
                Options = FileOptions.Asynchronous,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            return options;
        }
    }

    /// <summary>A new spool file's path in <c>&lt;data directory&gt;/imports</c> (made owner-only when missing).</summary>
    private static string SpoolPath(string dataDirectory)
    {
        var directory = Path.Combine(dataDirectory, SpoolDirectoryName);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return Path.Combine(directory, $"custodian-import-{Guid.NewGuid():N}.tmp");
    }

    private sealed record ClaimHomeFields(string? HomeNetId, string? HomeNsId, string? AsId);

    /// <summary>One import's run: batches of rows claimed in file order, each answered as soon as it is decided.</summary>
    private sealed class Import(
        HttpContext context, CallerContext caller, IClaimService claims, ClaimObservations observations, JsonSerializerOptions json, ClaimHomeFields home)
    {
        private readonly Claimant _claimant = caller.Claimant;
        private long _done, _claimed, _alreadyClaimed, _failed;

        private HttpResponse Response => context.Response;

        private CancellationToken Aborted => context.RequestAborted;

        public async Task RunAsync(ClaimFile file, long total)
        {
            Response.StatusCode = StatusCodes.Status200OK;
            Response.ContentType = ContentType;
            Response.Headers.CacheControl = "no-store";
            await WriteAsync(new ProgressLine(new ImportProgress(0, total)));
            await Response.Body.FlushAsync(Aborted);
            var batch = new List<ClaimRow>(BatchSize);
            try
            {
                foreach (var row in file.Rows())
                {
                    batch.Add(row);
                    if (batch.Count == BatchSize)
                    {
                        await SendAsync(batch, total);
                        batch.Clear();
                    }
                }
                if (batch.Count > 0)
                {
                    await SendAsync(batch, total);
                }
            }
            catch (ClaimFileException e)
            {
                await WriteAsync(new ErrorLine(CustodianProblems.Details(CustodianErrors.InvalidRequest.With(Describe(e, file.Name)))));
            }
            await WriteAsync(new SummaryLine(new ImportSummary(_done, _claimed, _alreadyClaimed, _failed)));
            await Response.Body.FlushAsync(Aborted);
        }

        private async Task SendAsync(List<ClaimRow> rows, long total)
        {
            var results = new RowLine?[rows.Count];
            var targets = new List<ClaimTarget>(rows.Count);
            var sent = new List<int>(rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                if (Target(rows[i], out var failure) is { } target)
                {
                    targets.Add(target);
                    sent.Add(i);
                }
                else
                {
                    observations.Unreadable(failure!);
                    results[i] = Failed(rows[i], rows[i].DevEui, failure!);
                }
            }
            if (targets.Count > 0)
            {
                // The claim policy answers what the budget does not admit rate_limited, row by row.
                var outcomes = await claims.ClaimAsync(_claimant, targets, Aborted);
                observations.Claimed(caller, outcomes, batch: true);
                for (var k = 0; k < outcomes.Count; k++)
                {
                    results[sent[k]] = Result(rows[sent[k]], outcomes[k]);
                }
            }
            foreach (var result in results)
            {
                await WriteAsync(result!);
            }
            _done += rows.Count;
            await WriteAsync(new ProgressLine(new ImportProgress(_done, Math.Max(total, _done))));
            await Response.Body.FlushAsync(Aborted);
        }

        /// <summary>The claim a row asks for, as the CLI sends it to <c>/claims/batch</c>; null with why when it cannot be made.</summary>
        private ClaimTarget? Target(ClaimRow row, out CustodianFailure? failure)
        {
            if (!row.IsSendable)
            {
                failure = CustodianErrors.InvalidField.With(row.Problem!);
                return null;
            }
            var request = new ClaimRequest
            {
                Qr = row.Qr,
                DevEui = row.Qr is null ? row.DevEui : null,
                JoinEui = row.JoinEui,
                ClaimCode = row.Code,
                HomeNetId = home.HomeNetId,
                HomeNsId = home.HomeNsId,
                AsId = home.AsId,
            };
            return ClaimReading.TryRead(request, out var target, out failure) ? target : null;
        }

        private RowLine Result(ClaimRow row, ClaimOutcome outcome)
        {
            switch (outcome.Result)
            {
                case ClaimResult.Claimed:
                    _claimed++;
                    return new RowLine(row.Line, outcome.DevEui.ToString(), ClaimsApi.Statuses.Claimed, null);
                case ClaimResult.AlreadyClaimed:
                    _alreadyClaimed++;
                    return new RowLine(row.Line, outcome.DevEui.ToString(), ClaimsApi.Statuses.AlreadyClaimed, null);
                default:
                    return Failed(row, outcome.DevEui.ToString(), outcome.Failure ?? CustodianErrors.Internal.With("The claim had no outcome."));
            }
        }

        private RowLine Failed(ClaimRow row, string devEui, CustodianFailure failure)
        {
            _failed++;
            return new RowLine(row.Line, devEui.Length == 0 ? null : devEui, ClaimsApi.Statuses.Failed, CustodianProblems.Details(failure));
        }

        private async Task WriteAsync<T>(T line)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(line, json);
            await Response.Body.WriteAsync(bytes, Aborted);
            await Response.Body.WriteAsync("\n"u8.ToArray(), Aborted);
        }
    }
}
