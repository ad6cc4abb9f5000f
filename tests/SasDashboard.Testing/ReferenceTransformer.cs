namespace SasDashboard.Testing;

/// <summary>
/// An independent, plainly written forward pass (loops over arrays, double precision, one unpadded sequence, no
/// cache) of Gemma-2 and Llama as transformers defines them. The engine is checked against this.
/// </summary>
public sealed class ReferenceTransformer(TinyCheckpoint checkpoint)
{
    private readonly TinySpec _s = checkpoint.Spec;

    private float[] W(string name) => checkpoint.Weights[name].Values;

    /// <summary>Logits <c>[tokens][vocab]</c> for one sequence.</summary>
    public double[][] Logits(IReadOnlyList<int> tokens) => Run(tokens, editAfterLayer: null);

    /// <summary>As <see cref="Logits"/>, with <paramref name="editAfterLayer"/> applied to the residual stream after each block.</summary>
    public double[][] Run(IReadOnlyList<int> tokens, Action<int, double[][]>? editAfterLayer)
    {
        int n = tokens.Count, h = _s.Hidden;
        var embed = W("model.embed_tokens.weight");
        double scale = _s.IsGemma ? (float)Math.Sqrt(h) : 1.0;
        var x = new double[n][];
        for (int t = 0; t < n; t++)
        {
            x[t] = new double[h];
            for (int i = 0; i < h; i++) x[t][i] = embed[tokens[t] * h + i] * scale;
        }

        for (int l = 0; l < _s.Layers; l++)
        {
            string p = $"model.layers.{l}";
            if (_s.IsGemma)
            {
                var attn = Norm(Attention(Norm(x, $"{p}.input_layernorm"), l), $"{p}.post_attention_layernorm");
                x = Add(x, attn);
                var mlp = Norm(Mlp(Norm(x, $"{p}.pre_feedforward_layernorm"), p), $"{p}.post_feedforward_layernorm");
                x = Add(x, mlp);
            }
            else
            {
                x = Add(x, Attention(Norm(x, $"{p}.input_layernorm"), l));
                x = Add(x, Mlp(Norm(x, $"{p}.post_attention_layernorm"), p));
            }
            editAfterLayer?.Invoke(l, x);
        }

        var final = Norm(x, "model.norm");
        var head = _s.Tied ? embed : W("lm_head.weight");
        var logits = MatVec(final, head, _s.Vocab, h);
        if (_s.FinalSoftcap is { } cap)
            foreach (var row in logits)
                for (int v = 0; v < row.Length; v++) row[v] = Math.Tanh(row[v] / cap) * cap;
        return logits;
    }

    /// <summary>Greedy continuation: re-runs the whole sequence for every new token.</summary>
    public List<int> GreedyContinuation(IReadOnlyList<int> prompt, int newTokens)
    {
        var sequence = prompt.ToList();
        var generated = new List<int>();
        for (int i = 0; i < newTokens; i++)
        {
            var last = Logits(sequence)[^1];
            int best = Array.IndexOf(last, last.Max());
            generated.Add(best);
            sequence.Add(best);
        }
        return generated;
    }

    private double[][] Norm(double[][] x, string name)
    {
        var w = W($"{name}.weight");
        return x.Select(row =>
        {
            double rms = 1 / Math.Sqrt(row.Select(v => v * v).Average() + _s.Eps);
            return row.Select((v, i) => v * rms * (_s.IsGemma ? 1 + w[i] : w[i])).ToArray();
        }).ToArray();
    }

    private double[][] Mlp(double[][] x, string p)
    {
        var gate = MatVec(x, W($"{p}.mlp.gate_proj.weight"), _s.Intermediate, _s.Hidden);
        var up = MatVec(x, W($"{p}.mlp.up_proj.weight"), _s.Intermediate, _s.Hidden);
        var act = gate.Select((row, t) => row.Select((g, i) => Activation(g) * up[t][i]).ToArray()).ToArray();
        return MatVec(act, W($"{p}.mlp.down_proj.weight"), _s.Hidden, _s.Intermediate);
    }

