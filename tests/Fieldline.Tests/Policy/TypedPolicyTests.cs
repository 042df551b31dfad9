using System.Text.Json.Nodes;
using Fieldline.Web.Features.Policy;

namespace Fieldline.Tests.Policy;

/// <summary>
/// The policy is read through the typed model (<see cref="CompanyPolicy"/>), never by a JSON path in a feature: each typed
/// value is the preset's own number, or the default the code assumed when the preset does not name it.
/// </summary>
public class TypedPolicyTests
{
    private static readonly PolicyPresets Presets = new();

    private static CompanyPolicy Build(JsonObject document, string basedOn = "test") =>
        PolicyStore.Build(new PolicyVersion { Number = 1, BasedOn = basedOn, DocumentJson = document.ToJsonString() });

    private static CompanyPolicy Of(string presetId) => Build(Presets.Document(presetId), presetId);

    private sealed record Entry(string Path, Func<CompanyPolicy, object?> Read, Func<JsonValue, object?> Convert, object? Default);

    private static Entry E<T>(string path, Func<CompanyPolicy, T> read, T fallback) => new(path, p => read(p), v => v.GetValue<T>(), fallback);

    /// <summary>Every value a feature once read by path, with the default its call site used.</summary>
    private static readonly Entry[] Values =
    [
        E<double>("intake.infoDispatchWithinMinutes", p => p.InfoDispatchWithinMinutes, 30),
        E<double>("intake.infoProcessWithinMinutes", p => p.InfoProcessWithinMinutes, 1440),
        E<bool>("dispatch.smsAcknowledgementRequired", p => p.SmsAcknowledgementRequired, false),
        E<double>("dispatch.contactCustomerWithinMinutes", p => p.ContactCustomerWithinMinutes, 120),
        E<double>("dispatch.repairContactTargetMinutes", p => p.RepairContactTargetMinutes, 20),
        E<double?>("dispatch.repairContactPenaltyThresholdMinutes", p => p.RepairContactPenaltyThresholdMinutes, null),
        E<int?>("dispatch.noVisitCountPerMonthRevokingEligibility", p => p.NoVisitCountPerMonthRevokingEligibility, null),
        E<bool>("dispatch.unreachableCustomerDispatcherConfirmationExempts", p => p.UnreachableCustomerConfirmationExempts, true),
        E<bool>("dispatch.leaveDuringAssignedTaskRequiresManagerApproval", p => p.LeaveDuringAssignedTaskRequiresManagerApproval, true),
        E<bool>("dispatch.skillMatching", p => p.SkillMatching, true),
        E<double>("completion.completeWithinMinutes", p => p.CompleteWithinMinutes, 1440),
        E<double?>("completion.severeOverdueAfterMinutes", p => p.SevereOverdueAfterMinutes, null),
        E<decimal?>("completion.overdueFineCNY", p => p.OverdueFine, null),
        E<decimal?>("completion.severeOverdueFineCNY", p => p.SevereOverdueFine, null),
        E<bool>("completion.overdueFinesCumulative", p => p.OverdueFinesCumulative, false),
        E<int?>("completion.overdueCountPerMonthRevokingEligibility", p => p.OverdueCountPerMonthRevokingEligibility, null),
        E<bool>("completion.customerSignatureRequired", p => p.CustomerSignatureRequired, false),
        E<bool>("completion.serviceStickerRequired", p => p.ServiceStickerRequired, false),
        E<int?>("completion.testRunMinMinutes", p => p.TestRunMinMinutes, null),
        E<int?>("completion.checkInRadiusMeters", p => p.CheckInRadiusMeters, null),
        E<double?>("complaints.resolveWithinMinutes", p => p.ComplaintResolveWithinMinutes, null),
        E<double?>("complaints.departedCustomerResolveWithinMinutes", p => p.DepartedCustomerComplaintResolveWithinMinutes, null),
        E<int>("complaints.repeatSameIssueEscalationCount", p => p.RepeatComplaintEscalationCount, 2),
        E<bool>("complaints.notifyCustomerOfOutcome", p => p.NotifyCustomerOfOutcome, false),
        E<decimal?>("complaints.maxComplaintRatePercent", p => p.MaxComplaintRatePercent, null),
        E<double>("returnVisit.afterFieldCompletionWithinMinutes", p => p.ReturnVisitAfterFieldCompletionMinutes, 4320),
        E<double>("returnVisit.afterCustomerReceiptWithinMinutes", p => p.ReturnVisitAfterCustomerReceiptMinutes, 4320),
        E<int>("returnVisit.maxAttempts", p => p.ReturnVisitMaxAttempts, 3),
        E<int>("returnVisit.retryAfterMinutes", p => p.ReturnVisitRetryAfterMinutes, 120),
        E<int?>("repeatRepair.windowDays", p => p.RepeatRepairWindowDays, null),
        E<double?>("fees.collectedFeeHandInWithinMinutes", p => p.CollectedFeeHandInWithinMinutes, null),
        E<decimal?>("fees.unremittedFeeFirstOffenceMultiplier", p => p.UnremittedFeeFirstOffenceMultiplier, null),
        E<bool>("fees.invoiceRequiredForPaidService", p => p.InvoiceRequiredForPaidService, false),
        E<double?>("parts.partsAndRepairDocsReturnWithinMinutes", p => p.PartsAndRepairDocsReturnWithinMinutes, null),
        E<decimal?>("parts.partNotReturnedFinePerOrderCNY", p => p.PartNotReturnedFinePerOrder, null),
        E<bool>("brand.passThroughBrandFines", p => p.PassThroughBrandFines, false),
        E<bool?>("brand.brandFineAlsoRevokesEligibility", p => p.BrandFineAlsoRevokesEligibility, null),
        E<int?>("rewards.dailyVolumeBonus.thresholdOrders", p => p.DailyVolumeBonusThresholdOrders, null),
        E<decimal?>("rewards.dailyVolumeBonus.perOrderCNY", p => p.DailyVolumeBonusPerOrder, null),
        E<int?>("rewards.monthlyVolumeBonus.thresholdOrdersExclusive", p => p.MonthlyVolumeBonusThresholdOrdersExclusive, null),
        E<decimal?>("rewards.monthlyVolumeBonus.amountCNY", p => p.MonthlyVolumeBonusAmount, null),
        E<decimal?>("rewards.emptyTripSubsidyCNY", p => p.EmptyTripSubsidy, null),
        E<int>("leaks.oneYearWindowDays", p => p.LeakOneYearWindowDays, 365),
        E<int>("leaks.newInstallWindowDays", p => p.LeakNewInstallWindowDays, 30),
        E<int?>("leaks.newInstallLeaksPerMonthMax", p => p.NewInstallLeaksPerMonthMax, null),
        E<int?>("leaks.oneYearLeaksPerMonthMax", p => p.OneYearLeaksPerMonthMax, null),
        E<bool>("leaks.chargesCreditedToRepairTechnician", p => p.LeakChargesCreditedToRepairTechnician, false),
        E<bool>("leaks.distinguishInverterFixedSpeed", p => p.DistinguishInverterFixedSpeed, false),
        E<int>("shop.unitsPerRepairDay", p => p.UnitsPerRepairDay, 10),
        E<bool>("shop.returnRequiresGMApproval", p => p.ReturnRequiresGMApproval, true),
        E<int>("attendance.latesPerAbsenceDay", p => p.LatesPerAbsenceDay, 2),
        E<int>("attendance.consecutiveAbsenteeismDaysForDismissal", p => p.ConsecutiveAbsenteeismDaysForDismissal, 3),
        E<bool>("attendance.fieldStaffClockExempt", p => p.FieldStaffClockExempt, false),
        E<int>("discipline.appealWindowDays", p => p.AppealWindowDays, 7),
        E<int>("discipline.suspensionDays", p => p.SuspensionDays, 3),
        E<int?>("warranty.months", p => p.WarrantyMonths, null),
        E<string?>("intake.hotline", p => p.Hotline, null),
        E<decimal>("hr.uniformCostCompanySharePercent", p => p.UniformCompanySharePercent, 100m),
    ];

