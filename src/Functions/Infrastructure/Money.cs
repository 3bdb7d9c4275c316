using System.Globalization;

namespace CoursePlatform.Functions.Infrastructure;

/// <summary>
/// Amounts as payment providers count them: integers in the currency's smallest unit. The one place that knows how many
/// decimals a currency has, so the price an admin saves is exactly what checkout charges and settlement expects.
/// </summary>
public static class Money
{
    /// <summary>The most decimals a price is stored with (<c>numeric(10,2)</c>), whatever the currency allows.</summary>
    public const int StoredDecimals = 2;

    // Stripe's lists: https://docs.stripe.com/currencies#zero-decimal and #three-decimal
    private static readonly HashSet<string> ZeroDecimal = new(StringComparer.OrdinalIgnoreCase)
        { "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF" };
    private static readonly HashSet<string> ThreeDecimal = new(StringComparer.OrdinalIgnoreCase) { "BHD", "JOD", "KWD", "OMR", "TND" };

    /// <summary>How many decimals the currency's minor unit has: 0 (JPY), 2 (USD) or 3 (KWD).</summary>
    public static int Decimals(string currency) => ZeroDecimal.Contains(currency) ? 0 : ThreeDecimal.Contains(currency) ? 3 : 2;

    /// <summary>The decimals a price in <paramref name="currency"/> may have: its minor units, at most <see cref="StoredDecimals"/>.</summary>
    public static int PriceDecimals(string currency) => Math.Min(Decimals(currency), StoredDecimals);

    /// <summary>True when <paramref name="amount"/> is a whole number of the currency's minor units (charged without rounding).</summary>
    public static bool IsExact(decimal amount, string currency) => decimal.Round(amount, PriceDecimals(currency)) == amount;

    public static long ToMinorUnits(decimal amount, string currency) =>
        decimal.ToInt64(decimal.Round(amount * Factor(currency), 0, MidpointRounding.AwayFromZero));

    public static string Format(long minor, string currency) =>
        (minor / (decimal)Factor(currency)).ToString(CultureInfo.InvariantCulture) + " " + currency.ToUpperInvariant();

    private static int Factor(string currency) => Decimals(currency) switch { 0 => 1, 3 => 1000, _ => 100 };
}
