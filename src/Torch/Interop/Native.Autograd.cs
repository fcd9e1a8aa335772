using System.Runtime.InteropServices;

namespace MetaRL.Torch.Interop;

/// <summary>Autograd, nn functions, optimizer steps and the benchmark loops (autograd.cpp, nn.cpp, optim.cpp, bench.cpp).</summary>
internal static unsafe partial class Native
{
    [LibraryImport(Library)] internal static partial int mrt_tensor_requires_grad_(nint a, int requiresGrad);
    [LibraryImport(Library)] internal static partial int mrt_tensor_retain_grad(nint a);
    [LibraryImport(Library)] internal static partial int mrt_tensor_backward(nint a, nint gradient, int retainGraph, int createGraph);
    [LibraryImport(Library)] internal static partial int mrt_tensor_grad(nint a, nint* output);
    [LibraryImport(Library)] internal static partial int mrt_tensor_set_grad(nint a, nint gradient);
    [LibraryImport(Library)] internal static partial int mrt_tensor_has_grad(nint a);
    [LibraryImport(Library)] internal static partial int mrt_autograd_grad(nint* outputs, int nOutputs, nint* inputs, int nInputs, nint* gradOutputs, int retainGraph, int createGraph, int allowUnused, nint* results);

    [LibraryImport(Library)] internal static partial nint mrt_nn_embedding(nint weight, nint indices);
    [LibraryImport(Library)] internal static partial nint mrt_nn_layer_norm(nint x, long* shape, int n, nint weight, nint bias, double eps);
    [LibraryImport(Library)] internal static partial nint mrt_nn_dropout(nint x, double p, int train);
    [LibraryImport(Library)] internal static partial nint mrt_nn_mse_loss(nint a, nint b);
    [LibraryImport(Library)] internal static partial int mrt_nn_gru(nint input, nint hx, nint* parameters, int nParameters, int hasBiases, long numLayers, double dropout, int train, int bidirectional, int batchFirst, nint* output, nint* hN);
    [LibraryImport(Library)] internal static partial int mrt_nn_lstm(nint input, nint h0, nint c0, nint* parameters, int nParameters, int hasBiases, long numLayers, double dropout, int train, int bidirectional, int batchFirst, nint* output, nint* hN, nint* cN);
    [LibraryImport(Library)] internal static partial nint mrt_nn_gru_cell(nint x, nint h, nint wIh, nint wHh, nint bIh, nint bHh);
    [LibraryImport(Library)] internal static partial nint mrt_nn_gru_sequence(nint x, nint h0, nint wIh, nint wHh, nint bIh, nint bHh);
    [LibraryImport(Library)] internal static partial int mrt_nn_lstm_cell(nint x, nint h, nint c, nint wIh, nint wHh, nint bIh, nint bHh, nint* hOut, nint* cOut);
    [LibraryImport(Library)] internal static partial int mrt_nn_init_orthogonal_(nint t, double gain, nint generator);
    [LibraryImport(Library)] internal static partial int mrt_nn_clip_grad_norm_(nint* parameters, int n, double maxNorm, double normType, double* totalNorm);

    [LibraryImport(Library)] internal static partial int mrt_optim_adam_step(nint* parameters, nint* expAvgs, nint* expAvgSqs, nint* maxExpAvgSqs, double* steps, int n, double lr, double beta1, double beta2, double eps, double weightDecay, int decoupled, int maximize);
    [LibraryImport(Library)] internal static partial int mrt_optim_sgd_step(nint* parameters, nint* momentumBuffers, int* first, int n, double lr, double momentum, double dampening, double weightDecay, int nesterov, int maximize);

    [LibraryImport(Library)] internal static partial double mrt_bench_add_loop(nint a, nint b, long iterations);
    [LibraryImport(Library)] internal static partial double mrt_bench_gru_cell_loop(nint x, nint h, nint wIh, nint wHh, nint bIh, nint bHh, long iterations);
    [LibraryImport(Library)] internal static partial double mrt_bench_gru_loop(nint input, nint hx, nint* parameters, int nParameters, long numLayers, int batchFirst, long iterations);
}
