using Custodian.Testing;

namespace Custodian.Lorawan.Tests.Interop;

/// <summary>The interop tests share one lora-packet device process (tests/device/device.js).</summary>
[CollectionDefinition(Name)]
public sealed class LoraPacketCollection : ICollectionFixture<LoraPacketDevice>
{
    public const string Name = "lora-packet";
}
