using System.Buffers.Binary;
using System.Text;

namespace MetaRL.Torch.Serialization;

/// <summary>
/// Writes a state tree as a protocol-2 pickle the way <c>torch.save</c> does: tensors become
/// <c>torch._utils._rebuild_tensor_v2</c> over a persistent storage record, and a
/// <c>Modules.StateDict</c> becomes a <c>collections.OrderedDict</c>.
/// </summary>
internal sealed class PickleWriter
{
    private readonly MemoryStream output = new();
    private readonly Func<Tensor, (string key, long numel, string storageType)> storeTensor;

    internal PickleWriter(Func<Tensor, (string key, long numel, string storageType)> storeTensor) => this.storeTensor = storeTensor;

    internal byte[] Write(object? root)
    {
        output.WriteByte(0x80);
        output.WriteByte(2);
        Save(root);
        output.WriteByte((byte)'.');
        return output.ToArray();
    }

    private void Save(object? value)
    {
        switch (value)
        {
            case null: Op('N'); break;
            case bool b: output.WriteByte(b ? (byte)0x88 : (byte)0x89); break;
            case string s: SaveString(s); break;
            case int i: SaveLong(i); break;
            case long l: SaveLong(l); break;
            case float f: SaveDouble(f); break;
            case double d: SaveDouble(d); break;
            case Tensor t: SaveTensor(t); break;
            case Modules.StateDict sd: SaveOrderedDict(sd.Select(kv => new KeyValuePair<object, object?>(kv.Key, kv.Value))); break;
            case IReadOnlyDictionary<string, Tensor> td: SaveDict(td.Select(kv => new KeyValuePair<object, object?>(kv.Key, kv.Value))); break;
            case IDictionary<object, object?> od: SaveDict(od); break;
            case IDictionary<string, object?> sd2: SaveDict(sd2.Select(kv => new KeyValuePair<object, object?>(kv.Key, kv.Value))); break;
            case object?[] tuple: SaveTuple(tuple); break;
            case System.Collections.IList list: SaveList(list); break;
            default: throw new NotSupportedException($"torch.save cannot write a {value.GetType().Name}; use dicts, lists, tuples (object[]), numbers, strings, bools, null and tensors");
        }
    }

    private void Op(char c) => output.WriteByte((byte)c);

    private void SaveString(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        Op('X');
        WriteInt32(bytes.Length);
        output.Write(bytes);
    }

    private void SaveLong(long v)
    {
        if (v is >= 0 and < 256)
        {
            Op('K');
            output.WriteByte((byte)v);
        }
        else if (v is >= 0 and < 65536)
        {
            Op('M');
            Span<byte> b = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v);
            output.Write(b);
        }
        else if (v is >= int.MinValue and <= int.MaxValue)
        {
            Op('J');
            WriteInt32((int)v);
        }
        else
        {
            output.WriteByte(0x8a);
            output.WriteByte(8);
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, v);
            output.Write(b);
        }
    }

    private void SaveDouble(double d)
    {
        Op('G');
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(b, d);
        output.Write(b);
    }

    private void SaveTuple(IReadOnlyList<object?> items)
    {
        switch (items.Count)
        {
            case 0: Op(')'); return;
            case 1: Save(items[0]); output.WriteByte(0x85); return;
            case 2: Save(items[0]); Save(items[1]); output.WriteByte(0x86); return;
            case 3: Save(items[0]); Save(items[1]); Save(items[2]); output.WriteByte(0x87); return;
        }
        Op('(');
        foreach (var v in items) Save(v);
        Op('t');
    }

    private void SaveList(System.Collections.IList list)
    {
        Op(']');
        if (list.Count == 0) return;
        Op('(');
        foreach (var v in list) Save(v);
        Op('e');
    }

    private void SaveDict(IEnumerable<KeyValuePair<object, object?>> items)
    {
        Op('}');
        SaveItems(items);
    }

    private void SaveOrderedDict(IEnumerable<KeyValuePair<object, object?>> items)
    {
        Global("collections", "OrderedDict");
        Op(')');
        Op('R');
        SaveItems(items);
    }

    private void SaveItems(IEnumerable<KeyValuePair<object, object?>> items)
    {
        bool any = false;
        foreach (var (k, v) in items)
        {
            if (!any) Op('(');
            any = true;
            Save(k);
            Save(v);
        }
        if (any) Op('u');
    }

    private void Global(string module, string name)
    {
        Op('c');
        output.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    }

    private void SaveTensor(Tensor t)
    {
        var (key, numel, storageType) = storeTensor(t);
        var shape = t.shape;
        var strides = new long[shape.Length];
        long stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= shape[i];
        }
        Global("torch._utils", "_rebuild_tensor_v2");
        Op('(');
        // persistent id: ('storage', torch.<Type>Storage, key, 'cpu', numel)
        Op('(');
        SaveString("storage");
        Global("torch", storageType);
        SaveString(key);
        SaveString("cpu");
        SaveLong(numel);
        Op('t');
        Op('Q');
        SaveLong(0);
        SaveTuple(shape.Select(s => (object?)s).ToArray());
        SaveTuple(strides.Select(s => (object?)s).ToArray());
        output.WriteByte(t.requires_grad ? (byte)0x88 : (byte)0x89);
        Global("collections", "OrderedDict");
        Op(')');
        Op('R');
        Op('t');
        Op('R');
    }

    private void WriteInt32(int v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, v);
        output.Write(b);
    }
}
