using Fieldline.Web.Features.Policy;
using System.Text.Json.Nodes;
using Fieldline.Web.Features.Sla;

namespace Fieldline.Tests.Policy;

public class PolicyPresetTests
{
    private static readonly PolicyPresets Presets = new();

    [Fact]
    public void All_thirteen_presets_load_with_a_complete_parameter_tree()
    {
        Assert.Equal(13, Presets.All.Count);
        foreach (var preset in Presets.All)
        {
            var doc = Presets.Document(preset.Id);
            Assert.NotNull(doc["parameters"]!["intake"]!["requiredFields"]);
            Assert.NotNull(doc["parameters"]!["completion"]!["completeWithinMinutes"]);
        }
    }

    [Fact]
    public void A_sparse_preset_keeps_its_own_values_and_takes_the_rest_from_generic()
    {
        var ccec = Presets.Document("ccec-water-purifier");
        var required = ccec["parameters"]!["intake"]!["requiredFields"]!.AsArray().Select(x => (string)x!).ToArray();
        Assert.DoesNotContain("contactPerson", required);
        Assert.Equal(240, (int)ccec["parameters"]!["dispatch"]!["repairContactPenaltyThresholdMinutes"]!);
    }

    [Fact]
    public void A_preset_that_lists_its_own_fines_does_not_inherit_the_fines_of_generic()
    {
        static string[] Keys(JsonObject doc) => doc["penalties"]!.AsArray().Select(p => (string)p!["key"]!).ToArray();
        var binchun = Keys(Presets.Document("binchun-water-purifier-2015"));
        Assert.Equal(61, binchun.Length);
        foreach (var greeOnly in new[] { "orderOverdue", "brandImposedFine", "unitPushedOnFloorComplaint", "supervisorComplaint" })
            Assert.DoesNotContain(greeOnly, binchun);
        Assert.Contains("waterLeakInstallerNoShow24h", binchun);
        var subor = Keys(Presets.Document("subor-zhongshan"));
        Assert.Equal(["phoneNotAnsweredWithin3Rings", "attitudeComplaintVerified", "supervisorComplaint"], subor);
    }

    [Fact]
    public void A_preset_whose_penalties_list_is_empty_has_no_fines_and_one_without_the_list_would_take_generics()
    {
        // regulations.md A12, policy-presets.json of Jinlong: "No fines in this document". An explicitly empty list is the
        // company's own, exactly as for rewards; only a preset with no list at all fills it from generic.
        foreach (var id in new[] { "jinlong-ac-install", "ccec-water-purifier", "retail-service-assessment", "zhejiang-hangbao-qse-2011", "yitong-tech-support" })
            Assert.Empty(Presets.Document(id)["penalties"]!.AsArray());
        var jinlong = PolicyStore.Build(new PolicyVersion { Number = 1, BasedOn = "jinlong-ac-install", DocumentJson = Presets.Document("jinlong-ac-install").ToJsonString() });
        Assert.Empty(jinlong.Rules);
        Assert.Null(jinlong.Rule("orderOverdue"));
        Assert.Null(jinlong.RuleFor("disobeyDispatcher", StaffCategory.RepairTechnician));
        Assert.Null(jinlong.FindRule("PEN-04"));
        // Its other parts it does not state still come from generic: parameters, eligibility and dismissal triggers.
        Assert.NotNull(Presets.Document("jinlong-ac-install")["parameters"]!["completion"]!["completeWithinMinutes"]);
        Assert.NotEmpty(Presets.Document("jinlong-ac-install")["dismissalReviewTriggers"]!.AsArray());
    }

