using static TorchSharp.torch;

namespace SasDashboard.Steering.Tests.Saes;

/// <summary>
/// SAELens' inference formulas written out step by step (process_sae_in, encode, decode, run-time normalisation),
/// over the unfolded file tensors: the reference the loaded SAEs must reproduce.
/// </summary>
internal static class SaeLensReference
{
    public sealed record Result(Tensor Features, Tensor Reconstruction);

    public static Result Run(Tensor x, Dictionary<string, Tensor> file, string architecture, int k, bool applyBDec,
        string normalization, double normScalingFactor = 1)
    {
        int dIn = (int)x.shape[^1];
        // run_time_activation_norm_fn_in
        Tensor normalized;
        Func<Tensor, Tensor> normOut;
        switch (normalization)
        {
            case "constant_norm_rescale":
                var coefficient = Math.Sqrt(dIn) / x.norm(-1, keepdim: true);
                normalized = x * coefficient;
                normOut = y => y / coefficient;
                break;
            case "layer_norm":
                var mu = x.mean([-1], keepdim: true);
                var centred = x - mu;
                var std = centred.std(-1, unbiased: true, keepdim: true);
                normalized = centred / (std + 1e-5);
                normOut = y => y * std + mu;
                break;
            case "expected_average_only_in":
                // Training scaled the inputs by the factor; SAELens folds it, which equals scaling in and out.
                normalized = x * normScalingFactor;
                normOut = y => y / normScalingFactor;
                break;
            default:
                normalized = x;
                normOut = y => y;
                break;
        }
        var saeIn = applyBDec ? normalized - file["b_dec"] : normalized;
        Tensor features;
        if (architecture == "gated")
        {
            var gate = (saeIn.matmul(file["W_enc"]) + file["b_gate"]).gt(0);
            var magnitude = (saeIn.matmul(file["W_enc"] * file["r_mag"].exp()) + file["b_mag"]).relu();
            features = magnitude * gate;
        }
        else
        {
            var hidden = saeIn.matmul(file["W_enc"]) + file["b_enc"];
            features = architecture switch
            {
                "jumprelu" => hidden.relu() * hidden.gt(file["threshold"]),
                "topk" => KeepLargest(hidden, k),
                _ => hidden.relu(),
            };
        }
        var reconstruction = normOut(features.matmul(file["W_dec"]) + file["b_dec"]);
        return new Result(features, reconstruction);
    }

    /// <summary>TopK by sorting: entries at least the k-th largest of their row, after ReLU.</summary>
    private static Tensor KeepLargest(Tensor hidden, int k)
    {
        var (sorted, _) = hidden.sort(-1, descending: true);
        var kth = sorted.narrow(-1, k - 1, 1);
        return hidden.relu() * hidden.ge(kth);
    }
}
