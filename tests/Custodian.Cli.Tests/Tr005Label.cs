using Custodian.Labels;

namespace Custodian.Cli.Tests;

/// <summary>Random TR005 device labels as makers print them: JoinEUI, DevEUI, profile, claim code, sometimes a serial.</summary>
internal static class Tr005Label
{
    private const string Hex = "0123456789ABCDEF";
    private const string ClaimAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static List<LabelContent> Random(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => One(random)).ToList();

    private static LabelContent One(Random random)
    {
        var devEui = Text(random, Hex, 16);
        var claimCode = Text(random, ClaimAlphabet, random.Next(6, 33));
        var serial = random.Next(4) == 0 ? ":S" + Text(random, ClaimAlphabet, random.Next(1, 20)) : "";
        var qr = $"LW:D0:{Text(random, Hex, 16)}:{devEui}:{Text(random, Hex, 8)}:O{claimCode}{serial}";
        return new LabelContent(qr, devEui, claimCode);
    }

    private static string Text(Random random, string alphabet, int length) =>
        string.Create(length, (random, alphabet), static (span, state) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = state.alphabet[state.random.Next(state.alphabet.Length)];
            }
        });
}
