using MetaRL.Torch.Interop;
using MetaRL.Torch.Modules;

namespace MetaRL.Torch;

public static partial class torch
{
    /// <summary>torch.nn: module factories (the classes live in <see cref="MetaRL.Torch.Modules"/>), functional forms and utilities.</summary>
    public static partial class nn
    {
        /// <summary>y = x·Wᵀ + b.</summary>
        public static Linear Linear(long inFeatures, long outFeatures, bool hasBias = true, Device? device = null, ScalarType dtype = ScalarType.Float32) =>
            new(inFeatures, outFeatures, hasBias, device, dtype);

        /// <summary>A lookup table.</summary>
        public static Embedding Embedding(long numEmbeddings, long embeddingDim, Device? device = null, ScalarType dtype = ScalarType.Float32) =>
            new(numEmbeddings, embeddingDim, device, dtype);

        /// <summary>Layer normalisation over the trailing dimensions.</summary>
        public static LayerNorm LayerNorm(long[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, Device? device = null, ScalarType dtype = ScalarType.Float32) =>
            new(normalizedShape, eps, elementwiseAffine, device, dtype);

        /// <summary>Layer normalisation over the last dimension.</summary>
        public static LayerNorm LayerNorm(long normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, Device? device = null, ScalarType dtype = ScalarType.Float32) =>
            new([normalizedShape], eps, elementwiseAffine, device, dtype);

        /// <summary>A multi-layer GRU.</summary>
        public static GRU GRU(long inputSize, long hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0,
                              bool bidirectional = false, Device? device = null, ScalarType dtype = ScalarType.Float32) =>
            new(inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, device, dtype);

        /// <summary>A multi-layer LSTM.</summary>
        public static LSTM LSTM(long inputSize, long hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0,
                                bool bidirectional = false, Device? device = null, ScalarType dtype = ScalarType.Float32) =>
            new(inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, device, dtype);

        /// <summary>Causal multi-head self-attention over [B, T, E].</summary>
        public static CausalSelfAttention CausalSelfAttention(long embedDim, long numHeads, double dropout = 0, bool bias = true, Device? device = null, ScalarType dtype = ScalarType.Float32) =>
            new(embedDim, numHeads, dropout, bias, device, dtype);

        /// <summary>Dropout.</summary>
        public static Dropout Dropout(double p = 0.5) => new(p);

        /// <summary>Modules run in order.</summary>
        public static Sequential Sequential(params Module<Tensor, Tensor>[] modules) => new(modules);

        /// <summary>ReLU module.</summary>
        public static ReLU ReLU() => new();

        /// <summary>tanh module.</summary>
        public static Tanh Tanh() => new();

        /// <summary>Sigmoid module.</summary>
        public static Sigmoid Sigmoid() => new();

        /// <summary>GELU module.</summary>
        public static GELU GELU() => new();

        /// <summary>Identity module.</summary>
        public static Identity Identity() => new();

        /// <summary>A trainable tensor (requires grad, outside any dispose scope), for modules written by hand.</summary>
        public static Tensor Parameter(Tensor data, bool requires_grad = true)
        {
            data.DetachFromDisposeScope();
            return data.requires_grad_(requires_grad);
        }

        /// <summary>torch.nn.functional.</summary>
        public static class functional
        {
            /// <summary>y = x·Wᵀ + b.</summary>
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) =>
                Check.Result(Native.mrt_tensor_linear(input.Handle, weight.Handle, bias?.Handle ?? 0), "linear", input, weight, bias);

            /// <summary>Rows of <paramref name="weight"/> at <paramref name="indices"/>.</summary>
            public static Tensor embedding(Tensor indices, Tensor weight) =>
                Check.Result(Native.mrt_nn_embedding(weight.Handle, indices.Handle), "embedding", weight, indices);

            /// <summary>Layer normalisation over the trailing <paramref name="normalizedShape"/>.</summary>
            public static unsafe Tensor layer_norm(Tensor input, long[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                fixed (long* s = normalizedShape)
                    return Check.Result(Native.mrt_nn_layer_norm(input.Handle, s, normalizedShape.Length, weight?.Handle ?? 0, bias?.Handle ?? 0, eps), "layer_norm", input, weight);
            }

            /// <summary>Dropout (active only when <paramref name="training"/>).</summary>
            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true) =>
                Check.Result(Native.mrt_nn_dropout(input.Handle, p, training ? 1 : 0), "dropout", input);

            /// <summary>Mean squared error.</summary>
            public static Tensor mse_loss(Tensor input, Tensor target) =>
                Check.Result(Native.mrt_nn_mse_loss(input.Handle, target.Handle), "mse_loss", input, target);

            /// <summary>One-hot int64 encoding of int64 classes.</summary>
            public static Tensor one_hot(Tensor classes, long numClasses = -1) =>
                Check.Result(Native.mrt_tensor_one_hot(classes.Handle, numClasses), "one_hot", classes);

            /// <summary>ReLU.</summary>
            public static Tensor relu(Tensor input) => input.relu();

            /// <summary>GELU.</summary>
            public static Tensor gelu(Tensor input) => input.gelu();

            /// <summary>Softmax along <paramref name="dim"/>.</summary>
            public static Tensor softmax(Tensor input, long dim) => input.softmax(dim);

            /// <summary>Log-softmax along <paramref name="dim"/>.</summary>
            public static Tensor log_softmax(Tensor input, long dim) => input.log_softmax(dim);
        }

        /// <summary>torch.nn.utils.</summary>
        public static class utils
        {
            /// <summary>
            /// Scales the parameters' gradients in place so that their joint norm is at most
            /// <paramref name="max_norm"/>; returns the norm before clipping.
            /// </summary>
            public static unsafe double clip_grad_norm_(IEnumerable<Tensor> parameters, double max_norm, double norm_type = 2)
            {
                var list = parameters as IReadOnlyList<Tensor> ?? parameters.ToList();
                var handles = new nint[list.Count];
                for (int i = 0; i < handles.Length; i++) handles[i] = list[i].Handle;
                double total;
                int status;
                fixed (nint* h = handles) status = Native.mrt_nn_clip_grad_norm_(h, handles.Length, max_norm, norm_type, &total);
                GC.KeepAlive(list);
                Check.Status(status, "clip_grad_norm_");
                return total;
            }
        }
    }
}
