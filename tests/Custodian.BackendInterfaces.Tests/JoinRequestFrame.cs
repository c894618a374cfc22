using Custodian.Lorawan;

namespace Custodian.BackendInterfaces.Tests;

/// <summary>
/// Just enough JoinRequest decoding to check the vectors' "phy" fields:
/// MHDR | JoinEUI (8, LE) | DevEUI (8, LE) | DevNonce (2, LE) | MIC (4).
/// To be replaced by the Frames decoder once that branch is merged.
/// </summary>
internal sealed record JoinRequestFrame(byte Mhdr, JoinEui JoinEui, DevEui DevEui, DevNonce DevNonce, byte[] Mic)
{
    public static JoinRequestFrame Decode(byte[] phy)
    {
        phy.Should().HaveCount(23, "a JoinRequest is 23 bytes");
        return new JoinRequestFrame(
            phy[0],
            JoinEui.ReadLittleEndian(phy.AsSpan(1, 8)),
            DevEui.ReadLittleEndian(phy.AsSpan(9, 8)),
            DevNonce.ReadLittleEndian(phy.AsSpan(17, 2)),
            phy[19..23]);
    }
}
