using MetaRL.Torch.Interop;

namespace MetaRL.Torch;

// Element-wise arithmetic with broadcasting, comparisons, activations and matrix products. Every
// method returns a new tensor; reductions, in-place methods and operators have their own files.
public sealed partial class Tensor
{
    /// <summary>Element-wise neg.</summary>
    public Tensor neg() => Check.Result(Native.mrt_tensor_neg(Handle), "neg", this);

    /// <summary>Element-wise abs.</summary>
    public Tensor abs() => Check.Result(Native.mrt_tensor_abs(Handle), "abs", this);

    /// <summary>Element-wise exp.</summary>
    public Tensor exp() => Check.Result(Native.mrt_tensor_exp(Handle), "exp", this);

    /// <summary>Element-wise log.</summary>
    public Tensor log() => Check.Result(Native.mrt_tensor_log(Handle), "log", this);

    /// <summary>Element-wise log1p.</summary>
    public Tensor log1p() => Check.Result(Native.mrt_tensor_log1p(Handle), "log1p", this);

    /// <summary>Element-wise expm1.</summary>
    public Tensor expm1() => Check.Result(Native.mrt_tensor_expm1(Handle), "expm1", this);

    /// <summary>Element-wise sqrt.</summary>
    public Tensor sqrt() => Check.Result(Native.mrt_tensor_sqrt(Handle), "sqrt", this);

    /// <summary>Element-wise rsqrt.</summary>
    public Tensor rsqrt() => Check.Result(Native.mrt_tensor_rsqrt(Handle), "rsqrt", this);

    /// <summary>Element-wise square.</summary>
    public Tensor square() => Check.Result(Native.mrt_tensor_square(Handle), "square", this);

    /// <summary>Element-wise reciprocal.</summary>
    public Tensor reciprocal() => Check.Result(Native.mrt_tensor_reciprocal(Handle), "reciprocal", this);

    /// <summary>Element-wise sin.</summary>
    public Tensor sin() => Check.Result(Native.mrt_tensor_sin(Handle), "sin", this);

    /// <summary>Element-wise cos.</summary>
    public Tensor cos() => Check.Result(Native.mrt_tensor_cos(Handle), "cos", this);

    /// <summary>Element-wise erf.</summary>
    public Tensor erf() => Check.Result(Native.mrt_tensor_erf(Handle), "erf", this);

    /// <summary>Element-wise sign.</summary>
    public Tensor sign() => Check.Result(Native.mrt_tensor_sign(Handle), "sign", this);

    /// <summary>Element-wise floor.</summary>
    public Tensor floor() => Check.Result(Native.mrt_tensor_floor(Handle), "floor", this);

    /// <summary>Element-wise ceil.</summary>
    public Tensor ceil() => Check.Result(Native.mrt_tensor_ceil(Handle), "ceil", this);

    /// <summary>Element-wise round.</summary>
    public Tensor round() => Check.Result(Native.mrt_tensor_round(Handle), "round", this);

    /// <summary>Element-wise logical_not.</summary>
    public Tensor logical_not() => Check.Result(Native.mrt_tensor_logical_not(Handle), "logical_not", this);

    /// <summary>Element-wise isnan.</summary>
    public Tensor isnan() => Check.Result(Native.mrt_tensor_isnan(Handle), "isnan", this);

    /// <summary>Element-wise isfinite.</summary>
    public Tensor isfinite() => Check.Result(Native.mrt_tensor_isfinite(Handle), "isfinite", this);

    /// <summary>Element-wise relu.</summary>
    public Tensor relu() => Check.Result(Native.mrt_tensor_relu(Handle), "relu", this);

    /// <summary>Element-wise tanh.</summary>
    public Tensor tanh() => Check.Result(Native.mrt_tensor_tanh(Handle), "tanh", this);

    /// <summary>Element-wise sigmoid.</summary>
    public Tensor sigmoid() => Check.Result(Native.mrt_tensor_sigmoid(Handle), "sigmoid", this);

    /// <summary>Element-wise gelu.</summary>
    public Tensor gelu() => Check.Result(Native.mrt_tensor_gelu(Handle), "gelu", this);

