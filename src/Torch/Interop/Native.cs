using System.Runtime.InteropServices;

namespace MetaRL.Torch.Interop;

/// <summary>
/// The flat C ABI of libmetarl_torch (Native/src). Every signature is blittable so the source
/// generator emits a plain call with no marshalling. Handles are <c>at::Tensor*</c> as <c>nint</c>.
/// A null handle or -1 means failure; the message is in <see cref="mrt_last_error"/>.
/// </summary>
internal static unsafe partial class Native
{
    internal const string Library = "metarl_torch";

    [LibraryImport(Library)] internal static partial byte* mrt_last_error();
    [LibraryImport(Library)] internal static partial byte* mrt_version();
    [LibraryImport(Library)] internal static partial int mrt_set_num_threads(int n);
    [LibraryImport(Library)] internal static partial int mrt_set_blas_threads(int n);
    [LibraryImport(Library)] internal static partial int mrt_get_num_threads();
    [LibraryImport(Library)] internal static partial int mrt_manual_seed(ulong seed);
    [LibraryImport(Library)] internal static partial int mrt_cuda_is_available();
    [LibraryImport(Library)] internal static partial int mrt_cuda_device_count();
    [LibraryImport(Library)] internal static partial int mrt_cuda_synchronize(int index);
    [LibraryImport(Library), SuppressGCTransition] internal static partial int mrt_grad_set_enabled(int enabled);
    [LibraryImport(Library), SuppressGCTransition] internal static partial int mrt_grad_is_enabled();
    [LibraryImport(Library)] internal static partial nint mrt_generator_new(ulong seed);
    [LibraryImport(Library)] internal static partial void mrt_generator_free(nint generator);
    [LibraryImport(Library)] internal static partial int mrt_generator_set_seed(nint generator, ulong seed);

    // ---- lifetime and read-out ----
    [LibraryImport(Library)] internal static partial void mrt_tensor_free(nint t);
    [LibraryImport(Library)] internal static partial nint mrt_tensor_alias(nint t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial int mrt_tensor_ndim(nint t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial void mrt_tensor_shape(nint t, long* output);
    [LibraryImport(Library), SuppressGCTransition] internal static partial void mrt_tensor_strides(nint t, long* output);
    [LibraryImport(Library), SuppressGCTransition] internal static partial long mrt_tensor_numel(nint t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial int mrt_tensor_dtype(nint t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial int mrt_tensor_device_type(nint t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial int mrt_tensor_device_index(nint t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial int mrt_tensor_requires_grad(nint t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial int mrt_tensor_is_leaf(nint t);
    [LibraryImport(Library), SuppressGCTransition] internal static partial int mrt_tensor_is_contiguous(nint t);
    [LibraryImport(Library)] internal static partial int mrt_tensor_copy_to(nint t, void* destination, long bytes);
    [LibraryImport(Library)] internal static partial int mrt_tensor_copy_from(nint t, void* source, long bytes);
    [LibraryImport(Library)] internal static partial int mrt_tensor_item(nint t, double* value);
    [LibraryImport(Library)] internal static partial int mrt_tensor_item_long(nint t, long* value);
    [LibraryImport(Library)] internal static partial void* mrt_tensor_data_ptr(nint t);

    // ---- creation ----
    [LibraryImport(Library)] internal static partial nint mrt_tensor_empty(long* shape, int ndim, int dtype, int device, int index, int requiresGrad);
    [LibraryImport(Library)] internal static partial nint mrt_tensor_zeros(long* shape, int ndim, int dtype, int device, int index, int requiresGrad);
    [LibraryImport(Library)] internal static partial nint mrt_tensor_ones(long* shape, int ndim, int dtype, int device, int index, int requiresGrad);
    [LibraryImport(Library)] internal static partial nint mrt_tensor_full(long* shape, int ndim, double value, int isInt, int dtype, int device, int index, int requiresGrad);
    [LibraryImport(Library)] internal static partial nint mrt_tensor_arange(double start, double end, double step, int dtype, int device, int index);
    [LibraryImport(Library)] internal static partial nint mrt_tensor_linspace(double start, double end, long steps, int dtype, int device, int index);
    [LibraryImport(Library)] internal static partial nint mrt_tensor_eye(long n, int dtype, int device, int index);
    [LibraryImport(Library)] internal static partial nint mrt_tensor_rand(long* shape, int ndim, int dtype, int device, int index, nint generator);
    [LibraryImport(Library)] internal static partial nint mrt_tensor_randn(long* shape, int ndim, int dtype, int device, int index, nint generator);
    [LibraryImport(Library)] internal static partial nint mrt_tensor_randint(long low, long high, long* shape, int ndim, int dtype, int device, int index, nint generator);
    [LibraryImport(Library)] internal static partial nint mrt_tensor_randperm(long n, int dtype, int device, int index, nint generator);
    [LibraryImport(Library)] internal static partial nint mrt_tensor_from_data(void* data, long* shape, int ndim, int dtype, int device, int index, int requiresGrad);
    [LibraryImport(Library)] internal static partial nint mrt_tensor_from_blob(void* data, long* shape, int ndim, int dtype, delegate* unmanaged<nint, void> release, nint context);
    [LibraryImport(Library)] internal static partial nint mrt_tensor_scalar(double value, int isInt, int dtype, int device, int index);
}
