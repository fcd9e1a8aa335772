using MetaRL.Torch.Interop;

namespace MetaRL.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>torch.nn.init: in-place initialisers (no gradient is recorded).</summary>
        public static class init
        {
            /// <summary>The gain PyTorch recommends for a nonlinearity ("linear", "relu", "tanh", "leaky_relu", "sigmoid", "selu").</summary>
            public static double calculate_gain(string nonlinearity, double param = 0.01) => nonlinearity switch
            {
                "linear" or "conv1d" or "conv2d" or "conv3d" or "sigmoid" => 1.0,
                "tanh" => 5.0 / 3,
                "relu" => Math.Sqrt(2.0),
                "leaky_relu" => Math.Sqrt(2.0 / (1 + param * param)),
                "selu" => 3.0 / 4,
                _ => throw new ArgumentException($"calculate_gain: unsupported nonlinearity '{nonlinearity}'"),
            };

            /// <summary>(fan_in, fan_out) of a weight: size(1)·receptive field and size(0)·receptive field.</summary>
            public static (long fanIn, long fanOut) calculate_fan_in_and_fan_out(Tensor tensor)
            {
                var shape = tensor.shape;
                if (shape.Length < 2)
                    throw new ArgumentException($"fan in and fan out need a tensor with at least 2 dimensions, got {tensor.Describe()}");
                long receptive = 1;
                for (int i = 2; i < shape.Length; i++) receptive *= shape[i];
                return (shape[1] * receptive, shape[0] * receptive);
            }

            /// <summary>U(a, b).</summary>
            public static Tensor uniform_(Tensor tensor, double a = 0, double b = 1, Generator? generator = null)
            {
                using (no_grad()) return tensor.uniform_(a, b, generator);
            }

            /// <summary>N(mean, std²).</summary>
            public static Tensor normal_(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
            {
                using (no_grad()) return tensor.normal_(mean, std, generator);
            }

            /// <summary>A constant.</summary>
            public static Tensor constant_(Tensor tensor, double value)
            {
                using (no_grad()) return tensor.fill_(value);
            }

            /// <summary>Zeros.</summary>
            public static Tensor zeros_(Tensor tensor)
            {
                using (no_grad()) return tensor.zero_();
            }

            /// <summary>Ones.</summary>
            public static Tensor ones_(Tensor tensor) => constant_(tensor, 1);

            /// <summary>Glorot uniform: U(−a, a) with a = gain·√(6 / (fan_in + fan_out)).</summary>
            public static Tensor xavier_uniform_(Tensor tensor, double gain = 1, Generator? generator = null)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                double a = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
                return uniform_(tensor, -a, a, generator);
            }

            /// <summary>Glorot normal: N(0, std²) with std = gain·√(2 / (fan_in + fan_out)).</summary>
            public static Tensor xavier_normal_(Tensor tensor, double gain = 1, Generator? generator = null)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                return normal_(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
            }

            /// <summary>He uniform over fan_in (PyTorch's default for Linear uses a = √5).</summary>
            public static Tensor kaiming_uniform_(Tensor tensor, double a = 0, string nonlinearity = "leaky_relu", Generator? generator = null)
            {
                var (fanIn, _) = calculate_fan_in_and_fan_out(tensor);
                double bound = Math.Sqrt(3.0) * calculate_gain(nonlinearity, a) / Math.Sqrt(fanIn);
                return uniform_(tensor, -bound, bound, generator);
            }

            /// <summary>He normal over fan_in.</summary>
            public static Tensor kaiming_normal_(Tensor tensor, double a = 0, string nonlinearity = "leaky_relu", Generator? generator = null)
            {
                var (fanIn, _) = calculate_fan_in_and_fan_out(tensor);
                return normal_(tensor, 0, calculate_gain(nonlinearity, a) / Math.Sqrt(fanIn), generator);
            }

            /// <summary>A (semi-)orthogonal matrix times <paramref name="gain"/> (the usual PPO initialisation).</summary>
            public static Tensor orthogonal_(Tensor tensor, double gain = 1, Generator? generator = null)
            {
                Check.Status(Native.mrt_nn_init_orthogonal_(tensor.Handle, gain, generator?.Handle ?? 0), "orthogonal_", tensor);
                GC.KeepAlive(generator);
                return tensor;
            }
        }
    }
}
