using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Custodian.Testing;

/// <summary>
/// An independent LoRaWAN device for interop and end-to-end tests: one long-running
/// <c>node tests/device/device.js</c> (the npm package lora-packet) that answers JSON requests line by
/// line; the protocol is documented at the top of device.js. Started on the first request; thread-safe
/// (one exchange at a time). A missing node or node_modules fails the test, saying that
/// <c>./test.sh</c> installs them; it never skips.
/// </summary>
public sealed class LoraPacketDevice : IAsyncDisposable
{
    private const int StderrLimit = 8_000;
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly StringBuilder _stderr = new();
    private Process? _process;
    private long _nextId;

    /// <summary>How long one answer may take (node's start-up included) before the exchange fails.</summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The folder holding Custodian.sln, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>tests/device, which holds device.js, package.json and (after <c>npm ci</c>) node_modules.</summary>
    public static string DeviceDirectory => Path.Combine(RepositoryRoot, "tests", "device");

    /// <summary>Sends one request (an <c>id</c> is added) and returns its answer; an answer with <c>ok: false</c> throws.</summary>
    public async Task<JsonObject> SendAsync(JsonObject request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answers = await SendAllAsync([request], cancellationToken).ConfigureAwait(false);
        return answers[0];
    }

    /// <summary>
    /// Sends a batch of requests (each gets an <c>id</c>) while reading the answers, and returns them in
    /// order; any answer with <c>ok: false</c> throws with device.js's error.
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> SendAllAsync(IReadOnlyList<JsonObject> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var process = EnsureStarted();
            var ids = new long[requests.Count];
            var lines = new string[requests.Count];
            for (var i = 0; i < requests.Count; i++)
            {
                ids[i] = ++_nextId;
                var request = (JsonObject)requests[i].DeepClone();
                request["id"] = ids[i];
                lines[i] = request.ToJsonString();
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(AnswerTimeout);
            // Write and read at once, so a large batch cannot fill both pipes and deadlock.
            var writing = WriteAllAsync(process, lines, timeout.Token);
            var answers = new JsonObject[requests.Count];
            try
            {
                for (var i = 0; i < requests.Count; i++)
                {
                    var line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false)
                        ?? throw Broken($"device.js exited (code {ExitCode(process)}) before answering request {ids[i]}");
                    answers[i] = Parse(line, ids[i], lines[i]);
                    timeout.CancelAfter(AnswerTimeout);
                }
                if (await writing.ConfigureAwait(false) is { } writeFailure)
                {
                    throw Broken($"writing to device.js failed ({writeFailure.Message})");
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Broken($"device.js did not answer within {AnswerTimeout.TotalSeconds:0} s");
            }
            catch (IOException exception)
            {
                throw Broken($"the pipe to device.js failed ({exception.Message})");
            }
            return answers;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
        }
    }

    /// <summary>Writes the batch; a failure is returned, not thrown, so that a reader that gives up leaves no unobserved task.</summary>
    private static async Task<Exception?> WriteAllAsync(Process process, string[] lines, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var line in lines)
            {
                await process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
            }
            await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return exception;
        }
    }

    private JsonObject Parse(string line, long id, string request)
    {
        JsonObject answer;
        try
        {
            answer = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException exception)
        {
            throw Broken($"device.js wrote a line that is not a JSON object ({exception.Message}): {line}");
        }
        if (answer["id"]?.GetValue<long>() != id)
        {
            throw Broken($"device.js answered out of order: expected id {id}, got {line}");
        }
        if (answer["ok"]?.GetValue<bool>() != true)
        {
            throw new InvalidOperationException($"device.js refused {request}: {answer["error"]}");
        }
        return answer;
    }

    private Process EnsureStarted()
    {
        if (_process is { HasExited: false })
        {
            return _process;
        }
        var directory = DeviceDirectory;
        var script = Path.Combine(directory, "device.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"{script} is missing.");
        }
        if (!File.Exists(Path.Combine(directory, "node_modules", "lora-packet", "package.json")))
        {
            throw new InvalidOperationException(
                $"lora-packet is not installed in {Path.Combine(directory, "node_modules")}: run ./test.sh, which runs `npm ci` in tests/device.");
        }
        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(script);
        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException(
                $"Cannot run node ({exception.Message}): Node.js must be on PATH; ./test.sh installs it and runs `npm ci` in tests/device.", exception);
        }
        lock (_stderr)
        {
            _stderr.Clear();
        }
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (_stderr)
            {
                if (_stderr.Length < StderrLimit)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        _process = process;
        return process;
    }

    /// <summary>Stops the process (the next request starts a fresh one) and describes what went wrong.</summary>
    private InvalidOperationException Broken(string what)
    {
        var process = _process;
        _process = null;
        if (process is not null)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
                process.WaitForExit(5_000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            process.Dispose();
        }
        string stderr;
        lock (_stderr)
        {
            stderr = _stderr.ToString().Trim();
        }
        return new InvalidOperationException(stderr.Length == 0 ? what + "." : $"{what}; its stderr:\n{stderr}");
    }

    private async Task StopAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }
        try
        {
            if (!process.HasExited)
            {
                // End of stdin ends device.js; kill it only if it lingers.
                process.StandardInput.Close();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (IOException)
        {
            // stdin already broken: the process is exiting.
        }
        finally
        {
            process.Dispose();
        }
    }

    private static string ExitCode(Process process) =>
        process.WaitForExit(5_000) ? process.ExitCode.ToString(CultureInfo.InvariantCulture) : "unknown";

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Custodian.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No folder holding Custodian.sln above {AppContext.BaseDirectory}.");
    }
}
