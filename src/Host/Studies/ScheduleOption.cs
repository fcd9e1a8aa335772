using MetaRL.Environments;
using MetaRL.Environments.NonStationary;

namespace MetaRL.Host.Studies;

/// <summary>The <c>--schedule</c> option of <c>metarl baselines</c>, <c>eval</c> and <c>study</c>: parsed and checked against the env family, with one error line.</summary>
internal static class ScheduleOption
{
    /// <summary>Null with the schedule in <paramref name="spec"/>, or the error line (naming <c>--schedule</c> and the allowed forms).</summary>
    public static string? Parse(string text, EnvFamily family, out ScheduleSpec? spec)
    {
        spec = null;
        try
        {
            var parsed = ScheduleSpec.Parse(text);
            family.Validate(new EnvOptions(Schedule: parsed));
            spec = parsed;
            return null;
        }
        catch (FormatException e)
        {
            return $"--schedule {e.Message}";
        }
        catch (ArgumentException e)
        {
            return $"--schedule: {e.Message}";
        }
    }
}
