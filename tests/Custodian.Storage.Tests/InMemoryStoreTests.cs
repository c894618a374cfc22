using Custodian.Core.Storage;

namespace Custodian.Storage.Tests;

/// <summary>The fake the server's unit tests use behaves as the real engines do.</summary>
public sealed class InMemoryStoreTests : StoreConformanceTests
{
    protected override Task<ICustodianStore> OpenStoreAsync() => Task.FromResult<ICustodianStore>(new InMemoryCustodianStore());
}