    private static JsonNode? At(JsonObject document, string path)
    {
        JsonNode? node = document["parameters"];
        foreach (var part in path.Split('.')) node = (node as JsonObject)?[part];
        return node;
    }

    [Fact]
    public void Every_preset_reads_into_the_typed_policy_with_its_own_numbers_or_the_default_where_it_names_none()
    {
        Assert.Equal(13, Presets.All.Count);
        foreach (var preset in Presets.All)
        {
            var document = Presets.Document(preset.Id);
            var policy = Build(document, preset.Id);
            foreach (var value in Values)
            {
                var expected = At(document, value.Path) is JsonValue raw ? value.Convert(raw) : value.Default;
                Assert.True(Equals(expected, value.Read(policy)), $"{preset.Id}: {value.Path} is {value.Read(policy) ?? "null"}, the preset says {expected ?? "null"}");
            }
        }
    }

    [Fact]
    public void Gree_2012_gives_its_regulation_numbers_through_the_typed_policy()
    {
        var gree = Of("gree-dealer-changsha-2012");
        Assert.Equal(1440, gree.CompleteWithinMinutes);                 // CMP-01: never more than 24 h
        Assert.Equal(120, gree.ContactCustomerWithinMinutes);           // DSP-02: 2 h
        Assert.Equal(20, gree.RepairContactTargetMinutes);              // DSP-03: 20 min
        Assert.Equal(240, gree.RepairContactPenaltyThresholdMinutes);   // DSP-04: 4 h
        Assert.Equal(30, gree.InfoDispatchWithinMinutes);               // INT-14: half an hour
        Assert.Equal((70d, 80d), gree.ProgressCheckWindowPercent);      // INT-17
        Assert.Equal(new TimeOnly(12, 0), gree.HalfDayMorningCutoff);   // CMP-02
        Assert.Equal(30m, gree.OverdueFine);                            // CMP-04: 30, past 48 h 80
        Assert.Equal(80m, gree.SevereOverdueFine);
        Assert.Equal(2880, gree.SevereOverdueAfterMinutes);
        Assert.False(gree.OverdueFinesCumulative);
        Assert.Equal(3, gree.OverdueCountPerMonthRevokingEligibility);  // CMP-05
        Assert.Equal(2, gree.NoVisitCountPerMonthRevokingEligibility);  // DSP-09
        Assert.Equal(6, gree.DailyVolumeBonusThresholdOrders);          // RWD-01: 20 per order from the 7th
        Assert.Equal(20m, gree.DailyVolumeBonusPerOrder);
        Assert.Equal(150, gree.MonthlyVolumeBonusThresholdOrdersExclusive); // RWD-02: more than 150 → 200
        Assert.Equal(200m, gree.MonthlyVolumeBonusAmount);
        Assert.Equal(30m, gree.EmptyTripSubsidy);                       // RWD-03
        Assert.Equal(5m, gree.UnremittedFeeFirstOffenceMultiplier);     // FEE-06
        Assert.Equal(4320, gree.CollectedFeeHandInWithinMinutes);       // FEE-05: 3 days
        Assert.Equal(30m, gree.PartNotReturnedFinePerOrder);            // PRT-02
        Assert.Equal(new TimeOnly(9, 0), gree.WorkStartTime);           // ATT-02
        Assert.Equal(new TimeOnly(9, 0), gree.LateAfter);
        Assert.Equal(new TimeOnly(10, 0), gree.AbsenceIfArrivalAfter);  // ATT-04
        Assert.Equal(50m, gree.AbsenteeismFinePerDay);                  // ATT-10
        Assert.True(gree.DistinguishInverterFixedSpeed);                // INS-29: 100 / 150
        Assert.True(gree.PassThroughBrandFines);                        // GOV-07
        Assert.True(gree.NonGenuinePartTechnicianBearsFines);           // PRT-03
        Assert.Equal("84171868", gree.Hotline);
        Assert.Equal(["company", "brand"], gree.ComplaintLevels!);      // CPL-19
        Assert.Equal("rdDesignOrManufacturer", gree.ComplaintRoutedTo("productQualityOrFunction")); // CPL-04
    }