    /// <summary>Element-wise silu.</summary>
    public Tensor silu() => Check.Result(Native.mrt_tensor_silu(Handle), "silu", this);

    /// <summary>Element-wise softplus.</summary>
    public Tensor softplus() => Check.Result(Native.mrt_tensor_softplus(Handle), "softplus", this);

    /// <summary>Element-wise elu.</summary>
    public Tensor elu() => Check.Result(Native.mrt_tensor_elu(Handle), "elu", this);

    /// <summary>Element-wise leaky ReLU.</summary>
    public Tensor leaky_relu(double negativeSlope = 0.01) => Check.Result(Native.mrt_tensor_leaky_relu(Handle, negativeSlope), "leaky_relu", this);

    /// <summary>this + alpha · other (broadcasting).</summary>
    public Tensor add(Tensor other, double alpha = 1) => Check.Result(Native.mrt_tensor_add(Handle, other.Handle, alpha), "add", this, other);

    /// <summary>this − alpha · other (broadcasting).</summary>
    public Tensor sub(Tensor other, double alpha = 1) => Check.Result(Native.mrt_tensor_sub(Handle, other.Handle, alpha), "sub", this, other);

    /// <summary>this + value.</summary>
    public Tensor add(double value) => Check.Result(Native.mrt_tensor_add_scalar(Handle, value, 0), "add", this);

    /// <summary>this + value (an integer scalar keeps integer tensors integral).</summary>
    public Tensor add(long value) => Check.Result(Native.mrt_tensor_add_scalar(Handle, value, 1), "add", this);

    /// <summary>this − value.</summary>
    public Tensor sub(double value) => Check.Result(Native.mrt_tensor_sub_scalar(Handle, value, 0), "sub", this);

    /// <summary>this − value.</summary>
    public Tensor sub(long value) => Check.Result(Native.mrt_tensor_sub_scalar(Handle, value, 1), "sub", this);

    /// <summary>value − this.</summary>
    public Tensor rsub(double value) => Check.Result(Native.mrt_tensor_rsub_scalar(Handle, value, 0), "rsub", this);

    /// <summary>value / this.</summary>
    public Tensor rdiv(double value) => Check.Result(Native.mrt_tensor_rdiv_scalar(Handle, value, 0), "rdiv", this);

    /// <summary>value ^ this.</summary>
    public Tensor rpow(double value) => Check.Result(Native.mrt_tensor_rpow_scalar(Handle, value, 0), "rpow", this);

    /// <summary>A tensor of this one's shape, dtype and device filled with value.</summary>
    public Tensor full_like(double value) => Check.Result(Native.mrt_tensor_fill_like(Handle, value, dtype.IsIntegral() ? 1 : 0), "full_like", this);

    /// <summary>Element-wise mul with broadcasting.</summary>
    public Tensor mul(Tensor other) => Check.Result(Native.mrt_tensor_mul(Handle, other.Handle), "mul", this, other);

    /// <summary>Element-wise div with broadcasting.</summary>
    public Tensor div(Tensor other) => Check.Result(Native.mrt_tensor_div(Handle, other.Handle), "div", this, other);

    /// <summary>Element-wise pow with broadcasting.</summary>
    public Tensor pow(Tensor other) => Check.Result(Native.mrt_tensor_pow(Handle, other.Handle), "pow", this, other);

    /// <summary>Element-wise remainder with broadcasting.</summary>
    public Tensor remainder(Tensor other) => Check.Result(Native.mrt_tensor_remainder(Handle, other.Handle), "remainder", this, other);

    /// <summary>Element-wise maximum with broadcasting.</summary>
    public Tensor maximum(Tensor other) => Check.Result(Native.mrt_tensor_maximum(Handle, other.Handle), "maximum", this, other);

    /// <summary>Element-wise minimum with broadcasting.</summary>
    public Tensor minimum(Tensor other) => Check.Result(Native.mrt_tensor_minimum(Handle, other.Handle), "minimum", this, other);

    /// <summary>Element-wise atan2 with broadcasting.</summary>
    public Tensor atan2(Tensor other) => Check.Result(Native.mrt_tensor_atan2(Handle, other.Handle), "atan2", this, other);

