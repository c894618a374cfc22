namespace Custodian.LoadGenerator;

/// <summary>Builds Backend Interfaces 1.1 JoinReq bodies for 1.0.4 devices, as a network server would send them.</summary>
internal static class JoinBodies
{
    public static readonly DLSettings DlSettings = new(optNeg: false, rx1DrOffset: 0, rx2DataRate: 0);

    public static byte[] Build(BenchDevice device, NetId netId, JoinEui joinEui, ushort devNonce, uint transactionId)
    {
        var frame = new JoinRequest(joinEui, device.DevEui, new DevNonce(devNonce), default).Sign(new AesCipher(device.AppKey));
        var request = new JoinReq
        {
            ProtocolVersion = "1.1",
            SenderID = netId.ToString(),
            ReceiverID = joinEui.ToString(),
            TransactionID = transactionId,
            MACVersion = MacVersion.V1_0_4,
            PHYPayload = frame.ToArray(),
            DevEUI = device.DevEui,
            DevAddr = DevAddrFor(netId, device.Index),
            DLSettings = DlSettings,
            RxDelay = 1,
        };
        return request.ToUtf8Json();
    }

    /// <summary>A type-0 address: the NetID's 6-bit NwkID in the top bits, then the device's index.</summary>
    private static DevAddr DevAddrFor(NetId netId, int index) =>
        new(((netId.Value & 0x3Fu) << 25) | ((uint)index & 0x01FF_FFFFu));
}
