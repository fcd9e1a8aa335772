namespace MetaRL.Torch;

// C# operators over the named methods, so that math reads as math: a + b, a * 2, !mask.
public sealed partial class Tensor
{
    /// <summary>Broadcasting addition.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
    /// <summary>Scalar addition.</summary>
    public static Tensor operator +(Tensor a, double b) => a.add(b);
    /// <summary>Scalar addition.</summary>
    public static Tensor operator +(double a, Tensor b) => b.add(a);
    /// <summary>Integer scalar addition.</summary>
    public static Tensor operator +(Tensor a, long b) => a.add(b);
    /// <summary>Integer scalar addition.</summary>
    public static Tensor operator +(long a, Tensor b) => b.add(a);
    /// <summary>Broadcasting subtraction.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
    /// <summary>Scalar subtraction.</summary>
    public static Tensor operator -(Tensor a, double b) => a.sub(b);
    /// <summary>Scalar subtraction.</summary>
    public static Tensor operator -(double a, Tensor b) => b.rsub(a);
    /// <summary>Integer scalar subtraction.</summary>
    public static Tensor operator -(Tensor a, long b) => a.sub(b);
    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => a.neg();
    /// <summary>Broadcasting multiplication.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
    /// <summary>Scalar multiplication.</summary>
    public static Tensor operator *(Tensor a, double b) => a.mul(b);
    /// <summary>Scalar multiplication.</summary>
    public static Tensor operator *(double a, Tensor b) => b.mul(a);
    /// <summary>Integer scalar multiplication.</summary>
    public static Tensor operator *(Tensor a, long b) => a.mul(b);
    /// <summary>Integer scalar multiplication.</summary>
    public static Tensor operator *(long a, Tensor b) => b.mul(a);
    /// <summary>Broadcasting true division.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
    /// <summary>Scalar true division.</summary>
    public static Tensor operator /(Tensor a, double b) => a.div(b);
    /// <summary>Scalar divided by a tensor.</summary>
    public static Tensor operator /(double a, Tensor b) => b.rdiv(a);
    /// <summary>Element-wise a &lt; b.</summary>
    public static Tensor operator <(Tensor a, Tensor b) => a.lt(b);
    /// <summary>Element-wise a &gt; b.</summary>
    public static Tensor operator >(Tensor a, Tensor b) => a.gt(b);
    /// <summary>Element-wise a ≤ b.</summary>
    public static Tensor operator <=(Tensor a, Tensor b) => a.le(b);
    /// <summary>Element-wise a ≥ b.</summary>
    public static Tensor operator >=(Tensor a, Tensor b) => a.ge(b);
    /// <summary>Element-wise a &lt; b.</summary>
    public static Tensor operator <(Tensor a, double b) => a.lt(b);
    /// <summary>Element-wise a &gt; b.</summary>
    public static Tensor operator >(Tensor a, double b) => a.gt(b);
    /// <summary>Element-wise a ≤ b.</summary>
    public static Tensor operator <=(Tensor a, double b) => a.le(b);
    /// <summary>Element-wise a ≥ b.</summary>
    public static Tensor operator >=(Tensor a, double b) => a.ge(b);
    /// <summary>Element-wise logical and.</summary>
    public static Tensor operator &(Tensor a, Tensor b) => a.logical_and(b);
    /// <summary>Element-wise logical or.</summary>
    public static Tensor operator |(Tensor a, Tensor b) => a.logical_or(b);
    /// <summary>Element-wise logical not.</summary>
    public static Tensor operator !(Tensor a) => a.logical_not();
}