    [Fact]
    public void Other_presets_keep_their_own_numbers_where_they_differ_from_Gree()
    {
        var binchun = Of("binchun-water-purifier-2015");
        Assert.False(binchun.DistinguishInverterFixedSpeed);            // INS-29 variant: no inverter split
        Assert.Equal(new ModelVerification("purchaseOrder", true), binchun.ModelVerification); // INS-01
        Assert.Equal(["company"], binchun.ComplaintLevels!);
        Assert.Equal("64565093", binchun.Hotline);

        var ccec = Of("ccec-water-purifier");
        Assert.Equal(0, ccec.CollectedFeeHandInWithinMinutes);          // FEE-05 variant: immediately on return
        Assert.Equal(12, ccec.WarrantyMonths);
        Assert.True(ccec.AfterWarrantyChargePartsOnly);                 // WAR-01, SC-28
        Assert.Equal(CompanyPolicy.DefaultPeriodicVisitIntervalDays, ccec.PeriodicVisitIntervalDays); // RV-02
        Assert.True(ccec.TrainingPassBeforeDispatch);                   // TRN-06

        Assert.Equal("departmentManager", Of("yitong-tech-support").WeeklyPlanApprovalRole); // RPT-11: weeklyPlanRequired
    }

    [Fact]
    public void A_preset_without_a_value_gives_the_default_the_code_assumes()
    {
        // Jinlong says to contact the customer "timely" (及时) with no number: its preset sets the value null.
        var jinlong = Of("jinlong-ac-install");
        Assert.Null(At(Presets.Document("jinlong-ac-install"), "dispatch.contactCustomerWithinMinutes"));
        Assert.Equal(120, jinlong.ContactCustomerWithinMinutes);
        Assert.Equal(0m, jinlong.AbsenteeismFinePerDay); // no absenteeism rule, no fine (A12)

        // No preset names the return-visit retries: 3 calls, 2 hours apart.
        Assert.Equal(3, jinlong.ReturnVisitMaxAttempts);
        Assert.Equal(120, jinlong.ReturnVisitRetryAfterMinutes);

        // A document whose parameters lack the keys altogether.
        var gree = Presets.Document("gree-dealer-changsha-2012");
        var parameters = gree["parameters"]!.AsObject();
        foreach (var section in new[] { "intake", "completion", "attendance", "leaks", "shop", "complaints", "rewards" })
            parameters.Remove(section);
        parameters["dispatch"]!.AsObject().Remove("contactCustomerWithinMinutes");
        parameters["dispatch"]!.AsObject().Remove("repairContactPenaltyThresholdMinutes");
        var bare = Build(gree);
        Assert.Equal(1440, bare.CompleteWithinMinutes);
        Assert.Equal(120, bare.ContactCustomerWithinMinutes);
        Assert.Null(bare.RepairContactPenaltyThresholdMinutes);
        Assert.Equal(30, bare.InfoDispatchWithinMinutes);
        Assert.Equal(1440, bare.InfoProcessWithinMinutes);
        Assert.Equal((70d, 80d), bare.ProgressCheckWindowPercent);
        Assert.Null(bare.HalfDayMorningCutoff);
        Assert.Null(bare.OverdueFine);
        Assert.Null(bare.SevereOverdueAfterMinutes);
        Assert.Equal(new TimeOnly(9, 0), bare.WorkStartTime);
        Assert.Equal(new TimeOnly(10, 0), bare.AbsenceIfArrivalAfter);
        Assert.Equal(2, bare.LatesPerAbsenceDay);
        Assert.Equal(50m, bare.AbsenteeismFinePerDay); // Gree has the absenteeism rule: the regulation's 50
        Assert.Equal(365, bare.LeakOneYearWindowDays);
        Assert.Equal(30, bare.LeakNewInstallWindowDays);
        Assert.Null(bare.NewInstallLeaksPerMonthMax);
        Assert.Equal(10, bare.UnitsPerRepairDay);
        Assert.True(bare.ReturnRequiresGMApproval);
        Assert.Equal(2, bare.RepeatComplaintEscalationCount);
        Assert.Null(bare.ComplaintLevels);
        Assert.Null(bare.ComplaintRoutedTo("productQualityOrFunction"));
        Assert.Null(bare.DailyVolumeBonusThresholdOrders);
        Assert.Empty(bare.RequiredIntakeFields);
        Assert.Empty(bare.CompletionEvidenceRequired);
    }

