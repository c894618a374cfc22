using System.Text;
using Custodian.BackendInterfaces;
using Custodian.ClaimFiles;
using Custodian.Core.Custody;
using Custodian.Lorawan;
using Custodian.Lorawan.Crypto;
using Custodian.Lorawan.Frames;
using Custodian.Lorawan.Qr;

namespace Custodian.Fuzz;

/// <summary>Runs one input through one parser; returns normally when the parser accepted or rejected it as documented.</summary>
public delegate void FuzzTarget(ReadOnlySpan<byte> input);

/// <summary>
/// The parsers that read what others send us, each as a fuzz target. A target swallows only the parser's documented,
/// typed rejection (an error result, or <see cref="ClaimFileException"/> for claim files); any other exception, and a
/// broken round trip (<see cref="FuzzInvariantException"/>), escapes and is a crash to AFL++ and a failure to the
/// corpus replay test.
/// </summary>
public static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, FuzzTarget> All = new Dictionary<string, FuzzTarget>(StringComparer.Ordinal)
    {
        ["backend-interfaces"] = BackendInterfacesMessageJson,
        ["phypayload"] = PhyPayload,
        ["tr005"] = Tr005Text,
        ["claims-csv"] = ClaimsCsv,
        ["claims-json"] = ClaimsJson,
        ["kek-file"] = KekFile,
    };

    /// <summary>A Backend Interfaces request body (POST /backend-interfaces): parsed, or refused with a ParseError.</summary>
    public static void BackendInterfacesMessageJson(ReadOnlySpan<byte> input)
    {
        var result = BackendInterfacesMessage.Parse(input);
        Check(result.IsSuccess ? result.Message is not null : result.Error is { Message.Length: > 0 }, "a parse result has neither a message nor an error text");
    }

    /// <summary>
    /// A PHYPayload as each join frame decoder sees it (JoinRequest, RejoinRequest, JoinAccept in clear and encrypted);
    /// what decodes must encode back to the same bytes.
    /// </summary>
    public static void PhyPayload(ReadOnlySpan<byte> input)
    {
        Span<byte> encoded = stackalloc byte[64];
        if (JoinRequest.Decode(input).TryGetValue(out var join, out _))
        {
            CheckSame(input, encoded[..join.Encode(encoded)], "JoinRequest");
        }
        if (RejoinRequest.Decode(input).TryGetValue(out var rejoin, out _))
        {
            CheckSame(input, encoded[..rejoin.Encode(encoded)], "RejoinRequest");
        }
        if (JoinAccept.Decode(input).TryGetValue(out var accept, out _))
        {
            CheckSame(input, encoded[..accept.EncodePlaintext(encoded)], "JoinAccept");
        }
        _ = JoinAccept.Decrypt(in FixedKey.Aes, input);
        _ = CFList.Decode(input);
    }

    /// <summary>A scanned QR payload (TR005, its drafts, a bare DevEUI): what parses must print as text that parses back the same.</summary>
    public static void Tr005Text(ReadOnlySpan<byte> input)
    {
        if (!QrCode.TryParse(input, out var code, out var error))
        {
            Check(error.Length > 0, "a QR code is refused without a reason");
            return;
        }
        var text = code.Encode();
        Check(QrCode.TryParse(text, out var again, out _), $"the printed form '{text}' does not parse");
        Check(again!.Encode() == text, $"the printed form '{text}' does not print the same after parsing");
    }

    /// <summary>A CSV claim file, read as <c>ClaimFile</c> reads one (UTF-8, header then rows), rows counted and read.</summary>
    public static void ClaimsCsv(ReadOnlySpan<byte> input)
    {
        var bytes = input.ToArray();
        try
        {
            var rows = CsvClaimReader.Open(Text(bytes), "fuzz.csv").Rows().Count();
            var counted = CsvClaimReader.Open(Text(bytes), "fuzz.csv").CountRows();
            Check(rows == counted, $"the file has {rows} rows but counts {counted}");
        }
        catch (ClaimFileException)
        {
            // The documented refusal of a broken file.
        }
    }

    /// <summary>A JSON claim file (an array or a stream of objects), items counted and read.</summary>
    public static void ClaimsJson(ReadOnlySpan<byte> input)
    {
        var bytes = input.ToArray();
        try
        {
            var rows = JsonClaimReader.Rows(new MemoryStream(bytes, writable: false)).Count();
            var counted = JsonClaimReader.CountRows(new MemoryStream(bytes, writable: false));
            Check(rows == counted, $"the file has {rows} items but counts {counted}");
        }
        catch (ClaimFileException)
        {
            // The documented refusal of a broken file.
        }
    }

    /// <summary>A KEK file (<c>label=hex</c> lines), split into lines as <c>File.ReadLines</c> does.</summary>
    public static void KekFile(ReadOnlySpan<byte> input)
    {
        var lines = new List<string>();
        using (var reader = Text(input.ToArray()))
        {
            while (reader.ReadLine() is { } line)
            {
                lines.Add(line);
            }
        }
        if (KekText.TryParseFile(lines, out var entries, out var error))
        {
            Check(entries.Count > 0 && entries.TrueForAll(e => e.Key.Length is 16 or 24 or 32), "a KEK file parses to an empty ring or a key of the wrong size");
        }
        else
        {
            Check(error.Length > 0, "a KEK file is refused without a reason");
        }
    }

    private static StreamReader Text(byte[] bytes) =>
        new(new MemoryStream(bytes, writable: false), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: false);

    private static void CheckSame(ReadOnlySpan<byte> input, ReadOnlySpan<byte> encoded, string frame) =>
        Check(input.SequenceEqual(encoded), $"a {frame} does not encode back to the bytes it was decoded from");

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(what);
        }
    }
}

/// <summary>
/// A fixed key (the fuzzer mutates ciphertexts; the key only has to be the same every run), made on first use: the
/// instrumented parser code must not run before SharpFuzz has mapped AFL++'s coverage memory.
/// </summary>
internal static class FixedKey
{
    public static readonly AesCipher Aes = new(Key128.Parse("2B7E151628AED2A6ABF7158809CF4F3C"));
}

/// <summary>A parser broke one of its own promises (a round trip, a count) on some input.</summary>
public sealed class FuzzInvariantException(string message) : Exception(message);