    [Fact]
    public void A_dismissal_trigger_a_preset_does_not_list_is_not_one_of_its_triggers()
    {
        static CompanyPolicy Of(string id) => PolicyStore.Build(new PolicyVersion { Number = 1, BasedOn = id, DocumentJson = Presets.Document(id).ToJsonString() });
        Assert.True(Of("generic").HasDismissalTrigger("attitudeComplaintVerified"));        // DSM-17
        Assert.True(Of("subor-zhongshan").HasDismissalTrigger("attitudeComplaintVerified"));
        Assert.False(Of("gree-dealer-changsha-2012").HasDismissalTrigger("attitudeComplaintVerified"));
        Assert.False(Of("binchun-water-purifier-2015").HasDismissalTrigger("heightWorkWithoutBeltInstaller"));
        Assert.True(Of("binchun-water-purifier-2015").HasDismissalTrigger("serviceStickerMissingInstaller")); // DSM-16
        Assert.True(Of("gree-dealer-changsha-2012").HasDismissalTrigger("consecutiveAbsenteeism"));       // DSM-15
    }

    [Fact]
    public void A_preset_whose_rewards_list_is_empty_pays_no_reward_of_generic_and_one_without_the_list_would_take_them()
    {
        // regulations.md A12: a reward a company does not have is not applied (Binchun names no RWD-01/02/03/07).
        Assert.Empty(Presets.Document("binchun-water-purifier-2015")["rewards"]!.AsArray());
        Assert.Empty(Presets.Document("ccec-water-purifier")["rewards"]!.AsArray());
        var gree = Presets.Document("gree-dealer-changsha-2012")["rewards"]!.AsArray().Select(r => (string)r!["key"]!).ToList();
        Assert.Contains("dailyVolumeBonus", gree);
        var binchun = PolicyStore.Build(new PolicyVersion { Number = 1, BasedOn = "binchun-water-purifier-2015", DocumentJson = Presets.Document("binchun-water-purifier-2015").ToJsonString() });
        Assert.Null(binchun.Reward("dailyVolumeBonus"));
        Assert.Null(binchun.MonthlyRepairSubsidy); // its parameters took generic's 600, but it has no such reward
        Assert.Null(binchun.MaterialRewardPercent);
    }

    [Fact]
    public void A_deep_merge_overrides_one_leaf_and_keeps_its_siblings()
    {
        var basis = JsonNode.Parse("""{"a":{"x":1,"y":2},"b":[1,2]}""")!.AsObject();
        var merged = JsonMerge.Deep(basis, JsonNode.Parse("""{"a":{"x":5},"b":[3]}""")!.AsObject());
        Assert.Equal("""{"a":{"x":5,"y":2},"b":[3]}""", merged.ToJsonString());
        Assert.Equal("""{"a":{"x":1,"y":2},"b":[1,2]}""", basis.ToJsonString());
    }

    [Fact]
    public void A_cached_policy_read_by_many_threads_at_once_gives_every_thread_the_same_numbers()
    {
        // A shared policy's first reads happen on many request threads at once; lazily built JSON nodes are not safe
        // for that, so Build materialises the whole document before the policy is shared.
        var json = Presets.Document("gree-dealer-changsha-2012").ToJsonString();
        for (var round = 0; round < 50; round++)
        {
            var policy = PolicyStore.Build(new PolicyVersion { Number = 1, BasedOn = "gree-dealer-changsha-2012", DocumentJson = json });
            var results = new System.Collections.Concurrent.ConcurrentBag<string>();
            Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, _ =>
                results.Add($"{policy.RepairContactTargetMinutes}|{policy.Rule("orderOverdue")?.Amount}|{policy.RequiredIntakeFields.Count}|{(policy.Document["penalties"] as JsonArray)?.Count}"));
            Assert.Single(results.Distinct());
            Assert.StartsWith("20|30|", results.First());
        }
    }

    [Fact]
    public void Every_rule_the_parameter_catalog_names_has_its_wording_for_the_policy_editor()
    {
        var rules = new RuleTexts();
        var named = Presets.Catalog.SelectMany(p => (p.Value?["ruleIds"] as JsonArray)?.Select(x => (string)x!) ?? []).Distinct().ToList();
        Assert.NotEmpty(named);
        Assert.DoesNotContain(named, id => rules[id] is null);
        Assert.Equal("所有服务信息必须在半小时之内,下派给售后服务人员", rules["INT-14"]!.Zh);
    }
}
