using Fieldline.Web.Infrastructure.Localization;

namespace Fieldline.Web.Features.Evaluation;

/// <summary>
/// regulations.md §25 (DSM): which dismissal/expulsion trigger a penalty rule's review-opening action stands for. The
/// presets say a rule or its ladder step opens a review (<c>openDismissalReview</c>, <c>openExpulsionReview</c>,
/// <c>probationOrDismissalDecision</c>; their <c>dismissalReviewTriggers</c> list the same keys); this names the DSM id the
/// review carries beside the fine's own ids, so the manager reads which trigger fired ("DSM-15 连续旷工3天").
/// </summary>
public static class DismissalTriggers
{
    private static readonly Dictionary<string, string> ByRuleKey = new(StringComparer.Ordinal)
    {
        ["disobeyDispatcher"] = "DSM-01",                    // PEN-01 repeat
        ["refuseWorkAssignment"] = "DSM-02",                 // PEN-48 2nd
        ["refuseWorkAssignmentInstaller"] = "DSM-03",        // PEN-61 3rd
        ["disobeyDispatcherRepair"] = "DSM-04",              // PEN-79 repeat, + 500
        ["reputationDamageVerified"] = "DSM-05",             // PEN-05
        ["reputationDamageRepair"] = "DSM-05",               // PEN-82, + 1000
        ["overQuoteAboveTwiceStandard"] = "DSM-06",          // PEN-10 serious
        ["collectedFeeNotRemitted"] = "DSM-07",              // PEN-11 2nd (the SLA clock's ladder)
        ["repairStatusOrWhereaboutsNotReported"] = "DSM-08", // PEN-12 repeat
        ["heightWorkWithoutBelt"] = "DSM-09",                // PEN-21 (Feb 2012), + 500
        ["heightWorkWithoutBeltInstaller"] = "DSM-09",       // PEN-76 2nd (Aug 2012)
        ["rudenessOrQuarrelWithCustomer"] = "DSM-10",        // PEN-26/36 serious → expulsion
        ["fightingGamblingTroublemaking"] = "DSM-11",        // PEN-39
        ["theftOfCompanyProperty"] = "DSM-12",               // PEN-43
        ["companyPropertyDamage"] = "DSM-13",                // PEN-44 intentional
        ["rudenessToColleagues"] = "DSM-14",                 // PEN-45 → expulsion, + 200
        ["consecutiveAbsenteeism"] = "DSM-15",               // PEN-50 / ATT-11 (People/JudgeAttendance)
        ["serviceStickerMissingInstaller"] = "DSM-16",       // PEN-75 2nd (Binchun)
        ["attitudeComplaintVerified"] = "DSM-17",            // PEN-92 / CPL-10 (also Complaints/VerifyComplaint)
        ["seriousBreachOfClientRules"] = "DSM-18",           // PEN-95 / HR-14
        ["cableTheft"] = "DSM-19",                           // PEN-97 / PRT-17
    };

    /// <summary>The DSM id of a penalty rule's review, or null for a rule no DSM trigger names.</summary>
    public static string? For(string ruleKey) => ByRuleKey.GetValueOrDefault(ruleKey);

    /// <summary>The case's ids with the DSM id after them ("PEN-50,ATT-11,DSM-15").</summary>
    public static string RuleIds(string caseRuleIds, string? dsm) =>
        dsm is null || caseRuleIds.Split(',').Contains(dsm) ? caseRuleIds : $"{caseRuleIds},{dsm}";

    /// <summary>The trigger as the manager reads it: its id and its wording (<c>dsm.DSM-15</c> in the catalogue).</summary>
    public static Msg Name(string? dsm) => dsm is null ? Msg.Of("Dismissal review") : Msg.Code("dsm", dsm);
}
