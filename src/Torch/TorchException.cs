using MetaRL.Torch.Interop;

namespace MetaRL.Torch;

/// <summary>
/// A libtorch operation failed (wrong shapes, wrong dtype, …). The native side caught it at the
/// boundary, so the process lives on; the message names the op and the operands' shapes.
/// </summary>
public sealed class TorchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TorchException(string op, string nativeMessage, IReadOnlyList<string> operands)
        : base(Format(op, nativeMessage, operands))
    {
        Op = op;
        NativeMessage = nativeMessage;
        Operands = operands;
    }

    /// <summary>The operation, in PyTorch's name (e.g. "matmul").</summary>
    public string Op { get; }

    /// <summary>libtorch's own message.</summary>
    public string NativeMessage { get; }

    /// <summary>The operands as "dtype[shape]".</summary>
    public IReadOnlyList<string> Operands { get; }

    private static string Format(string op, string message, IReadOnlyList<string> operands) =>
        operands.Count == 0 ? $"{op}: {message}" : $"{op} on {string.Join(" and ", operands)}: {message}";
}

/// <summary>Turns the native error returns into <see cref="TorchException"/>s.</summary>
internal static class Check
{
    /// <summary>Wraps a returned handle; a null handle throws. The operands stay alive until the call returned.</summary>
    internal static Tensor Result(nint handle, string op, Tensor? a = null, Tensor? b = null, Tensor? c = null)
    {
        if (handle == 0) throw Error(op, a, b, c);
        return new Tensor(handle);
    }

    /// <summary>Throws when a native status is negative.</summary>
    internal static void Status(int status, string op, Tensor? a = null, Tensor? b = null, Tensor? c = null)
    {
        if (status < 0) throw Error(op, a, b, c);
    }

    internal static TorchException Error(string op, Tensor? a = null, Tensor? b = null, Tensor? c = null)
    {
        var message = Native.LastError();
        var operands = new List<string>(3);
        foreach (var t in new[] { a, b, c })
            if (t is not null) operands.Add(t.IsDisposed ? "<disposed>" : t.Describe());
        return new TorchException(op, message.Length == 0 ? "failed" : message, operands);
    }
}
