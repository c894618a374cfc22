namespace Custodian.Labels.Tests;

/// <summary>TR005 texts to draw, from a short typical one to a long one with every optional field.</summary>
internal static class Labels
{
    public static readonly LabelContent Typical = new(
        "LW:D0:70B3D57ED0000010:0018B20000000101:00000000:OABCDEFGHJKLMNP23:SSN123", "0018B20000000101", "ABCDEFGHJKLMNP23");

    public static TheoryData<string, string, string> Texts() => new()
    {
        { "LW:D0:70B3D57ED0000010:0018B20000000101:00000000:OABCDEFGHJKLMNP23:SSN123", "0018B20000000101", "ABCDEFGHJKLMNP23" },
        { "LW:D0:70B3D57ED0000010:0018B20000000102:00000000:OQ0O1I8B", "0018B20000000102", "Q0O1I8B" },
        {
            "LW:D0:70B3D57ED0000010:0018B2000000FFFF:A1B2C3D4:OZ0123456789ABCDEFGHIJKLMNOPQRST:SSN-2026-000123456789:PABCD1234:CAF12",
            "0018B2000000FFFF", "Z0123456789ABCDEFGHIJKLMNOPQRST"
        },
        // Lowercase and non-ASCII serials: byte mode, and an ECI header for UTF-8.
        { "LW:D0:70B3D57ED0000010:0018B20000000104:00000000:OCODE1234:Sserial-é-ü", "0018B20000000104", "CODE1234" },
    };

    public static string Write(string directory, string name, byte[] content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }
}
