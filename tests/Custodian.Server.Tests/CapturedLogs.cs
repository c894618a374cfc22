using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Custodian.Server.Tests;

/// <summary>Every log line a server writes, with its scopes and exception text, to assert that no secret is logged.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<CapturedRecord> _records = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    public string All => string.Join('\n', _lines);

    /// <summary>Every log record with the structured properties of its scopes (innermost last wins).</summary>
    public IReadOnlyCollection<CapturedRecord> Records => _records;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            var scopeProperties = new Dictionary<string, object?>(StringComparer.Ordinal);
            owner._scopes.ForEachScope(
                (scope, state) =>
                {
                    state.Texts.Add(scope?.ToString() ?? "");
                    foreach (var pair in scope as IEnumerable<KeyValuePair<string, object?>> ?? [])
                    {
                        state.Properties[pair.Key] = pair.Value;
                    }
                },
                (Texts: scopes, Properties: scopeProperties));
            owner._records.Enqueue(new CapturedRecord(category, eventId.Id, scopeProperties));
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            owner._lines.Enqueue($"{logLevel} {category} [{eventId.Id}] {formatter(state, exception)} {{{values}}} scopes: {string.Join(" / ", scopes)} {exception}");
        }
    }
}

public sealed record CapturedRecord(string Category, int EventId, IReadOnlyDictionary<string, object?> Scope);
