using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Custodian.Lorawan.Qr;

/// <summary>
/// The tagged extension values of a QR code, all empty until a tag sets them. The owner token's
/// tag is <c>O</c> in TR005 and <c>V</c> (validation code) in the drafts; only TR005 has <c>C</c>.
/// </summary>
internal readonly record struct QrExtensions(char OwnerTokenTag, string OwnerToken, string Serial, string Proprietary, string Checksum)
{
    public static QrExtensions Empty(char ownerTokenTag) => new(ownerTokenTag, "", "", "", "");

    /// <summary>
    /// Tags a layout does not know are skipped, as in The Things Stack, so codes from later
    /// TR005 revisions still yield their identifiers. A later duplicate wins.
    /// </summary>
    public bool IsKnown(char tag) => tag is 'S' or 'P' || tag == OwnerTokenTag || (tag == 'C' && HasChecksum);

    public QrExtensions With(char tag, string value) => tag switch
    {
        'S' => this with { Serial = value },
        'P' => this with { Proprietary = value },
        'C' when HasChecksum => this with { Checksum = value },
        _ when tag == OwnerTokenTag => this with { OwnerToken = value },
        _ => this,
    };

    public QrCode ApplyTo(QrCode code) => code with
    {
        OwnerToken = OwnerToken,
        Serial = Serial,
        Proprietary = Proprietary,
        Checksum = HasChecksum ? Checksum : null,
    };

    /// <summary>
    /// Reads tagged elements (tag letter then value) into extensions. Elements shorter than two
    /// characters carry no value and are skipped, like unknown tags; known values must pass
    /// <paramref name="isAllowed"/>.
    /// </summary>
    public static bool TryRead(
        IEnumerable<(string Element, int Field)> elements,
        char ownerTokenTag,
        Func<char, bool> isAllowed,
        string allowedDescription,
        out QrExtensions extensions,
        [NotNullWhen(false)] out string? error)
    {
        extensions = Empty(ownerTokenTag);
        foreach (var (element, field) in elements)
        {
            if (element.Length < 2 || !extensions.IsKnown(element[0]))
            {
                continue;
            }
            var value = element[1..];
            error = QrField.CheckExtensionValue(value, $"{Describe(element[0])} extension in field {field}", isAllowed, allowedDescription);
            if (error is not null)
            {
                return false;
            }
            extensions = extensions.With(element[0], value);
        }
        error = null;
        return true;
    }

    public static string Describe(char tag) => tag switch
    {
        'O' => "O (owner token)",
        'V' => "V (validation code)",
        'S' => "S (serial number)",
        'P' => "P (proprietary)",
        'C' => "C (checksum)",
        _ => $"'{tag}'",
    };

    /// <summary>Appends the non-empty extensions in the given tag order, each after <paramref name="separator"/>.</summary>
    public static void AppendInOrder(StringBuilder text, char separator, params ReadOnlySpan<(char Tag, string? Value)> extensions)
    {
        foreach (var (tag, value) in extensions)
        {
            if (!string.IsNullOrEmpty(value))
            {
                text.Append(separator).Append(tag).Append(value);
            }
        }
    }

    private bool HasChecksum => OwnerTokenTag == 'O';
}
