using System.Globalization;
using System.Text.RegularExpressions;
using Fieldline.Web.Infrastructure.Localization;

namespace Fieldline.Web.Features.Dispatch;

/// <summary>
/// The plan's explanations in the reader's language. The optimiser (Fieldline.Routing) is a library without a catalogue:
/// it explains in English with technician ids. Here each stop's explanation is written again from its structured fields,
/// and each reason an order was left out is matched to its sentence, with technicians' names and skills by name.
/// </summary>
internal static partial class PlanTexts
{
    public static Msg Explanation(PlanExplanationDto e, Func<string, string> name)
    {
        var parts = new List<Msg>
        {
            e.Pinned ? Msg.Of("already assigned, kept") : Msg.Of("has the skill {0}", Msg.Skill(e.RequiredSkill)),
            Msg.Of("{0} km from the previous stop", e.TravelKilometres.ToString("0.0", CultureInfo.InvariantCulture)),
            Msg.Of("order {0} of the technician's day", e.TechnicianOrders),
        };
        if (e.DeadlineSlackMinutes is { } slack)
            parts.Add(slack >= 0 ? Msg.Of("done {0} before the deadline", Format.Duration(slack)) : Msg.Of("{0} past the deadline", Format.Duration(-slack)));
        if (!e.Pinned)
            parts.Add(e.NextBestTechnicianId is { } alt
                ? Msg.Of("next best: {0}, costing {1} more", name(alt.ToString(CultureInfo.InvariantCulture)), (e.NextBestExtraCost ?? 0).ToString("0.0", CultureInfo.InvariantCulture))
                : Msg.Of("no other qualified technician can fit it"));
        return Msg.Join(parts);
    }

    private static readonly (Regex Pattern, string Sentence)[] Reasons =
    [
        (new(@"^pinned technician (?<t>\S+) is not on the roster$"), "The assigned technician {0} is not on duty."),
        (new(@"^pinned technician (?<t>\S+) lacks the skill (?<s>\S+)$"), "The assigned technician {0} lacks the skill {1}."),
        (new(@"^the appointment window (?<a>\S+)-(?<b>\S+) does not fit the shift of the pinned technician (?<t>\S+)$"), "The appointment {2}–{3} does not fit the shift of the assigned technician {0}."),
        (new(@"^the pinned technician (?<t>\S+) cannot fit it with the other pinned orders$"), "The assigned technician {0} cannot fit it with their other orders."),
        (new(@"^no technician has the skill (?<s>\S+)$"), "No technician on duty has the skill {1}."),
        (new(@"^pinned technician (?<t>\S+) may not take it$"), "The assigned technician {0} may not take it."),
        (new(@"^every technician with the skill (?<s>\S+) is excluded from it$"), "No technician on duty with the skill {1} may take it."),
        (new(@"^all (?<n>\d+) qualified technicians are fully booked in the appointment window$"), "All {4} qualified technicians are fully booked in the appointment window."),
        (new(@"^the appointment window (?<a>\S+)-(?<b>\S+) does not fit any qualified technician's shift$"), "The appointment {2}–{3} does not fit any qualified technician's shift."),
        (new(@"^no qualified technician can fit it today"), "No qualified technician can fit it today within shifts, lunch breaks and appointment windows."),
    ];

    /// <summary>Why the optimiser left an order out, as a sentence; an unknown reason is shown as the optimiser wrote it.</summary>
    public static Msg Reason(string reason, Func<string, string> name)
    {
        foreach (var (pattern, sentence) in Reasons)
            if (pattern.Match(reason) is { Success: true } m)
            {
                var skill = m.Groups["s"].Success ? Msg.Skill(m.Groups["s"].Value) : Msg.Verbatim("");
                return Msg.Of(sentence, m.Groups["t"].Success ? name(m.Groups["t"].Value) : "", skill, m.Groups["a"].Value, m.Groups["b"].Value, m.Groups["n"].Value);
            }
        return Msg.Verbatim(reason);
    }
}
