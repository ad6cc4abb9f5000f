using static TorchSharp.torch;

namespace SasDashboard.Steering.Saes;

/// <summary>
/// Some features of an SAE, their encoder columns, biases, thresholds and decoder rows gathered once. Gathering a few
/// columns of a wide encoder reads scattered memory across the whole matrix, so a steering edit that runs at every token
/// must not repeat it: this is what keeps the cost of sparse steering independent of the SAE's width.
/// </summary>
public sealed class SaeFeatureSlice : IDisposable
{
    public Tensor Indices { get; }           // [n]
    public Tensor EncoderColumns { get; }    // [d_in, n]
    public Tensor EncoderBias { get; }       // [n]
    public Tensor? Threshold { get; }        // [n], JumpReLU only
    public Tensor DecoderRows { get; }       // [n, d_in]

    internal SaeFeatureSlice(SparseAutoencoder sae, Tensor indices)
    {
        Indices = indices.to(ScalarType.Int64, sae.Device).contiguous();
        EncoderColumns = sae.EncoderWeight.index_select(1, Indices).contiguous();
        EncoderBias = sae.EncoderBias.index_select(0, Indices);
        Threshold = sae.Threshold?.index_select(0, Indices);
        DecoderRows = sae.DecoderWeight.index_select(0, Indices);
    }

    public void Dispose()
    {
        Indices.Dispose();
        EncoderColumns.Dispose();
        EncoderBias.Dispose();
        Threshold?.Dispose();
        DecoderRows.Dispose();
    }
}
