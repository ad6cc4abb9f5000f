namespace SasDashboard.Steering.Evaluation;

/// <summary>
/// The mean of per-item values with a two-sided 95% Student-t interval, <c>mean ± t(0.975, n − 1) · s / √n</c> (s the
/// sample standard deviation). The interval treats items as independent draws; for 0/1 values (accuracy) it is the
/// Wald interval with t instead of z, which is too narrow when the accuracy is near 0 or 1 with few items.
/// <see cref="Lower"/> and <see cref="Upper"/> are null for fewer than two values.
/// </summary>
public sealed record Estimate(double Mean, double? Lower, double? Upper, int Count)
{
    /// <summary>The estimate of <paramref name="values"/>; null when there are none.</summary>
    public static Estimate? Of(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0) return null;
        double mean = list.Average();
        if (list.Count == 1) return new Estimate(mean, null, null, 1);
        double variance = list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1);
        double halfWidth = StudentT975(list.Count - 1) * Math.Sqrt(variance / list.Count);
        return new Estimate(mean, mean - halfWidth, mean + halfWidth, list.Count);
    }

    /// <summary>As <see cref="Of"/>, for callers that always have values.</summary>
    public static Estimate OfNonEmpty(IEnumerable<double> values) =>
        Of(values) ?? throw new ArgumentException("an estimate needs at least one value", nameof(values));

    /// <summary>
    /// The 97.5% quantile of Student's t with <paramref name="degrees"/> degrees of freedom: exact for 1–3, else the
    /// Cornish–Fisher expansion around the normal quantile (Abramowitz &amp; Stegun 26.7.5), within 1e-3 from 4 on.
    /// </summary>
    internal static double StudentT975(int degrees)
    {
        switch (degrees)
        {
            case < 1: throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "needs at least one degree of freedom");
            case 1: return 12.706204736;
            case 2: return 4.302652730;
            case 3: return 3.182446305;
        }
        const double z = 1.959963985;
        double z2 = z * z, n = degrees;
        double g1 = (z2 + 1) * z / 4;
        double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
        double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
        double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
        return z + g1 / n + g2 / (n * n) + g3 / (n * n * n) + g4 / (n * n * n * n);
    }
}
