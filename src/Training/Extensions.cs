using System.Reflection;
using System.Runtime.Loader;

namespace MetaRL.Training;

/// <summary>
/// What an extension assembly registers when it is loaded: its env families (<see cref="Environments.EnvCatalog.Register"/>)
/// and models (<see cref="Policies.ModelCatalog.Register"/>). The command line loads such assemblies with
/// <c>--extension path/to/My.dll</c>, so that configs, <c>baselines</c>, <c>eval</c> and <c>study</c> know their names.
/// A public class with a parameterless constructor; <see cref="Register"/> may run more than once in a process.
/// </summary>
public interface IMetaRLExtension
{
    void Register();
}

/// <summary>Loads extension assemblies and runs their <see cref="IMetaRLExtension"/>s.</summary>
public static class Extensions
{
    /// <summary>
    /// Loads the assembly at <paramref name="path"/> into the default context (it shares MetaRL's own assemblies with
    /// the process) and calls <see cref="IMetaRLExtension.Register"/> on each of its extensions. Returns their names.
    /// A missing file, an assembly that cannot load, or one without an extension is an <see cref="ArgumentException"/>.
    /// </summary>
    public static IReadOnlyList<string> Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new ArgumentException($"--extension '{path}': no such file (build the extension first; it is a .dll)");
        Assembly assembly;
        try
        {
            // The extension's own dependencies (its .deps.json, its folder) resolve on demand; MetaRL's are the process's.
            if (DependencyResolver(full) is { } resolver)
                AssemblyLoadContext.Default.Resolving += (context, name) =>
                    resolver.ResolveAssemblyToPath(name) is { } dependency ? context.LoadFromAssemblyPath(dependency) : null;
            assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            throw new ArgumentException($"--extension '{path}': not a .NET assembly this process can load ({e.Message})");
        }
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException)
        {
            throw new ArgumentException($"--extension '{path}': its types cannot load ({e.Message}); it must be built against this MetaRL's assemblies");
        }
        var extensions = types.Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IMetaRLExtension).IsAssignableFrom(t)).ToArray();
        if (extensions.Length == 0)
            throw new ArgumentException($"--extension '{path}': {assembly.GetName().Name} has no public class implementing {nameof(IMetaRLExtension)}");
        foreach (var type in extensions)
        {
            if (type.GetConstructor(Type.EmptyTypes) is null)
                throw new ArgumentException($"--extension '{path}': {type.FullName} needs a public parameterless constructor");
            try
            {
                ((IMetaRLExtension)Activator.CreateInstance(type)!).Register();
            }
            catch (TargetInvocationException e) when (e.InnerException is ArgumentException inner)
            {
                throw new ArgumentException($"--extension '{path}': {type.FullName}: {inner.Message}");
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"--extension '{path}': {type.FullName}: {e.Message}");
            }
        }
        return extensions.Select(t => t.FullName!).ToArray();
    }

    /// <summary>A resolver over the extension's .deps.json and folder, or null where the host cannot make one (then only the process's assemblies resolve).</summary>
    private static AssemblyDependencyResolver? DependencyResolver(string path)
    {
        try
        {
            return new AssemblyDependencyResolver(path);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
