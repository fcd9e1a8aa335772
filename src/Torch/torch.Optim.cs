using MetaRL.Torch.Optim;

namespace MetaRL.Torch;

public static partial class torch
{
    /// <summary>torch.optim: optimizers and learning-rate schedules.</summary>
    public static class optim
    {
        /// <summary>Adam.</summary>
        public static Adam Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                                double weight_decay = 0, bool amsgrad = false, bool maximize = false) =>
            new(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);

        /// <summary>AdamW: Adam with decoupled weight decay (default 0.01, as in PyTorch).</summary>
        public static Adam AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                                 double weight_decay = 1e-2, bool amsgrad = false, bool maximize = false) =>
            new(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize, decoupled_weight_decay: true);

        /// <summary>Stochastic gradient descent.</summary>
        public static SGD SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0,
                              bool nesterov = false, bool maximize = false) =>
            new(parameters, lr, momentum, dampening, weight_decay, nesterov, maximize);

        /// <summary>torch.optim.lr_scheduler.</summary>
        public static class lr_scheduler
        {
            /// <summary>Linear scaling of the rate.</summary>
            public static LinearLR LinearLR(Optimizer optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0, int total_iters = 5) =>
                new(optimizer, start_factor, end_factor, total_iters);

            /// <summary>Cosine annealing.</summary>
            public static CosineAnnealingLR CosineAnnealingLR(Optimizer optimizer, int T_max, double eta_min = 0) => new(optimizer, T_max, eta_min);

            /// <summary>A factor function of the step.</summary>
            public static LambdaLR LambdaLR(Optimizer optimizer, Func<int, double> lr_lambda) => new(optimizer, lr_lambda);
        }
    }

    /// <summary>Disposes every tensor in a state tree (dicts, lists, tuples) such as an optimizer's state_dict or a loaded checkpoint.</summary>
    public static void dispose_tensors(object? tree)
    {
        switch (tree)
        {
            case Tensor t:
                t.Dispose();
                break;
            case System.Collections.IDictionary d:
                foreach (var v in d.Values) dispose_tensors(v);
                break;
            case System.Collections.IEnumerable e when tree is not string:
                foreach (var v in e)
                {
                    if (v is System.Collections.DictionaryEntry de) dispose_tensors(de.Value);
                    else if (v is KeyValuePair<object, object?> kv) dispose_tensors(kv.Value);
                    else if (v is KeyValuePair<string, Tensor> kt) kt.Value.Dispose();
                    else dispose_tensors(v);
                }
                break;
        }
    }
}