    /// <summary>Element-wise eq with broadcasting.</summary>
    public Tensor eq(Tensor other) => Check.Result(Native.mrt_tensor_eq(Handle, other.Handle), "eq", this, other);

    /// <summary>Element-wise ne with broadcasting.</summary>
    public Tensor ne(Tensor other) => Check.Result(Native.mrt_tensor_ne(Handle, other.Handle), "ne", this, other);

    /// <summary>Element-wise lt with broadcasting.</summary>
    public Tensor lt(Tensor other) => Check.Result(Native.mrt_tensor_lt(Handle, other.Handle), "lt", this, other);

    /// <summary>Element-wise le with broadcasting.</summary>
    public Tensor le(Tensor other) => Check.Result(Native.mrt_tensor_le(Handle, other.Handle), "le", this, other);

    /// <summary>Element-wise gt with broadcasting.</summary>
    public Tensor gt(Tensor other) => Check.Result(Native.mrt_tensor_gt(Handle, other.Handle), "gt", this, other);

    /// <summary>Element-wise ge with broadcasting.</summary>
    public Tensor ge(Tensor other) => Check.Result(Native.mrt_tensor_ge(Handle, other.Handle), "ge", this, other);

    /// <summary>Element-wise logical_and with broadcasting.</summary>
    public Tensor logical_and(Tensor other) => Check.Result(Native.mrt_tensor_logical_and(Handle, other.Handle), "logical_and", this, other);

    /// <summary>Element-wise logical_or with broadcasting.</summary>
    public Tensor logical_or(Tensor other) => Check.Result(Native.mrt_tensor_logical_or(Handle, other.Handle), "logical_or", this, other);

    /// <summary>Element-wise logical_xor with broadcasting.</summary>
    public Tensor logical_xor(Tensor other) => Check.Result(Native.mrt_tensor_logical_xor(Handle, other.Handle), "logical_xor", this, other);

    /// <summary>Matrix product as torch.matmul: 1-D operands are vectors, batch dimensions broadcast.</summary>
    public Tensor matmul(Tensor other) => Check.Result(Native.mrt_tensor_matmul(Handle, other.Handle), "matmul", this, other);

    /// <summary>Element-wise mm with broadcasting.</summary>
    public Tensor mm(Tensor other) => Check.Result(Native.mrt_tensor_mm(Handle, other.Handle), "mm", this, other);

    /// <summary>Element-wise bmm with broadcasting.</summary>
    public Tensor bmm(Tensor other) => Check.Result(Native.mrt_tensor_bmm(Handle, other.Handle), "bmm", this, other);

    /// <summary>Element-wise outer with broadcasting.</summary>
    public Tensor outer(Tensor other) => Check.Result(Native.mrt_tensor_outer(Handle, other.Handle), "outer", this, other);

    /// <summary>mul with a scalar.</summary>
    public Tensor mul(double value) => Check.Result(Native.mrt_tensor_mul_scalar(Handle, value, 0), "mul", this);

    /// <summary>mul with an integer scalar.</summary>
    public Tensor mul(long value) => Check.Result(Native.mrt_tensor_mul_scalar(Handle, value, 1), "mul", this);

    /// <summary>div with a scalar.</summary>
    public Tensor div(double value) => Check.Result(Native.mrt_tensor_div_scalar(Handle, value, 0), "div", this);

    /// <summary>div with an integer scalar.</summary>
    public Tensor div(long value) => Check.Result(Native.mrt_tensor_div_scalar(Handle, value, 1), "div", this);

    /// <summary>pow with a scalar.</summary>
    public Tensor pow(double value) => Check.Result(Native.mrt_tensor_pow_scalar(Handle, value, 0), "pow", this);

    /// <summary>pow with an integer scalar.</summary>
    public Tensor pow(long value) => Check.Result(Native.mrt_tensor_pow_scalar(Handle, value, 1), "pow", this);

    /// <summary>remainder with a scalar.</summary>
    public Tensor remainder(double value) => Check.Result(Native.mrt_tensor_remainder_scalar(Handle, value, 0), "remainder", this);

