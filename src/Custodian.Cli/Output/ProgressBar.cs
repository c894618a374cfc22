using System.Globalization;
using System.Text;

namespace Custodian.Cli.Output;

/// <summary>
/// Progress of long work on stderr: on a terminal a bar redrawn in place (at most ten times a second),
/// elsewhere a plain line every few seconds; both with the count, the rate and, when the total is known,
/// the percentage and the time left. <see cref="Complete"/> prints the final line.
/// </summary>
internal sealed class ProgressBar
{
    private const int BarWidth = 30;
    private static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(5);

    private readonly CliConsole _console;
    private readonly string _label;
    private readonly string _unit;
    private readonly long _start;
    private readonly Lock _lock = new();
    private long _done;
    private long _lastDrawn;
    private int _lastWidth;

    public ProgressBar(CliConsole console, string label, string unit, long? total)
    {
        _console = console;
        _label = label;
        _unit = unit;
        Total = total;
        _start = console.Time.GetTimestamp();
        _lastDrawn = _start;
    }

    /// <summary>How much work there is, when known (it may become known later, e.g. once a file has been counted).</summary>
    public long? Total { get; set; }

    public long Done => Interlocked.Read(ref _done);

    public void Advance(long count)
    {
        Interlocked.Add(ref _done, count);
        var now = _console.Time.GetTimestamp();
        var interval = _console.ErrorIsTerminal ? TerminalInterval : LogInterval;
        lock (_lock)
        {
            if (_console.Time.GetElapsedTime(_lastDrawn, now) < interval)
            {
                return;
            }
            _lastDrawn = now;
            Draw(Line(now), final: false);
        }
    }

    /// <summary>Prints the last line: the count, the rate and the time taken.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            Draw(Line(_console.Time.GetTimestamp()), final: true);
        }
    }

    private void Draw(string line, bool final)
    {
        if (_console.ErrorIsTerminal)
        {
            // Pad over the previous, possibly longer, line; end it only when the work is done.
            _console.Error.Write('\r' + line.PadRight(_lastWidth));
            _lastWidth = line.Length;
            if (final)
            {
                _console.Error.WriteLine();
            }
            return;
        }
        _console.Error.WriteLine(line);
    }

    private string Line(long now)
    {
        var elapsed = _console.Time.GetElapsedTime(_start, now);
        var done = Done;
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var text = new StringBuilder(_label).Append("  ");
        if (Total is { } total && total > 0)
        {
            var fraction = Math.Clamp((double)done / total, 0, 1);
            var filled = (int)Math.Round(fraction * BarWidth);
            text.Append('[').Append('#', filled).Append('-', BarWidth - filled).Append("]  ");
            text.Append(Invariant($"{done:N0}/{total:N0} {_unit}  {fraction:P0}  {rate:N0} {_unit}/s"));
            if (done < total && rate > 0)
            {
                text.Append("  ETA ").Append(Duration(TimeSpan.FromSeconds((total - done) / rate)));
            }
        }
        else
        {
            text.Append(Invariant($"{done:N0} {_unit}  {rate:N0} {_unit}/s"));
        }
        text.Append("  ").Append(Duration(elapsed)).Append(" elapsed");
        return text.ToString();
    }

    private static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? Invariant($"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
        : Invariant($"{span.Minutes}:{span.Seconds:00}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
