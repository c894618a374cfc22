using System.Collections.Concurrent;

namespace Custodian.Server.Makers;

/// <summary>One claim import at a time per API key: a second one while the first runs is refused, not queued.</summary>
public sealed class ImportGate
{
    private readonly ConcurrentDictionary<string, byte> _running = new(StringComparer.Ordinal);

    /// <summary>The pass for the key's import (dispose it when the import ends); null while another import of the key runs.</summary>
    public IDisposable? TryEnter(string keyId) => _running.TryAdd(keyId, 0) ? new Pass(this, keyId) : null;

    private sealed class Pass(ImportGate gate, string keyId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                gate._running.TryRemove(keyId, out _);
            }
        }
    }
}
