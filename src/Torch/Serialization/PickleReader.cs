using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace MetaRL.Torch.Serialization;

/// <summary>A Python global the unpickler met but does not construct (kept so errors can name it).</summary>
public sealed record PyGlobal(string Module, string Name)
{
    /// <inheritdoc />
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>
/// The subset of Python's unpickler (protocols 2–5) that PyTorch checkpoints use. Dicts become
/// <see cref="OrderedDictionary{TKey, TValue}"/> (insertion order, as Python), lists
/// <see cref="List{T}"/>, tuples object?[], ints long (or BigInteger when wider), floats double.
/// Globals and persistent ids are resolved by the caller (tensors, storages).
/// </summary>
internal sealed class PickleReader
{
    private readonly byte[] data;
    private readonly Func<PyGlobal, object> resolveGlobal;
    private readonly Func<object?, object?> persistentLoad;
    private readonly Func<object, object?[], object?> call;
    private readonly List<object?> stack = new();
    private readonly Stack<int> marks = new();
    private readonly Dictionary<long, object?> memo = new();
    private int pos;

    internal PickleReader(byte[] data, Func<PyGlobal, object> resolveGlobal, Func<object?, object?> persistentLoad, Func<object, object?[], object?> call)
    {
        this.data = data;
        this.resolveGlobal = resolveGlobal;
        this.persistentLoad = persistentLoad;
        this.call = call;
    }