    /// <summary>remainder with an integer scalar.</summary>
    public Tensor remainder(long value) => Check.Result(Native.mrt_tensor_remainder_scalar(Handle, value, 1), "remainder", this);

    /// <summary>eq with a scalar.</summary>
    public Tensor eq(double value) => Check.Result(Native.mrt_tensor_eq_scalar(Handle, value, 0), "eq", this);

    /// <summary>eq with an integer scalar.</summary>
    public Tensor eq(long value) => Check.Result(Native.mrt_tensor_eq_scalar(Handle, value, 1), "eq", this);

    /// <summary>ne with a scalar.</summary>
    public Tensor ne(double value) => Check.Result(Native.mrt_tensor_ne_scalar(Handle, value, 0), "ne", this);

    /// <summary>ne with an integer scalar.</summary>
    public Tensor ne(long value) => Check.Result(Native.mrt_tensor_ne_scalar(Handle, value, 1), "ne", this);

    /// <summary>lt with a scalar.</summary>
    public Tensor lt(double value) => Check.Result(Native.mrt_tensor_lt_scalar(Handle, value, 0), "lt", this);

    /// <summary>lt with an integer scalar.</summary>
    public Tensor lt(long value) => Check.Result(Native.mrt_tensor_lt_scalar(Handle, value, 1), "lt", this);

    /// <summary>le with a scalar.</summary>
    public Tensor le(double value) => Check.Result(Native.mrt_tensor_le_scalar(Handle, value, 0), "le", this);

    /// <summary>le with an integer scalar.</summary>
    public Tensor le(long value) => Check.Result(Native.mrt_tensor_le_scalar(Handle, value, 1), "le", this);

    /// <summary>gt with a scalar.</summary>
    public Tensor gt(double value) => Check.Result(Native.mrt_tensor_gt_scalar(Handle, value, 0), "gt", this);

    /// <summary>gt with an integer scalar.</summary>
    public Tensor gt(long value) => Check.Result(Native.mrt_tensor_gt_scalar(Handle, value, 1), "gt", this);

    /// <summary>ge with a scalar.</summary>
    public Tensor ge(double value) => Check.Result(Native.mrt_tensor_ge_scalar(Handle, value, 0), "ge", this);

    /// <summary>ge with an integer scalar.</summary>
    public Tensor ge(long value) => Check.Result(Native.mrt_tensor_ge_scalar(Handle, value, 1), "ge", this);

    /// <summary>Clamps to [min, max]; either bound may be null.</summary>
    public Tensor clamp(double? min = null, double? max = null) =>
        Check.Result(Native.mrt_tensor_clamp(Handle, min ?? 0, min.HasValue ? 1 : 0, max ?? 0, max.HasValue ? 1 : 0), "clamp", this);

    /// <summary>Clamps element-wise between tensors (broadcasting); either may be null.</summary>
    public Tensor clamp(Tensor? min, Tensor? max) =>
        Check.Result(Native.mrt_tensor_clamp_tensor(Handle, min?.Handle ?? 0, max?.Handle ?? 0), "clamp", this, min, max);

    /// <summary>Clamps from below.</summary>
    public Tensor clamp_min(double min) => clamp(min, null);

    /// <summary>Clamps from above.</summary>
    public Tensor clamp_max(double max) => clamp(null, max);

    /// <summary>value where mask is true, else this.</summary>
    public Tensor masked_fill(Tensor mask, double value) =>
        Check.Result(Native.mrt_tensor_masked_fill(Handle, mask.Handle, value, dtype.IsIntegral() ? 1 : 0), "masked_fill", this, mask);

    /// <summary>this + weight · (end − this).</summary>
    public Tensor lerp(Tensor end, double weight) => Check.Result(Native.mrt_tensor_lerp(Handle, end.Handle, weight), "lerp", this, end);

    /// <summary>Softmax along <paramref name="dim"/>.</summary>
    public Tensor softmax(long dim) => Check.Result(Native.mrt_tensor_softmax(Handle, dim), "softmax", this);

    /// <summary>Log-softmax along <paramref name="dim"/>.</summary>
    public Tensor log_softmax(long dim) => Check.Result(Native.mrt_tensor_log_softmax(Handle, dim), "log_softmax", this);
}
