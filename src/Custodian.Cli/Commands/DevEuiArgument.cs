using System.CommandLine;
using Custodian.Lorawan;

namespace Custodian.Cli.Commands;

/// <summary>A DevEUI argument, checked before anything is sent: 16 hex digits (separators <c>-</c>/<c>:</c> allowed).</summary>
internal static class DevEuiArgument
{
    public static Argument<DevEui> Create(string description = "The device's DevEUI, 16 hex digits.") => new("DEVEUI")
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (DevEui.TryParse(Normalize(text), out var devEui, out var error))
            {
                return devEui;
            }
            result.AddError($"'{text}' is not a DevEUI: {error}");
            return default;
        },
    };

    /// <summary>Accepts the spellings people copy from labels and consoles: 00-18-B2-…, 00:18:b2:…, 0x0018….</summary>
    public static string Normalize(string text) => EuiText.Normalize(text);
}
