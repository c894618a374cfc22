namespace Custodian.Core.Storage;

/// <summary>What an answered write survives (<c>Custodian:Durability</c>).</summary>
public enum Durability
{
    /// <summary>A crash of the Custodian process (SQLite: WAL with synchronous=NORMAL). The default.</summary>
    Process,

    /// <summary>A crash of the machine or a power loss (SQLite: synchronous=FULL, an fsync per commit).</summary>
    Full,
}
