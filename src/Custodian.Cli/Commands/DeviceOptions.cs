using System.CommandLine;

namespace Custodian.Cli.Commands;

/// <summary>Options that several device commands take, parsed and checked the same way everywhere.</summary>
internal static class DeviceOptions
{
    public const int MaxBatchSize = 10_000;
    public const int MaxParallel = 32;

    public delegate bool TryParseEui<T>(ReadOnlySpan<char> text, out T value, out string? error);

    /// <summary>An EUI option that takes the spellings of labels and consoles (see <see cref="DevEuiArgument.Normalize"/>).</summary>
    public static Option<T> Eui<T>(string name, string description, TryParseEui<T> parse) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (parse(DevEuiArgument.Normalize(text), out var value, out var error))
            {
                return value;
            }
            result.AddError($"{name} '{text}' is not an EUI (16 hex digits): {error}");
            return default!;
        },
    };

    public static Option<int> BatchSize() => Bounded("--batch-size", "Devices per request", 1_000, MaxBatchSize);

    public static Option<int> Parallel() => Bounded("--parallel", "Requests in flight at once", 4, MaxParallel);

    public static Option<int> Bounded(string name, string description, int defaultValue, int max)
    {
        var option = new Option<int>(name) { Description = $"{description} (1 to {max}, default {defaultValue}).", DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is var value && (value < 1 || value > max))
            {
                result.AddError($"{name} must be between 1 and {max}.");
            }
        });
        return option;
    }
}