    internal object? Load()
    {
        while (true)
        {
            byte op = data[pos++];
            switch (op)
            {
                case 0x80: pos++; break; // PROTO
                case 0x95: pos += 8; break; // FRAME
                case (byte)'.': return Pop(); // STOP
                case (byte)'(': marks.Push(stack.Count); break; // MARK
                case (byte)'}': stack.Add(new OrderedDictionary<object, object?>()); break;
                case (byte)']': stack.Add(new List<object?>()); break;
                case (byte)')': stack.Add(Array.Empty<object?>()); break;
                case 0x8f: stack.Add(new List<object?>()); break; // EMPTY_SET (as a list)
                case (byte)'t': stack.Add(PopMark().ToArray()); break; // TUPLE
                case 0x85: { var a = Pop(); stack.Add(new[] { a }); break; } // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); stack.Add(new[] { a, b }); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); stack.Add(new[] { a, b, c }); break; } // TUPLE3
                case (byte)'X': stack.Add(Utf8(ReadInt32())); break; // BINUNICODE
                case 0x8c: stack.Add(Utf8(data[pos++])); break; // SHORT_BINUNICODE
                case 0x8d: stack.Add(Utf8(checked((int)ReadInt64()))); break; // BINUNICODE8
                case (byte)'T': stack.Add(Latin1(ReadInt32())); break; // BINSTRING
                case (byte)'U': stack.Add(Latin1(data[pos++])); break; // SHORT_BINSTRING
                case (byte)'B': stack.Add(Bytes(ReadInt32())); break; // BINBYTES
                case (byte)'C': stack.Add(Bytes(data[pos++])); break; // SHORT_BINBYTES
                case (byte)'J': stack.Add((long)ReadInt32()); break; // BININT
                case (byte)'K': stack.Add((long)data[pos++]); break; // BININT1
                case (byte)'M': stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(pos, 2))); pos += 2; break; // BININT2
                case 0x8a: stack.Add(Long(data[pos++])); break; // LONG1
                case 0x8b: stack.Add(Long(ReadInt32())); break; // LONG4
                case (byte)'G': stack.Add(BinaryPrimitives.ReadDoubleBigEndian(data.AsSpan(pos, 8))); pos += 8; break; // BINFLOAT
                case 0x88: stack.Add(true); break; // NEWTRUE
                case 0x89: stack.Add(false); break; // NEWFALSE
                case (byte)'N': stack.Add(null); break; // NONE
                case (byte)'q': memo[data[pos++]] = Peek(); break; // BINPUT
                case (byte)'r': memo[(uint)ReadInt32()] = Peek(); break; // LONG_BINPUT
                case 0x94: memo[memo.Count] = Peek(); break; // MEMOIZE
                case (byte)'h': stack.Add(memo[data[pos++]]); break; // BINGET
                case (byte)'j': stack.Add(memo[(uint)ReadInt32()]); break; // LONG_BINGET
                case (byte)'0': Pop(); break; // POP
                case (byte)'1': PopMark(); break; // POP_MARK
                case (byte)'2': stack.Add(Peek()); break; // DUP
                case (byte)'s': { var v = Pop(); var k = Pop(); SetItem(Peek(), k, v); break; } // SETITEM
                case (byte)'u': // SETITEMS
                {
                    var items = PopMark();
                    var target = Peek();
                    for (int i = 0; i + 1 < items.Count; i += 2) SetItem(target, items[i], items[i + 1]);
                    break;
                }
                case (byte)'a': { var v = Pop(); Append(Peek(), v); break; } // APPEND
                case (byte)'e': case 0x90: // APPENDS, ADDITEMS
                {
                    var items = PopMark();
                    var target = Peek();
                    foreach (var v in items) Append(target, v);
                    break;
                }
                case 0x91: stack.Add(PopMark()); break; // FROZENSET
                case (byte)'c': stack.Add(resolveGlobal(new PyGlobal(ReadLine(), ReadLine()))); break; // GLOBAL
                case 0x93: { var name = (string)Pop()!; var module = (string)Pop()!; stack.Add(resolveGlobal(new PyGlobal(module, name))); break; } // STACK_GLOBAL
                case (byte)'R': { var args = (object?[])Pop()!; var f = Pop()!; stack.Add(call(f, args)); break; } // REDUCE
                case 0x81: { var args = (object?[])Pop()!; var cls = Pop()!; stack.Add(call(cls, args)); break; } // NEWOBJ
                case (byte)'b': Pop(); break; // BUILD: object state (an OrderedDict's _metadata) is not needed
                case (byte)'Q': stack.Add(persistentLoad(Pop())); break; // BINPERSID
                default:
                    throw new InvalidDataException($"unsupported pickle opcode 0x{op:x2} at byte {pos - 1}");
            }
        }
    }

    private static void SetItem(object? target, object? key, object? value)
    {
        if (target is not OrderedDictionary<object, object?> d) throw new InvalidDataException($"SETITEM on a {target?.GetType().Name ?? "None"}");
        d[key ?? "None"] = value;
    }

    private static void Append(object? target, object? value)
    {
        if (target is not List<object?> l) throw new InvalidDataException($"APPEND on a {target?.GetType().Name ?? "None"}");
        l.Add(value);
    }

    private object? Pop()
    {
        var v = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return v;
    }

    private object? Peek() => stack[^1];

    private List<object?> PopMark()
    {
        int m = marks.Pop();
        var items = stack.GetRange(m, stack.Count - m);
        stack.RemoveRange(m, stack.Count - m);
        return items;
    }

    private int ReadInt32()
    {
        int v = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(pos, 4));
        pos += 4;
        return v;
    }

    private long ReadInt64()
    {
        long v = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(pos, 8));
        pos += 8;
        return v;
    }

    private string Utf8(int length)
    {
        var s = Encoding.UTF8.GetString(data, pos, length);
        pos += length;
        return s;
    }

    private string Latin1(int length)
    {
        var s = Encoding.Latin1.GetString(data, pos, length);
        pos += length;
        return s;
    }

    private byte[] Bytes(int length)
    {
        var b = data.AsSpan(pos, length).ToArray();
        pos += length;
        return b;
    }

    private object Long(int length)
    {
        var bytes = data.AsSpan(pos, length);
        pos += length;
        var big = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return big >= long.MinValue && big <= long.MaxValue ? (object)(long)big : big;
    }

    private string ReadLine()
    {
        int end = Array.IndexOf(data, (byte)'\n', pos);
        var s = Encoding.ASCII.GetString(data, pos, end - pos);
        pos = end + 1;
        return s;
    }
}
