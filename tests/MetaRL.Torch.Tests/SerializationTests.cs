using System.IO.Compression;
using MetaRL.Torch.Modules;
using static MetaRL.Torch.torch;

namespace MetaRL.Torch.Tests;

public sealed class SerializationTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("metarl-serialization-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Save_and_load_round_trip_a_tree_of_tensors_and_python_values()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(dir, "tree.pt");
        var f = tensor(new float[] { 1.5f, -2, 3 }, [3]);
        var d = arange(0, 12, dtype: float64).reshape(3, 4);
        var tree = new Dictionary<string, object?>
        {
            ["f"] = f,
            ["strided"] = d.t(),
            ["again"] = f, // the same tensor twice is one storage
            ["long"] = tensor(new long[] { 1, -1 }, [2]),
            ["mask"] = tensor(new[] { true, false }, [2]),
            ["scalar"] = scalar_tensor(0.25, float64),
            ["numbers"] = new List<object?> { 1, -300L, 1L << 40, 0.5, true, null, "text" },
            ["tuple"] = new object?[] { 1L, "two" },
        };
        save(tree, path);

        var loaded = (OrderedDictionary<object, object?>)load(path)!;
        Assert.Equal(tree.Keys, loaded.Keys.Cast<string>());
        Assert.Equal(new[] { 1.5f, -2, 3 }, ((Tensor)loaded["f"]!).ToArray<float>());
        var strided = (Tensor)loaded["strided"]!;
        Assert.Equal(new long[] { 4, 3 }, strided.shape);
        using (var expected = d.t()) Assert.Equal(expected.ToArray<double>(), strided.ToArray<double>());
        Assert.Equal(new long[] { 1, -1 }, ((Tensor)loaded["long"]!).ToArray<long>());
        Assert.Equal(new[] { true, false }, ((Tensor)loaded["mask"]!).ToArray<bool>());
        Assert.Equal(0.25, ((Tensor)loaded["scalar"]!).ToDouble());
        Assert.Empty(((Tensor)loaded["scalar"]!).shape);
        Assert.Equal(new List<object?> { 1L, -300L, 1L << 40, 0.5, true, null, "text" }, (List<object?>)loaded["numbers"]!);
        Assert.Equal(new object?[] { 1L, "two" }, (object?[])loaded["tuple"]!);

        // One storage for the tensor saved twice, so the two loaded tensors share memory as in PyTorch.
        ((Tensor)loaded["f"]!).add_(1);
        Assert.Equal(new[] { 2.5f, -1, 4 }, ((Tensor)loaded["again"]!).ToArray<float>());
    }

    [Fact]
    public void The_file_is_a_pytorch_zip_with_stored_entries_in_one_folder()
    {
        using var t = ones(2, 2);
        var path = Path.Combine(dir, "layout.pt");
        save(new Dictionary<string, object?> { ["w"] = t }, path);
        using var zip = ZipFile.OpenRead(path);
        Assert.Equal(new[] { "archive/data.pkl", "archive/byteorder", "archive/data/0", "archive/version" }, zip.Entries.Select(e => e.FullName));
        // Stored, not deflated: the raw float32 bytes are the entry.
        var data = zip.GetEntry("archive/data/0")!;
        Assert.Equal(16, data.Length);
        Assert.Equal(data.Length, data.CompressedLength);
    }

    [Fact]
    public void Module_save_and_load_restore_the_parameters()
    {
        var path = Path.Combine(dir, "module.pt");
        manual_seed(1);
        using var a = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2));
        manual_seed(2);
        using var b = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2));
        using var x = randn(5, 3);
        using var ya = a.call(x);
        using (var yb = b.call(x)) Assert.NotEqual(ya.ToArray<float>(), yb.ToArray<float>());

        a.save(path);
        b.load(path);
        using var yb2 = b.call(x);
        Assert.Equal(ya.ToArray<float>(), yb2.ToArray<float>());
    }

    [Fact]
    public void Loading_into_the_wrong_model_names_the_mismatch_and_changes_nothing()
    {
        var path = Path.Combine(dir, "linear.pt");
        using var small = nn.Linear(3, 4);
        small.save(path);
        using var other = nn.Linear(3, 5);
        var before = other.weight.ToArray<float>();
        long live = Live.Settled();
        var e = Assert.Throws<InvalidOperationException>(() => other.load(path));
        Assert.Contains("size mismatch for weight", e.Message);
        Assert.Equal(before, other.weight.ToArray<float>());
        Assert.Equal(live, LiveTensorCount); // the loaded tensors were freed
    }

    [Fact]
    public void A_save_that_fails_leaves_the_existing_checkpoint_intact()
    {
        var path = Path.Combine(dir, "keep.pt");
        using var t = ones(3);
        save(new Dictionary<string, object?> { ["w"] = t }, path);
        var good = File.ReadAllBytes(path);

        Assert.Throws<NotSupportedException>(() => save(new Dictionary<string, object?> { ["w"] = new Uri("http://x") }, path));
        Assert.Equal(good, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void Loading_a_file_that_is_not_a_checkpoint_says_so_and_names_it()
    {
        var path = Path.Combine(dir, "notes.txt");
        File.WriteAllText(path, "not a zip");
        var e = Assert.ThrowsAny<InvalidDataException>(() => load(path));
        Assert.Contains("notes.txt", e.Message + e.InnerException?.Message);

        var bad = Path.Combine(dir, "flat.zip");
        using (var zip = ZipFile.Open(bad, ZipArchiveMode.Create)) zip.CreateEntry("data.pkl");
        e = Assert.Throws<InvalidDataException>(() => load(bad));
        Assert.Contains("flat.zip", e.Message);
        Assert.Contains("not inside a folder", e.Message);
    }

    [Fact]
    public void State_dict_from_rejects_trees_that_are_not_name_to_tensor()
    {
        using var scope = NewDisposeScope();
        var tree = new OrderedDictionary<object, object?> { ["w"] = ones(2).DetachFromDisposeScope(), ["n"] = 3L };
        long live = Live.Settled();
        var e = Assert.Throws<ArgumentException>(() => StateDict.From(tree));
        Assert.Contains("'n'", e.Message);
        Assert.Equal(live - 1, LiveTensorCount); // the tree's tensor was freed
    }
}