    [Fact]
    public void A_piece_rate_is_the_product_lines_own_else_the_order_types_default_and_none_where_the_policy_sets_none()
    {
        // RWD-09 / ATT-01: the presets name the components but no amounts (every rate null): nothing is paid.
        var gree = Of("gree-dealer-changsha-2012");
        Assert.False(gree.HasPieceRates);
        Assert.Null(gree.PieceRate("install", "ac"));

        var document = Presets.Document("gree-dealer-changsha-2012");
        document["parameters"]!["pay"]!["pieceRatesCNY"] = JsonNode.Parse("""
            {"install": {"default": 30, "ac": 50, "purifier": null}, "repair": {"default": 0, "ac": 25}, "maintenance": {"ac": "x"}}
            """);
        var rates = Build(document);
        Assert.True(rates.HasPieceRates);
        Assert.Equal(50m, rates.PieceRate("install", "ac"));
        Assert.Equal(30m, rates.PieceRate("install", "purifier")); // its own rate is null: the type's default
        Assert.Equal(30m, rates.PieceRate("install", "boiler"));
        Assert.Equal(25m, rates.PieceRate("repair", "ac"));
        Assert.Null(rates.PieceRate("repair", "purifier"));          // a default of 0 pays nothing
        Assert.Null(rates.PieceRate("maintenance", "ac"));
        Assert.Null(rates.PieceRate("inspection", "ac"));
    }

    [Fact]
    public void A_value_of_the_wrong_kind_reads_as_the_default_and_does_not_break_the_rest_of_the_policy()
    {
        var document = Presets.Document("gree-dealer-changsha-2012");
        document["parameters"]!["completion"]!["completeWithinMinutes"] = "a day";
        document["parameters"]!["intake"]!["progressCheckWindowPercent"] = new JsonArray();
        document["parameters"]!["attendance"]!["workStartTime"] = "nine";
        var policy = Build(document);
        Assert.Equal(1440, policy.CompleteWithinMinutes);
        Assert.Equal((70d, 80d), policy.ProgressCheckWindowPercent);
        Assert.Equal(new TimeOnly(9, 0), policy.WorkStartTime);
        Assert.Equal(120, policy.ContactCustomerWithinMinutes);
    }
}