    private double Activation(double g) => _s.IsGemma
        ? 0.5 * g * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (g + 0.044715 * g * g * g)))
        : g / (1 + Math.Exp(-g));

    private double[][] Attention(double[][] x, int layer)
    {
        string p = $"model.layers.{layer}.self_attn";
        int n = x.Length, d = _s.HeadDim, groups = _s.Heads / _s.KvHeads;
        var q = MatVec(x, W($"{p}.q_proj.weight"), _s.Heads * d, _s.Hidden);
        var k = MatVec(x, W($"{p}.k_proj.weight"), _s.KvHeads * d, _s.Hidden);
        var v = MatVec(x, W($"{p}.v_proj.weight"), _s.KvHeads * d, _s.Hidden);
        for (int t = 0; t < n; t++)
        {
            for (int head = 0; head < _s.Heads; head++) Rotate(q[t], head * d, t);
            for (int head = 0; head < _s.KvHeads; head++) Rotate(k[t], head * d, t);
        }
        double scaling = Math.Pow(_s.IsGemma ? _s.QueryPreAttnScalar ?? d : d, -0.5);
        bool sliding = _s.IsGemma && _s.SlidingWindow is not null && layer % 2 == 0;

        var output = new double[n][];
        for (int t = 0; t < n; t++)
        {
            output[t] = new double[_s.Heads * d];
            for (int head = 0; head < _s.Heads; head++)
            {
                int kvHead = head / groups;
                var scores = new List<(int Key, double Score)>();
                for (int s = 0; s <= t; s++)
                {
                    if (sliding && t - s >= _s.SlidingWindow) continue;
                    double dot = 0;
                    for (int i = 0; i < d; i++) dot += q[t][head * d + i] * k[s][kvHead * d + i];
                    dot *= scaling;
                    if (_s.IsGemma && _s.AttnSoftcap is { } cap) dot = Math.Tanh(dot / cap) * cap;
                    scores.Add((s, dot));
                }
                double max = scores.Max(e => e.Score);
                double sum = scores.Sum(e => Math.Exp(e.Score - max));
                foreach (var (s, score) in scores)
                {
                    double weight = Math.Exp(score - max) / sum;
                    for (int i = 0; i < d; i++) output[t][head * d + i] += weight * v[s][kvHead * d + i];
                }
            }
        }
        return MatVec(output, W($"{p}.o_proj.weight"), _s.Hidden, _s.Heads * d);
    }

    /// <summary>Rotary embedding, "rotate half": pairs (i, i + d/2) are rotated by angle position · freq_i.</summary>
    private void Rotate(double[] vector, int offset, int position)
    {
        int d = _s.HeadDim, half = d / 2;
        for (int i = 0; i < half; i++)
        {
            double angle = position * Frequency(i);
            double a = vector[offset + i], b = vector[offset + i + half];
            vector[offset + i] = a * Math.Cos(angle) - b * Math.Sin(angle);
            vector[offset + i + half] = b * Math.Cos(angle) + a * Math.Sin(angle);
        }
    }

    private double Frequency(int i)
    {
        double freq = 1 / Math.Pow(_s.RopeTheta, 2.0 * i / _s.HeadDim);
        if (_s.Llama3Scaling is not { } s) return freq;
        double wavelength = 2 * Math.PI / freq;
        double lowWavelength = s.Original / s.Low, highWavelength = s.Original / s.High;
        if (wavelength < highWavelength) return freq;
        if (wavelength > lowWavelength) return freq / s.Factor;
        double smooth = (s.Original / wavelength - s.Low) / (s.High - s.Low);
        return (1 - smooth) * freq / s.Factor + smooth * freq;
    }

    private static double[][] MatVec(double[][] x, float[] weight, int outDim, int inDim) =>
        x.Select(row =>
        {
            var result = new double[outDim];
            for (int o = 0; o < outDim; o++)
            {
                double sum = 0;
                for (int i = 0; i < inDim; i++) sum += weight[o * inDim + i] * row[i];
                result[o] = sum;
            }
            return result;
        }).ToArray();

    private static double[][] Add(double[][] a, double[][] b) =>
        a.Select((row, t) => row.Select((v, i) => v + b[t][i]).ToArray()).ToArray();
}
